import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ServiceError } from '@helixgate/contracts';
import { ensureInfrastructure, startProcess, uniqueName } from '@helixgate/testing';
import { connect, type NatsConnection } from 'nats';
import { RpcClient } from '../src';
import { SleepSubject } from './fixtures/sleepy-service';

const SCRIPT = join(__dirname, 'fixtures', 'sleepy-service.js');

describe('a service process on the platform (real NATS)', () => {
  let nats: NatsConnection;
  let natsUrl: string;

  before(async () => {
    natsUrl = (await ensureInfrastructure()).natsUrl;
    nats = await connect({ servers: natsUrl });
  });
  after(() => nats.drain());

  test('SIGTERM: requests in flight are answered, new ones go elsewhere, the process exits 0', async () => {
    const prefix = uniqueName('drain');
    const service = await startProcess('sleepy', SCRIPT, { NATS_URL: natsUrl, NATS_SUBJECT_PREFIX: prefix, SHUTDOWN_TIMEOUT_MS: '8000' });
    const rpc = new RpcClient(nats, { timeoutMs: 10_000, subjectPrefix: prefix });
    const inFlight = rpc.request(SleepSubject, { ms: 1500 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = service.stop('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));

    const ready = await fetch(`http://127.0.0.1:${service.opsPort}/readyz`);
    assert.equal(ready.status, 503, 'not ready while draining');
    await assert.rejects(rpc.request(SleepSubject, { ms: 0 }), (error: unknown) => error instanceof ServiceError && error.status === 503);

    assert.deepEqual(await inFlight, { slept: 1500 });
    assert.equal(await exited, 0);
    assert.match(service.output(), /waiting for in-flight requests before closing/);
  });

  test('SIGTERM under load: every request routed to the stopping replica is answered, the other takes the rest', async () => {
    const prefix = uniqueName('load');
    const env = { NATS_URL: natsUrl, NATS_SUBJECT_PREFIX: prefix, SHUTDOWN_TIMEOUT_MS: '8000' };
    const stopping = await startProcess('sleepy-a', SCRIPT, env);
    const staying = await startProcess('sleepy-b', SCRIPT, env);
    try {
      const rpc = new RpcClient(nats, { timeoutMs: 10_000, subjectPrefix: prefix });
      const requests: Array<Promise<unknown>> = [];
      for (let i = 0; i < 60; i += 1) {
        requests.push(rpc.request(SleepSubject, { ms: 400 }));
        if (i === 30) void stopping.stop('SIGTERM');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const outcomes = await Promise.allSettled(requests);
      const failed = outcomes.filter((o) => o.status === 'rejected');
      assert.equal(failed.length, 0, `lost: ${failed.map((o) => String((o as PromiseRejectedResult).reason)).join('; ')}`);
      assert.equal(await stopping.stop(), 0);
      assert.ok((stopping.output().match(/rpc request answered/g) ?? []).length > 0, 'the stopping replica had work');
    } finally {
      await staying.stop();
    }
  });

  test('replicas share the work through the queue group', async () => {
    const prefix = uniqueName('replicas');
    const env = { NATS_URL: natsUrl, NATS_SUBJECT_PREFIX: prefix };
    const replicas = [await startProcess('sleepy-1', SCRIPT, env), await startProcess('sleepy-2', SCRIPT, env)];
    try {
      const rpc = new RpcClient(nats, { timeoutMs: 5_000, subjectPrefix: prefix });
      await Promise.all(Array.from({ length: 40 }, (_, i) => rpc.request(SleepSubject, { ms: 5 }, { requestId: `replica-${i}` })));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const answered = replicas.map((r) => (r.output().match(/rpc request answered/g) ?? []).length);
      assert.equal(answered[0] + answered[1], 40, 'each request answered exactly once');
      assert.ok(answered[0] > 0 && answered[1] > 0, `both replicas took work: ${answered.join(' / ')}`);
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
    }
  });

  test('an unreachable NATS at start is one clear line and exit code 1, no stack trace', async () => {
    await assert.rejects(startProcess('sleepy', SCRIPT, { NATS_URL: 'nats://127.0.0.1:1' }), (error: Error) => {
      assert.match(error.message, /exited with code 1/);
      assert.match(error.message, /helixgate sleepy: failed to start:/);
      assert.doesNotMatch(error.message, /\n\s+at /);
      return true;
    });
  });

  test('a bad environment is refused with a clear message and exit code 78', async () => {
    await assert.rejects(startProcess('sleepy', SCRIPT, { NATS_URL: natsUrl, SHUTDOWN_TIMEOUT_MS: '-5', LOG_LEVEL: 'chatty' }), (error: Error) => {
      assert.match(error.message, /exited with code 78/);
      assert.match(error.message, /helixgate sleepy: invalid configuration/);
      assert.match(error.message, /- SHUTDOWN_TIMEOUT_MS:/);
      assert.match(error.message, /- LOG_LEVEL:/);
      return true;
    });
  });
});
