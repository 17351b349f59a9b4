import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ResultsSubjects, ServiceError } from '@helixgate/contracts';
import { join } from 'node:path';
import { ensureInfrastructure, type RunningProcess, startProcess, uniqueName } from '@helixgate/testing';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { ZodError } from 'zod';
import { RpcClient, wireSubject } from '../src';
import { SleepSubject } from './fixtures/sleepy-service';

const codec = JSONCodec<Record<string, unknown>>();

/** A responder speaking Nest's reply format, on a raw NATS subscription. */
function respond(
  nats: NatsConnection,
  subject: string,
  reply: (packet: Record<string, unknown>, headers?: string) => Record<string, unknown> | undefined,
) {
  return nats.subscribe(subject, {
    callback: (_error, message) => {
      const packet = codec.decode(message.data);
      const answer = reply(packet, message.headers?.get('x-request-id'));
      if (answer) message.respond(codec.encode({ id: packet.id, isDisposed: true, ...answer }));
    },
  });
}

describe('RpcClient on a real NATS server', () => {
  let nats: NatsConnection;
  const prefix = uniqueName('rpc');
  const subject = wireSubject(ResultsSubjects.get, prefix);
  const client = () => new RpcClient(nats, { timeoutMs: 1_000, subjectPrefix: prefix });

  before(async () => {
    nats = await connect({ servers: (await ensureInfrastructure()).natsUrl });
  });
  after(() => nats.drain());

  test('sends the Nest packet with the request id header and returns the checked reply', async () => {
    let seen: { packet?: Record<string, unknown>; requestId?: string } = {};
    const sub = respond(nats, subject, (packet, requestId) => {
      seen = { packet, requestId };
      return {
        response: {
          id: '7',
          type: 'mapping',
          createdAt: '2026-01-01T00:00:00.000Z',
          expiresAt: '2026-01-02T00:00:00.000Z',
          document: { inline: '{}' },
        },
      };
    });
    try {
      const reply = await client().request(ResultsSubjects.get, { id: '7' }, { requestId: 'req-123' });
      assert.equal(reply.id, '7');
      assert.deepEqual(seen.packet?.data, { id: '7' });
      assert.equal(seen.packet?.pattern, subject);
      assert.equal(seen.requestId, 'req-123');
    } finally {
      sub.unsubscribe();
    }
  });

  test('an error envelope comes back as the same ServiceError', async () => {
    const sub = respond(nats, subject, () => ({ err: { status: 404, code: 'not_found', message: 'No results' } }));
    try {
      await assert.rejects(client().request(ResultsSubjects.get, { id: '7' }), (error: unknown) => {
        assert.ok(error instanceof ServiceError);
        assert.deepEqual(error.toEnvelope(), { status: 404, code: 'not_found', message: 'No results' });
        return true;
      });
    } finally {
      sub.unsubscribe();
    }
  });

  test('nobody serving the subject is a 503 at once, not after the timeout', async () => {
    const slowClient = new RpcClient(nats, { timeoutMs: 30_000, subjectPrefix: uniqueName('nobody') });
    const started = Date.now();
    await assert.rejects(slowClient.request(ResultsSubjects.get, { id: '7' }), (error: unknown) => {
      assert.ok(error instanceof ServiceError);
      assert.equal(error.status, 503);
      assert.match(error.message, /results-import service is not available/);
      return true;
    });
    assert.ok(Date.now() - started < 30_000, 'the no-responders answer must not wait for the timeout');
  });

  test('a service that does not answer in time is a 503', async () => {
    const sub = respond(nats, subject, () => undefined);
    try {
      await assert.rejects(client().request(ResultsSubjects.get, { id: '7' }), (error: unknown) => {
        assert.ok(error instanceof ServiceError);
        assert.equal(error.status, 503);
        assert.match(error.message, /did not answer in time/);
        return true;
      });
    } finally {
      sub.unsubscribe();
    }
  });

  test('a reply that breaks the contract is refused', async () => {
    const sub = respond(nats, subject, () => ({ response: { id: 'not-a-number' } }));
    try {
      await assert.rejects(client().request(ResultsSubjects.get, { id: '7' }), ZodError);
    } finally {
      sub.unsubscribe();
    }
  });

  test('a request that breaks the contract never leaves', async () => {
    let received = 0;
    const sub = respond(nats, subject, () => {
      received += 1;
      return { response: {} };
    });
    try {
      await assert.rejects(
        client().request(ResultsSubjects.get, { id: 'abc' }),
        (error: unknown) => error instanceof ServiceError && error.status === 400,
      );
      await nats.flush();
      assert.equal(received, 0);
    } finally {
      sub.unsubscribe();
    }
  });
});

describe('RpcClient keepalives with a service process (real NATS)', () => {
  let nats: NatsConnection;
  let natsUrl: string;
  let service: RunningProcess | undefined;
  const prefix = uniqueName('keepalive');
  const SCRIPT = join(__dirname, 'fixtures', 'sleepy-service.js');
  // A long overall timeout: every answer below must come from the keepalives (or their absence), not from it.
  const client = () => new RpcClient(nats, { timeoutMs: 30_000, subjectPrefix: prefix });
  const startSleepy = async () =>
    (service = await startProcess('sleepy', SCRIPT, { NATS_URL: natsUrl, NATS_SUBJECT_PREFIX: prefix }));

  before(async () => {
    natsUrl = (await ensureInfrastructure()).natsUrl;
    nats = await connect({ servers: natsUrl });
  });
  after(async () => {
    await service?.stop('SIGKILL');
    await nats.drain();
  });

  test('a handler working past the idle window still answers: its keepalives say it is alive', async () => {
    await startSleepy();
    assert.deepEqual(await client().request(SleepSubject, { ms: 5_000 }), { slept: 5_000 });
  });

  test('a responder killed mid-request is a 503 within seconds, not at the timeout', async () => {
    const sleepy = service ?? (await startSleepy());
    const rpc = client();
    const started = Date.now();
    const pending = rpc.request(SleepSubject, { ms: 10_000 }).then(
      () => assert.fail('the request was answered by a killed process'),
      (error: unknown) => error,
    );
    // Killed while the handler sleeps (and has sent its first keepalive, a second in).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await sleepy.stop('SIGKILL');
    service = undefined;
    const error = await pending;
    assert.ok(error instanceof ServiceError, String(error));
    assert.equal(error.status, 503);
    assert.match(error.message, /platform-test service stopped answering/);
    assert.ok(Date.now() - started < 20_000, 'the 503 must come long before the 30 s timeout');
    // And nobody serving now: a new request is a 503 at once.
    await assert.rejects(
      rpc.request(SleepSubject, { ms: 0 }),
      (refused: unknown) => refused instanceof ServiceError && /is not available/.test(refused.message),
    );
  });
});
