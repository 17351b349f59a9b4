import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect as connectTcp } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ServiceError } from '@helixgate/contracts';
import { TransferStore } from '@helixgate/platform';
import { ensureInfrastructure, uniqueName } from '@helixgate/testing';
import type { Request } from 'express';
import fc from 'fast-check';
import { connect, type NatsConnection } from 'nats';
import { type MultipartRules, readMultipartUpload } from '../src/multipart-upload';

/**
 * Property: readMultipartUpload, fed any mutation or truncation of a valid multipart body (bytes replaced,
 * inserted or cut, NULs, bare CRs and LFs, the boundary changed or dropped, the client gone mid-body), always
 * settles: with the form, or with a 4xx ServiceError; never hangs, never leaves an error unheard, and never
 * leaves a stored file behind when it fails. Files go to a real object store on the real NATS.
 */
const BOUNDARY = 'propBoundaryX9';
/** A run that has not settled by then counts as hung (a hang guard, not a timing). */
const SETTLE_WITHIN_MS = 5_000;
const RULES: MultipartRules = {
  file: (field, stored) =>
    field === 'input_data' && !stored.has(field)
      ? 'store'
      : field === 'bad'
        ? ServiceError.badRequest('bad file')
        : 'ignore',
  fileMaxBytes: 4096,
  fileTooLarge: () => 'The file is too large.',
  maxFiles: 3,
  maxFields: 6,
  fieldMaxBytes: 512,
  tooManyFiles: 'Too many files.',
};
const VALID = Buffer.from(
  [
    `--${BOUNDARY}`,
    'Content-Disposition: form-data; name="job"',
    '',
    'job1',
    `--${BOUNDARY}`,
    'Content-Disposition: form-data; name="input_data"; filename="in.txt"',
    'Content-Type: text/plain',
    '',
    'ACGT'.repeat(600),
    `--${BOUNDARY}`,
    'Content-Disposition: form-data; name="extra"; filename="x.bin"',
    'Content-Type: application/octet-stream',
    '',
    'xyz',
    `--${BOUNDARY}--`,
    '',
  ].join('\r\n'),
);

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'replace'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; length: number };

/** Bytes that matter to a multipart parser most of the time, any byte otherwise. */
const byte = fc.oneof(fc.constantFrom(0, 10, 13, 45, 34, 59, 58, 32, 9, 0xff), fc.integer({ min: 0, max: 255 }));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), byte }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.array(byte, { minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
);

function mutate(body: Buffer, mutations: Mutation[]): Buffer {
  let out = body;
  for (const m of mutations) {
    const at = out.length ? m.at % (out.length + 1) : 0;
    if (m.kind === 'truncate') out = out.subarray(0, at);
    else if (m.kind === 'replace' && at < out.length)
      out = Buffer.concat([out.subarray(0, at), Buffer.from([m.byte]), out.subarray(at + 1)]);
    else if (m.kind === 'insert') out = Buffer.concat([out.subarray(0, at), Buffer.from(m.bytes), out.subarray(at)]);
    else if (m.kind === 'delete') out = Buffer.concat([out.subarray(0, at), out.subarray(at + m.length)]);
  }
  return out;
}

describe('readMultipartUpload: any mutation of a valid form settles', () => {
  let nats: NatsConnection;
  let transfers: TransferStore;
  /** The store the server writes to: the roomy one, or one too small for the upload. */
  let active: TransferStore;
  let server: Server;
  let port: number;
  const bucket = uniqueName('test-multipart');
  /** What the handler of each request settled with, by request id. */
  const settled = new Map<string, (outcome: { status: number; refs: number }) => void>();
  const unheard: unknown[] = [];
  const onUnheard = (error: unknown) => unheard.push(error);

  before(async () => {
    nats = await connect({ servers: (await ensureInfrastructure()).natsUrl });
    transfers = await TransferStore.open(nats, bucket, { ttlMs: 60_000, maxBytes: 64 * 1024 ** 2 });
    active = transfers;
    process.on('uncaughtException', onUnheard);
    process.on('unhandledRejection', onUnheard);
    server = createServer((req, res) => {
      const id = String(req.headers['x-run']);
      readMultipartUpload(req as unknown as Request, active, {
        ...RULES,
        fileMaxBytes: Number(req.headers['x-file-max'] ?? RULES.fileMaxBytes),
      }).then(
        async (form) => {
          for (const file of form.files) await active.remove(file.ref);
          settled.get(id)?.({ status: 200, refs: form.files.length });
          res.writeHead(200, { Connection: 'close' }).end(JSON.stringify(form.fields));
        },
        (error: unknown) => {
          const status = error instanceof ServiceError ? error.status : 500;
          settled.get(id)?.({ status, refs: 0 });
          res.writeHead(status, { Connection: 'close' }).end(error instanceof Error ? error.message : String(error));
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(async () => {
    process.off('uncaughtException', onUnheard);
    process.off('unhandledRejection', onUnheard);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const name of [bucket, `${bucket}-small`])
      await (await nats.jetstreamManager()).streams.delete(`OBJ_${name}`).catch(() => undefined);
    await nats.drain();
  });

  let runs = 0;
  /** Sends a body over a raw socket and waits until the handler has settled. */
  async function send(
    body: Buffer,
    contentType: string,
    cut: 'none' | 'abort' | 'short',
    fileMax = RULES.fileMaxBytes,
  ): Promise<{ status: number }> {
    const id = String((runs += 1));
    const outcome = new Promise<{ status: number; refs: number }>((resolve) => settled.set(id, resolve));
    const declared = cut === 'none' ? body.length : body.length + 100;
    const socket = connectTcp(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    socket.write(
      `POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Run: ${id}\r\nX-File-Max: ${fileMax}\r\nContent-Type: ${contentType}\r\nContent-Length: ${declared}\r\n\r\n`,
    );
    socket.write(body, () => {
      if (cut === 'abort') socket.destroy();
      if (cut === 'short') socket.end(); // half-closed: the body stops short of its Content-Length
    });
    let guard: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        outcome,
        new Promise<never>(
          (_, reject) =>
            (guard = setTimeout(() => reject(new Error(`run ${id} did not settle (hung)`)), SETTLE_WITHIN_MS)),
        ),
      ]);
    } finally {
      clearTimeout(guard);
      settled.delete(id);
      socket.destroy();
    }
  }

  test('the valid form itself is read whole', async () => {
    assert.equal((await send(VALID, `multipart/form-data; boundary=${BOUNDARY}`, 'none')).status, 200);
  });

  test('every mutation, truncation or cut-off connection settles with the form or a 4xx, and nothing is left stored', async () => {
    const contentType = fc.oneof(
      { weight: 8, arbitrary: fc.constant(`multipart/form-data; boundary=${BOUNDARY}`) },
      { weight: 1, arbitrary: fc.constant('multipart/form-data') },
      { weight: 1, arbitrary: fc.constant('multipart/form-data; boundary=propBoundaryY') },
      { weight: 1, arbitrary: fc.constant('multipart/form-data; boundary=') },
      { weight: 1, arbitrary: fc.constant(`multipart/form-data; boundary="${BOUNDARY}"; boundary=${'b'.repeat(200)}`) },
    );
    const cut = fc.oneof(
      { weight: 6, arbitrary: fc.constant('none' as const) },
      fc.constant('abort' as const),
      fc.constant('short' as const),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        contentType,
        cut,
        async (mutations, type, how) => {
          const { status } = await send(mutate(VALID, mutations), type, how);
          assert.ok(status === 200 || (status >= 400 && status < 500), `status ${status}`);
        },
      ),
      { numRuns: 300 },
    );
    assert.deepEqual(unheard, [], 'no error event or rejection went unheard');
    const os = await nats.jetstream().views.os(bucket);
    assert.deepEqual(
      (await os.list()).filter((info) => !info.deleted).map((info) => info.name),
      [],
      'no stored file is left',
    );
  });

  test('a store too small for the file: a 503, the form settled, nothing unheard', async () => {
    active = await TransferStore.open(nats, `${bucket}-small`, { ttlMs: 60_000, maxBytes: 64 * 1024 });
    try {
      const big = Buffer.from(VALID.toString('latin1').replace('ACGT'.repeat(600), 'ACGT'.repeat(100_000)), 'latin1');
      assert.equal((await send(big, `multipart/form-data; boundary=${BOUNDARY}`, 'none', 1024 ** 2)).status, 503);
      assert.deepEqual(unheard, []);
    } finally {
      active = transfers;
    }
  });
});
