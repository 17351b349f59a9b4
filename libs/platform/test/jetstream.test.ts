import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, test } from 'node:test';
import { ServiceError } from '@helixgate/contracts';
import { ensureInfrastructure, uniqueName } from '@helixgate/testing';
import { AckPolicy, connect, headers, type NatsConnection, RetentionPolicy } from 'nats';
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
      await assert.rejects(
        small.put(Readable.from([Buffer.alloc(200 * 1024, 2)]), 1024 * 1024, 'too large'),
        (error: unknown) => {
          assert.ok(error instanceof ServiceError);
          assert.equal(error.status, 503);
          return true;
        },
      );
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
      await assert.rejects(
        small.put(Readable.from(slow()), 10 * 1024 ** 2, 'too large'),
        (error: unknown) => error instanceof ServiceError && error.status === 503,
      );
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
    await assert.rejects(
      transfers.put(broken(), 1024 ** 2, 'too large'),
      (error: unknown) => error instanceof ServiceError && error.status === 400,
    );
    const source = new Readable({ read() {} });
    source.push(Buffer.alloc(300 * 1024));
    await assert.rejects(
      transfers.put(source, 100 * 1024, 'too large'),
      (error: unknown) => error instanceof ServiceError && error.status === 413,
    );
    assert.equal(source.destroyed, false);
    assert.equal(source.listenerCount('readable'), 0);
  });

  test('reading more than the reader allows is a 413, a removed object a 400', async () => {
    const ref = await transfers.park('doc-2', Buffer.from('{"type":"mapping"}'));
    await assert.rejects(
      transfers.read(ref, 4),
      (error: unknown) => error instanceof ServiceError && error.status === 413,
    );
    await transfers.remove(ref);
    await assert.rejects(
      transfers.read(ref, 1024),
      (error: unknown) => error instanceof ServiceError && error.status === 400,
    );
  });

  describe('reads', () => {
    const MiB = 1024 * 1024;
    const big = `${bucket}-big`;
    let store: TransferStore;
    // Memory is measured after a collection: what a read holds, not the garbage it leaves behind.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    async function* pattern(chunks: number, chunkBytes: number) {
      for (let i = 0; i < chunks; i++) yield Buffer.alloc(chunkBytes, i % 251);
    }
    const directGets = async (subject: string) => {
      const requests = { count: 0 };
      const subscription = nats.subscribe(subject, { callback: () => void (requests.count += 1) });
      await nats.flush();
      return { requests, stop: () => subscription.unsubscribe() };
    };
    const unavailable = (error: unknown) => error instanceof ServiceError && error.status === 503;

    before(async () => {
      store = await TransferStore.open(nats, big, { ttlMs: 60_000, maxBytes: 96 * MiB });
    });
    after(async () => {
      await (await nats.jetstreamManager()).streams.delete(`OBJ_${big}`).catch(() => undefined);
    });

    test('a slow reader of a 64 MB object holds a few chunks, not the object', async () => {
      const ref = await store.put(pattern(1024, 64 * 1024), 64 * MiB, 'too large');
      const expected = createHash('sha256');
      for await (const chunk of pattern(1024, 64 * 1024)) expected.update(chunk);
      gc();
      const baseline = process.memoryUsage();
      let grewRss = 0;
      let grewBuffers = 0;
      const seen = createHash('sha256');
      let n = 0;
      for await (const chunk of store.stream(ref)) {
        seen.update(chunk);
        await new Promise((resolve) => setTimeout(resolve, 2)); // a slow client
        if (++n % 32 === 0) {
          gc();
          const now = process.memoryUsage();
          grewRss = Math.max(grewRss, now.rss - baseline.rss);
          grewBuffers = Math.max(grewBuffers, now.arrayBuffers - baseline.arrayBuffers);
        }
      }
      assert.equal(seen.digest('hex'), expected.digest('hex'));
      assert.ok(n >= 512, `${n} chunks`);
      assert.ok(grewBuffers < 32 * MiB, `buffers grew by ${grewBuffers} bytes while reading 64 MiB`);
      assert.ok(grewRss < 32 * MiB, `RSS grew by ${grewRss} bytes while reading 64 MiB`);
      await store.remove(ref);
    });

    test('a read that is stopped (a copy refused by its limit, a reader gone) asks for no more chunks', async () => {
      const ref = await store.put(pattern(64, 128 * 1024), 8 * MiB, 'too large');
      const gets = await directGets(`$JS.API.DIRECT.GET.OBJ_${big}`);
      try {
        // A copy of it into a put (as A_A does for a job given twice), refused at 1 MiB.
        await assert.rejects(
          store.put(store.stream(ref), MiB, 'too large'),
          (error: unknown) => error instanceof ServiceError && error.status === 413,
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        const afterCopy = gets.requests.count;
        assert.ok(afterCopy > 0 && afterCopy <= 12, `${afterCopy} chunks asked for by a copy stopped after 1 MiB`);
        // A reader that takes two chunks and lets go.
        const reader = store.stream(ref);
        await reader.next();
        await reader.next();
        await reader.return(undefined);
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.ok(
          gets.requests.count - afterCopy <= 3,
          `${gets.requests.count - afterCopy} chunks asked for by a reader of two`,
        );
        assert.deepEqual(await reader.next(), { done: true, value: undefined });
      } finally {
        gets.stop();
        await store.remove(ref);
      }
    });

    test('metadata that cannot be read, a wrong digest and chunks gone midway are 503s, not 500s or a hang', async () => {
      const js = nats.jetstream();
      const rollup = headers();
      rollup.set('Nats-Rollup', 'sub');
      // Metadata subjects name the object in padded base64url.
      const meta = (name: string) =>
        `$O.${big}.M.${Buffer.from(name).toString('base64').replace(/\+/g, '-').replace(/\//g, '_')}`;
      // Corrupt metadata: the store's own info() rejects.
      const corrupt = await store.put(pattern(2, 1024), MiB, 'too large');
      await js.publish(meta(corrupt.name), 'not json', { headers: rollup });
      await assert.rejects(store.read(corrupt, MiB), unavailable);
      await assert.rejects(store.stream(corrupt).next(), unavailable);
      // A digest that does not match the chunks.
      const wrong = await store.park('wrong-digest', Buffer.alloc(300 * 1024, 7));
      const info = await (await js.views.os(big)).info('wrong-digest');
      await js.publish(
        meta('wrong-digest'),
        JSON.stringify({ ...info, digest: `SHA-256=${Buffer.alloc(32).toString('base64url')}=` }),
        { headers: rollup },
      );
      await assert.rejects(store.read(wrong, MiB), unavailable);
      // Chunks purged while a reader is on the first one.
      const ref = await store.put(pattern(8, 128 * 1024), 2 * MiB, 'too large');
      const nuid = (await (await js.views.os(big)).info(ref.name))!.nuid;
      const reader = store.stream(ref);
      await reader.next();
      await (await nats.jetstreamManager()).streams.purge(`OBJ_${big}`, { filter: `$O.${big}.C.${nuid}` });
      await assert.rejects(
        (async () => {
          for await (const _ of reader);
        })(),
        unavailable,
      );
    });
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
