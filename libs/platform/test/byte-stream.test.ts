import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineStreamSubject, ServiceError, StreamCreditSchema } from '@helixgate/contracts';
import { ensureInfrastructure, uniqueName } from '@helixgate/testing';
import { connect, headers as natsHeaders, JSONCodec, type Msg, type NatsConnection } from 'nats';
import { z } from 'zod';
import {
  RpcClient,
  STREAM_CREDIT_HEADER,
  STREAM_SEQ_HEADER,
  STREAM_TO_HEADER,
  STREAM_WINDOW_HEADER,
  wireSubject,
} from '../src';

const codec = JSONCodec<Record<string, unknown>>();
const ExportSubject = defineStreamSubject('test-svc.things.export.v1', z.object({ name: z.string() }));

/**
 * The caller's side of a byte stream (RpcClient.stream) against a service written here on raw NATS, speaking the
 * protocol by hand: what the caller accepts, what it refuses, and what it tells the service.
 */
describe('RpcClient.stream on a real NATS server', () => {
  let nats: NatsConnection;
  const prefix = uniqueName('bs');
  const client = () => new RpcClient(nats, { timeoutMs: 1_000, subjectPrefix: prefix });

  /** The next request to the export subject, as the service sees it. */
  const nextRequest = () =>
    new Promise<Msg>((resolve) => {
      nats.subscribe(wireSubject(ExportSubject, prefix), { max: 1, callback: (_error, message) => resolve(message) });
    });
  const chunk = (to: string, seq: number, text: string) => {
    const h = natsHeaders();
    h.set(STREAM_SEQ_HEADER, String(seq));
    nats.publish(to, Buffer.from(text), { headers: h });
  };
  const reply = (message: Msg, body: Record<string, unknown>) => message.respond(codec.encode(body));
  const text = async (chunks: AsyncIterableIterator<Uint8Array>) => {
    let all = '';
    for await (const c of chunks) all += Buffer.from(c).toString();
    return all;
  };

  before(async () => {
    nats = await connect({ servers: (await ensureInfrastructure()).natsUrl });
  });
  after(() => nats.drain());

  test('chunks in order, then the reply: the whole body, even when the reply overtakes the last chunk', async () => {
    const asked = nextRequest();
    await nats.flush();
    const chunks = client().stream(ExportSubject, { name: 'a' });
    const request = await asked;
    const to = request.headers!.get(STREAM_TO_HEADER);
    assert.ok(request.headers!.get(STREAM_CREDIT_HEADER));
    assert.ok(Number(request.headers!.get(STREAM_WINDOW_HEADER)) >= 1);
    chunk(to, 1, 'ab');
    reply(request, { response: { chunks: 2, bytes: 4 } });
    await sleep(50);
    chunk(to, 2, 'cd');
    assert.equal(await text(chunks), 'abcd');
  });

  test("a service's error before the first chunk is its own status", async () => {
    const asked = nextRequest();
    await nats.flush();
    const chunks = client().stream(ExportSubject, { name: 'a' });
    reply(await asked, { err: { status: 404, code: 'not_found', message: 'No such thing.' } });
    await assert.rejects(chunks.next(), (error: unknown) => error instanceof ServiceError && error.status === 404);
  });

  test('a chunk lost on the way fails the stream instead of leaving a hole', async () => {
    const asked = nextRequest();
    await nats.flush();
    const chunks = client().stream(ExportSubject, { name: 'a' });
    const to = (await asked).headers!.get(STREAM_TO_HEADER);
    chunk(to, 1, 'ab');
    chunk(to, 3, 'ef');
    // Whatever was taken before the gap, the stream ends in a 503, never in a body that looks whole.
    await assert.rejects(text(chunks), (error: unknown) => error instanceof ServiceError && error.status === 503);
  });

  test('the caller reports what it has taken, and cancels when it stops reading', async () => {
    const asked = nextRequest();
    await nats.flush();
    const chunks = client().stream(ExportSubject, { name: 'a' });
    const request = await asked;
    const credits: Array<z.infer<typeof StreamCreditSchema>> = [];
    const cancelled = new Promise<void>((resolve) => {
      nats.subscribe(request.headers!.get(STREAM_CREDIT_HEADER), {
        callback: (_error, message) => {
          const credit = StreamCreditSchema.parse(codec.decode(message.data));
          credits.push(credit);
          if (credit.cancel) resolve();
        },
      });
    });
    await nats.flush();
    const to = request.headers!.get(STREAM_TO_HEADER);
    for (let seq = 1; seq <= 8; seq += 1) chunk(to, seq, 'x');
    for (let i = 0; i < 8; i += 1) await chunks.next();
    await chunks.return!();
    await cancelled;
    assert.ok(
      credits.some((c) => c.received >= 8 && !c.cancel),
      JSON.stringify(credits),
    );
    assert.deepEqual(credits.at(-1), { received: 8, cancel: true });
  });

  test('a service that falls silent fails the stream with a 503', async () => {
    const asked = nextRequest();
    await nats.flush();
    const chunks = client().stream(ExportSubject, { name: 'a' });
    chunk((await asked).headers!.get(STREAM_TO_HEADER), 1, 'ab');
    await chunks.next();
    await assert.rejects(chunks.next(), (error: unknown) => error instanceof ServiceError && error.status === 503);
  });
});
