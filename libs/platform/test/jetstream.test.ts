import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { ServiceError } from '@helixgate/contracts';
import { ensureInfrastructure, uniqueName } from '@helixgate/testing';
import { AckPolicy, connect, type NatsConnection, RetentionPolicy } from 'nats';
import { ensureStream, TransferStore } from '../src';

describe('JetStream helpers on a real NATS server', () => {
  let nats: NatsConnection;
  let transfers: TransferStore;
  const bucket = uniqueName('test-transfers');

  before(async () => {
    nats = await connect({ servers: (await ensureInfrastructure()).natsUrl });
    transfers = await TransferStore.open(nats, bucket, { ttlMs: 60_000, maxBytes: 64 * 1024 * 1024 });
  });

  after(async () => {
    await (await nats.jetstreamManager()).streams.delete(`OBJ_${bucket}`).catch(() => undefined);
    await nats.drain();
  });

  test('a streamed body comes back byte for byte', async () => {
    const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(32 * 1024, i)); // 1.25 MiB: more than one NATS message
    const ref = await transfers.put(Readable.from(chunks), 2 * 1024 * 1024, 'too large');
    assert.equal(ref.size, 40 * 32 * 1024);
    assert.equal(ref.bucket, bucket);
    const back = await transfers.read(ref, ref.size);
    assert.ok(back.equals(Buffer.concat(chunks)));
  });

  test('a body over the limit is refused with a 413 while streaming', async () => {
    const big = Readable.from([Buffer.alloc(600 * 1024), Buffer.alloc(600 * 1024)]);
    await assert.rejects(transfers.put(big, 1024 * 1024, 'body too large'), (error: unknown) => {
      assert.ok(error instanceof ServiceError);
      assert.equal(error.status, 413);
      assert.equal(error.message, 'body too large');
      return true;
    });
  });

  test('parking the same name twice writes once', async () => {
    const first = await transfers.park('doc-1', Buffer.from('{"a":1}'));
    const second = await transfers.park('doc-1', Buffer.from('{"a":1}'));
    assert.deepEqual(first, second);
    assert.equal((await transfers.read(second, 100)).toString(), '{"a":1}');
  });

  test('a full bucket refuses uploads with a 503, and keeps what it holds', async () => {
    const small = await TransferStore.open(nats, `${bucket}-small`, { ttlMs: 60_000, maxBytes: 256 * 1024 });
    try {
      const kept = await small.put(Readable.from([Buffer.alloc(100 * 1024, 1)]), 1024 * 1024, 'too large');
      await assert.rejects(small.put(Readable.from([Buffer.alloc(200 * 1024, 2)]), 1024 * 1024, 'too large'), (error: unknown) => {
        assert.ok(error instanceof ServiceError);
        assert.equal(error.status, 503);
        return true;
      });
      assert.ok((await small.read(kept, kept.size)).equals(Buffer.alloc(100 * 1024, 1)));
    } finally {
      await (await nats.jetstreamManager()).streams.delete(`OBJ_${bucket}-small`).catch(() => undefined);
    }
  });

  test('a slow upload into a full bucket is a 503, with no unheard chunk acknowledgement left to end the process', async () => {
    // nats.js's own put read on while the bucket refused its first chunks: each refusal was an unhandled rejection.
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const small = await TransferStore.open(nats, `${bucket}-full`, { ttlMs: 60_000, maxBytes: 300 * 1024 });
    try {
      async function* slow() {
        for (let i = 0; i < 12; i++) {
          await new Promise((resolve) => setTimeout(resolve, 30));
          yield Buffer.alloc(64 * 1024, i);
        }
      }
      await assert.rejects(small.put(Readable.from(slow()), 10 * 1024 ** 2, 'too large'), (error: unknown) => error instanceof ServiceError && error.status === 503);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await (await nats.jetstreamManager()).streams.delete(`OBJ_${bucket}-full`).catch(() => undefined);
    }
  });

  test('a source that fails mid-body is a 400, and a stopped Node stream is let go (not destroyed)', async () => {
    async function* broken() {
      yield Buffer.alloc(200 * 1024, 1);
      throw new Error('aborted');
    }
    await assert.rejects(transfers.put(broken(), 1024 ** 2, 'too large'), (error: unknown) => error instanceof ServiceError && error.status === 400);
    const source = new Readable({ read() {} });
    source.push(Buffer.alloc(300 * 1024));
    await assert.rejects(transfers.put(source, 100 * 1024, 'too large'), (error: unknown) => error instanceof ServiceError && error.status === 413);
    assert.equal(source.destroyed, false);
    assert.equal(source.listenerCount('readable'), 0);
  });

  test('reading more than the reader allows is a 413, a removed object a 400', async () => {
    const ref = await transfers.park('doc-2', Buffer.from('{"type":"mapping"}'));
    await assert.rejects(transfers.read(ref, 4), (error: unknown) => error instanceof ServiceError && error.status === 413);
    await transfers.remove(ref);
    await assert.rejects(transfers.read(ref, 1024), (error: unknown) => error instanceof ServiceError && error.status === 400);
  });

  test('ensureStream creates a work queue once and updates it after', async () => {
    const name = uniqueName('TEST_WQ').replace(/-/g, '_');
    const subject = `${name}.runs`;
    try {
      const created = await ensureStream(nats, { name, subjects: [subject], retention: RetentionPolicy.Workqueue });
      assert.equal(created.config.retention, RetentionPolicy.Workqueue);
      const updated = await ensureStream(nats, { name, subjects: [subject], max_msgs: 100 });
      assert.equal(updated.config.max_msgs, 100);
      assert.equal(updated.config.retention, RetentionPolicy.Workqueue);

      const js = nats.jetstream();
      await js.publish(subject, Buffer.from('run-1'));
      const manager = await nats.jetstreamManager();
      await manager.consumers.add(name, { durable_name: 'workers', ack_policy: AckPolicy.Explicit });
      const consumer = await js.consumers.get(name, 'workers');
      const message = await consumer.next({ expires: 5_000 });
      assert.ok(message);
      assert.equal(Buffer.from(message.data).toString(), 'run-1');
      await message.ackAck();
      assert.equal((await manager.streams.info(name)).state.messages, 0, 'acked work leaves the queue');
    } finally {
      await (await nats.jetstreamManager()).streams.delete(name).catch(() => undefined);
    }
  });
});
