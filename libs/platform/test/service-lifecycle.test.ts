import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ServiceError } from '@helixgate/contracts';
import { ensureInfrastructure, freePort, repoRoot, startProcess, uniqueName } from '@helixgate/testing';
import { connect, type NatsConnection } from 'nats';
import { RpcClient, withoutCredentials } from '../src';
import { SleepSubject } from './fixtures/sleepy-service';

const SCRIPT = join(__dirname, 'fixtures', 'sleepy-service.js');
const run = promisify(execFile);

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
    const service = await startProcess('sleepy', SCRIPT, {
      NATS_URL: natsUrl,
      NATS_SUBJECT_PREFIX: prefix,
      SHUTDOWN_TIMEOUT_MS: '20000',
    });
    const rpc = new RpcClient(nats, { timeoutMs: 15_000, subjectPrefix: prefix });
    // Long enough for the checks below to run while it is in flight, however loaded the machine.
    const inFlight = rpc.request(SleepSubject, { ms: 8000 });
    await sleep(1000);
    const exited = service.stop('SIGTERM');

    // The signal is handled soon, not at a known instant: look until the service says it is draining.
    let ready = 200;
    for (const deadline = Date.now() + 5000; ready !== 503 && Date.now() < deadline;) {
      ready = (await fetch(`http://127.0.0.1:${service.opsPort}/readyz`)).status;
      if (ready !== 503) await sleep(50);
    }
    assert.equal(ready, 503, 'not ready while draining');
    let refused: unknown;
    for (const deadline = Date.now() + 5000; !refused && Date.now() < deadline;) {
      refused = await rpc.request(SleepSubject, { ms: 0 }).then(
        () => undefined,
        (error: unknown) => error,
      );
      if (!refused) await sleep(50);
    }
    assert.ok(
      refused instanceof ServiceError && refused.status === 503,
      `a new request goes elsewhere (here: nowhere, a 503): ${String(refused)}`,
    );

    assert.deepEqual(await inFlight, { slept: 8000 });
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
      assert.equal(failed.length, 0, `lost: ${failed.map((o) => String(o.reason)).join('; ')}`);
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
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => rpc.request(SleepSubject, { ms: 5 }, { requestId: `replica-${i}` })),
      );
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

  test('a NATS server that requires a user: NATS_USER and NATS_PASSWORD connect, a wrong password is one clear line; the log never shows them', async () => {
    // A server of its own with a user: the nats-server on PATH, or the one deploy/local/infra.sh built.
    const { stdout } = await run('bash', [
      '-c',
      `command -v nats-server || ls ${join(repoRoot(), '.helixgate/tools/bin')}/nats-server-* | head -1`,
    ]).catch(() => ({ stdout: '' }));
    const binary = stdout.trim();
    assert.ok(binary, 'nats-server on PATH or built by `bash deploy/local/infra.sh tools`');
    const port = await freePort();
    const store = mkdtempSync(join(tmpdir(), 'nats-auth-'));
    const server = spawn(
      binary,
      ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store, '--user', 'helixgate', '--pass', '7s3cret:@/pw'],
      { stdio: 'ignore' },
    );
    try {
      for (let i = 0; i < 300; i++) {
        const open = await connect({
          servers: `nats://127.0.0.1:${port}`,
          user: 'helixgate',
          pass: '7s3cret:@/pw',
        }).then(
          (c) => c.close().then(() => true),
          () => false,
        );
        if (open) break;
        await sleep(100);
      }
      const env = {
        NATS_URL: `nats://127.0.0.1:${port}`,
        NATS_USER: 'helixgate',
        NATS_PASSWORD: '7s3cret:@/pw',
        TRANSFER_BUCKET_MAX_BYTES: String(8 * 1024 ** 2),
      };
      const service = await startProcess('sleepy', SCRIPT, env);
      assert.equal(await service.stop('SIGTERM'), 0);
      assert.doesNotMatch(service.output(), /7s3cret/);
      await assert.rejects(startProcess('sleepy', SCRIPT, { ...env, NATS_PASSWORD: 'wrong' }), (error: Error) => {
        assert.match(error.message, /helixgate sleepy: failed to start:/);
        assert.doesNotMatch(error.message, /\n\s+at /);
        return true;
      });
    } finally {
      server.kill();
      rmSync(store, { recursive: true, force: true });
    }
  });

  test('server URLs in log lines leave out any user and password', () => {
    assert.equal(
      withoutCredentials('nats://user:p%40ss@nats-0.nats:4222,nats://u:p@nats-1.nats:4222'),
      'nats://nats-0.nats:4222,nats://nats-1.nats:4222',
    );
    assert.equal(withoutCredentials('nats://127.0.0.1:4222'), 'nats://127.0.0.1:4222');
  });

  test('a bad environment is refused with a clear message and exit code 78', async () => {
    await assert.rejects(
      startProcess('sleepy', SCRIPT, { NATS_URL: natsUrl, SHUTDOWN_TIMEOUT_MS: '-5', LOG_LEVEL: 'chatty' }),
      (error: Error) => {
        assert.match(error.message, /exited with code 78/);
        assert.match(error.message, /helixgate sleepy: invalid configuration/);
        assert.match(error.message, /- SHUTDOWN_TIMEOUT_MS:/);
        assert.match(error.message, /- LOG_LEVEL:/);
        return true;
      },
    );
  });
});
