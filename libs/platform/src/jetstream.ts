import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { RUN_PRIORITIES, runStream, runSubject, ServiceError, type ObjectRef } from '@helixgate/contracts';
import {
  headers,
  type JetStreamManager,
  type NatsConnection,
  type ObjectInfo,
  type ObjectStore,
  RetentionPolicy,
  type StoredMsg,
  type StreamConfig,
  StorageType,
} from 'nats';

/** Creates the stream, or brings an existing one's configuration up to date. Idempotent. */
export async function ensureStream(
  connection: NatsConnection,
  config: Partial<StreamConfig> & Pick<StreamConfig, 'name' | 'subjects'>,
) {
  const manager = await connection.jetstreamManager();
  try {
    const existing = await manager.streams.info(config.name);
    return await manager.streams.update(config.name, { ...existing.config, ...config });
  } catch (error) {
    if ((error as { code?: string }).code !== '404') throw error;
    return manager.streams.add(config);
  }
}

/** Opens (creating when missing) an object store bucket whose objects expire after ttlMs, capped at maxBytes. */
export async function openObjectStore(
  connection: NatsConnection,
  bucket: string,
  ttlMs: number,
  maxBytes: number,
): Promise<ObjectStore> {
  return connection
    .jetstream()
    .views.os(bucket, { ttl: ttlMs * 1_000_000, storage: StorageType.File, max_bytes: maxBytes });
}

/** The store refused a write (bucket full, JetStream unavailable): the client may retry later. */
function storeUnavailable(error: unknown): never {
  if (error instanceof ServiceError) throw error;
  throw ServiceError.unavailable('Temporary storage for uploads is full or unavailable; try again shortly.');
}

async function* limited(source: AsyncIterable<Uint8Array | string>, limitBytes: number, tooLarge: () => Error) {
  let total = 0;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += bytes.byteLength;
    if (total > limitBytes) throw tooLarge();
    yield bytes;
  }
}

/** base64url as NATS writes it in object names and digests: with its padding. */
const paddedBase64Url = (bytes: Uint8Array) =>
  Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');

/** The SHA-256 an object's metadata gives ("SHA-256=" then base64, URL-safe or not, or hex), or null. */
function parseDigest(digest: string | undefined): Buffer | null {
  if (!digest?.startsWith('SHA-256=')) return null;
  const text = digest.slice('SHA-256='.length);
  const bytes = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  return bytes.length === 32 ? bytes : null;
}

/** nats.js's manager has direct gets (the object store's streams allow them), though its type does not say so. */
type DirectGets = {
  direct: { getMessage(stream: string, query: { seq: number; next_by_subj: string }): Promise<StoredMsg> };
};

/** Where a put's bytes come from went wrong (a client gone, a malformed form): the sender's fault, not the store's. */
class SourceFailed extends Error {
  constructor(readonly reason: unknown) {
    super('the source of an upload failed');
  }
}

async function* guarded(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array | string> {
  const iterator = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array | string>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw new SourceFailed(error);
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // Stopped early (a limit, the store): the source lets go, so its owner can still drain or answer on it.
    await iterator.return?.();
  }
}

/**
 * Files and large bodies between processes: streamed into a JetStream object store bucket and passed on by
 * name (an ObjectRef), never inside a message. Objects expire on their own after the bucket's TTL.
 */
export class TransferStore {
  private constructor(
    private readonly store: ObjectStore,
    readonly bucket: string,
    private readonly connection: NatsConnection,
  ) {}

  static async open(
    connection: NatsConnection,
    bucket: string,
    options: { ttlMs?: number; maxBytes: number },
  ): Promise<TransferStore> {
    return new TransferStore(
      await openObjectStore(connection, bucket, options.ttlMs ?? 60 * 60 * 1000, options.maxBytes),
      bucket,
      connection,
    );
  }

  /**
   * Streams a body into the bucket; rejects with a 413 ServiceError as soon as it exceeds limitBytes, a 400 when
   * the source fails (a client gone mid-body), a 503 when the store refuses. Written in the object store's own
   * layout (chunks, then the object's metadata), each chunk acknowledged before the next is read: nats.js's
   * put leaves chunk acknowledgements unheard while it reads on, and one refused by a full bucket then ends
   * the process as an unhandled rejection.
   */
  async put(
    source: Readable | AsyncIterable<Uint8Array | string>,
    limitBytes: number,
    tooLargeMessage: string,
  ): Promise<ObjectRef> {
    const name = randomUUID();
    const nuid = randomUUID().replace(/-/g, '');
    const chunkSubject = `$O.${this.bucket}.C.${nuid}`;
    const maxChunk = Math.min(128 * 1024, this.connection.info?.max_payload ?? 128 * 1024);
    const js = this.connection.jetstream();
    // A Node stream is not destroyed when the limit stops the reading: the caller may still answer on it.
    const chunks = source instanceof Readable ? source.iterator({ destroyOnReturn: false }) : source;
    const sha = createHash('sha256');
    let size = 0;
    let count = 0;
    const publish = async (payload: Uint8Array) => {
      sha.update(payload);
      size += payload.byteLength;
      count += 1;
      await js.publish(chunkSubject, payload);
    };
    try {
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      for await (const bytes of limited(guarded(chunks), limitBytes, () =>
        ServiceError.payloadTooLarge(tooLargeMessage),
      )) {
        pending.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        pendingBytes += bytes.byteLength;
        if (pendingBytes < maxChunk) continue;
        const all = Buffer.concat(pending, pendingBytes);
        let offset = 0;
        for (; all.length - offset >= maxChunk; offset += maxChunk)
          await publish(all.subarray(offset, offset + maxChunk));
        pending = [all.subarray(offset)];
        pendingBytes = all.length - offset;
      }
      if (pendingBytes > 0) await publish(Buffer.concat(pending, pendingBytes));
      const info = {
        name,
        description: '',
        options: { max_chunk_size: maxChunk },
        bucket: this.bucket,
        nuid,
        size,
        chunks: count,
        mtime: new Date().toISOString(),
        digest: `SHA-256=${paddedBase64Url(sha.digest())}`,
        deleted: false,
      };
      const rollup = headers();
      rollup.set('Nats-Rollup', 'sub');
      await js.publish(`$O.${this.bucket}.M.${paddedBase64Url(Buffer.from(name))}`, JSON.stringify(info), {
        headers: rollup,
      });
      return { bucket: this.bucket, name, size };
    } catch (error) {
      const manager = await this.connection.jetstreamManager().catch(() => undefined);
      await manager?.streams.purge(`OBJ_${this.bucket}`, { filter: chunkSubject }).catch(() => undefined);
      if (error instanceof ServiceError) throw error;
      if (error instanceof SourceFailed) {
        throw error.reason instanceof ServiceError
          ? error.reason
          : ServiceError.badRequest('The upload was interrupted or could not be read.');
      }
      return storeUnavailable(error);
    }
  }

  /**
   * Parks bytes under a name the caller derives from their content, writing them only when no live object
   * has that name yet: repeated reads of one large document share one copy until it expires.
   */
  async park(name: string, bytes: Uint8Array): Promise<ObjectRef> {
    const existing = await this.store.info(name).catch(() => null);
    if (existing && !existing.deleted && existing.size === bytes.byteLength)
      return { bucket: this.bucket, name, size: existing.size };
    const info = await this.store.putBlob({ name }, bytes).catch(storeUnavailable);
    return { bucket: this.bucket, name, size: info.size };
  }

  /** Reads an object whole; a missing one is a 400 (it expired or never existed), a larger one a 413. */
  async read(ref: ObjectRef, limitBytes: number): Promise<Buffer> {
    const tooLarge = () => ServiceError.payloadTooLarge(`The body is larger than ${limitBytes} bytes.`);
    if (ref.size > limitBytes) throw tooLarge();
    const gone = () => ServiceError.badRequest('The uploaded body is no longer available; send it again.');
    const chunks: Uint8Array[] = [];
    for await (const chunk of limited(this.chunks(ref, gone), limitBytes, tooLarge)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  /**
   * Streams an object out chunk by chunk (for downloads), never holding it whole. Whoever copies it into a put
   * passes it as it is (not wrapped in Readable.from), so that a put that stops early stops the read too.
   */
  stream(ref: ObjectRef): AsyncGenerator<Uint8Array> {
    return this.chunks(ref, () => ServiceError.unavailable('The download is no longer available; ask for it again.'));
  }

  /**
   * An object's chunks, each fetched by a direct get when the reader asks (the next one asked for while the reader
   * takes this one): a read holds two chunks at most, whatever the object's size and the reader's pace. nats.js's
   * get pushes every chunk as it arrives, so a slow reader there buffers the whole object. Reads the layout both
   * put and nats.js write, and checks the digest at the end. A store that fails, or stops answering within the
   * JetStream API timeout, or chunks that expired midway, end the read with a 503 (`gone` when the object is).
   */
  private async *chunks(ref: ObjectRef, gone: () => ServiceError): AsyncGenerator<Uint8Array> {
    const unreadable = () => ServiceError.unavailable('A stored file could not be read; try again shortly.');
    let info: ObjectInfo | null;
    let manager: JetStreamManager & DirectGets;
    try {
      const managed = this.connection.jetstreamManager({ checkAPI: false }) as Promise<JetStreamManager & DirectGets>;
      [info, manager] = await Promise.all([this.store.info(ref.name), managed]);
    } catch {
      throw unreadable();
    }
    if (!info || info.deleted) throw gone();
    const digest = parseDigest(info.digest);
    if (!digest || info.options?.link) throw unreadable();
    const subject = `$O.${this.bucket}.C.${info.nuid}`;
    const fetch = (seq: number) => {
      const message = manager.direct.getMessage(`OBJ_${this.bucket}`, { seq, next_by_subj: subject });
      message.catch(() => undefined); // heard at once: a reader that stops never awaits the one asked for ahead
      return message;
    };
    const sha = createHash('sha256');
    let received = 0;
    let next = info.size > 0 ? fetch(1) : undefined;
    while (next) {
      let message: StoredMsg;
      try {
        message = await next;
      } catch {
        throw unreadable();
      }
      received += message.data.byteLength;
      if (received > info.size) throw unreadable();
      sha.update(message.data);
      next = received < info.size ? fetch(message.seq + 1) : undefined;
      yield message.data;
    }
    if (!sha.digest().equals(digest)) throw unreadable();
  }

  async remove(ref: ObjectRef): Promise<void> {
    await this.store.delete(ref.name).catch(() => undefined);
  }
}

/** The bucket of run inputs and outputs: beside the transfer bucket, named after it, with no expiry. */
export function openJobFiles(
  connection: NatsConnection,
  config: { TRANSFER_BUCKET: string; JOB_FILES_MAX_BYTES: number },
): Promise<TransferStore> {
  return TransferStore.open(connection, `${config.TRANSFER_BUCKET}-jobs`, {
    ttlMs: 0,
    maxBytes: config.JOB_FILES_MAX_BYTES,
  });
}

/** The jobs work queue: a message per run, taken by one worker, kept until acknowledged. Idempotent. */
export function ensureRunStream(connection: NatsConnection, prefix: string) {
  return ensureStream(connection, {
    name: runStream(prefix),
    subjects: RUN_PRIORITIES.map((p) => runSubject(p, prefix)),
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
  });
}
