import {
  hasNul,
  INLINE_PAYLOAD_LIMIT_BYTES,
  parseJsonObject,
  type RawJsonBody,
  ServiceError,
} from '@helixgate/contracts';
import type { TransferStore } from '@helixgate/platform';
import type { Request } from 'express';

/** A request body that broke off (the client went away, the connection reset) is the client's, never a 500. */
function interrupted(error: unknown): ServiceError {
  return error instanceof ServiceError
    ? error
    : ServiceError.badRequest('The request body was interrupted before it ended.');
}

/** Reads a small request body whole, refusing it (413) past limitBytes. */
export async function readSmallBody(request: Request, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of request.iterator({ destroyOnReturn: false })) {
      total += (chunk as Buffer).length;
      if (total > limitBytes)
        throw ServiceError.payloadTooLarge(
          `The request body is larger than the ${limitBytes} bytes this route accepts.`,
        );
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    request.resume(); // the loop has let go of the body: the rest is discarded, so the client can read the answer
    throw interrupted(error);
  }
  return Buffer.concat(chunks);
}

/**
 * A JSON object body, whatever the Content-Type says (BIGSdb's Dancer2 and its Perl client work that way). Empty: {}.
 * Read with the safe reader: nested past JSON_MAX_DEPTH, a NUL anywhere or a prototype name as a key is a 400.
 */
export async function readJsonObject(request: Request, limitBytes = 64 * 1024): Promise<Record<string, unknown>> {
  return parseJsonObject(await readSmallBody(request, limitBytes));
}

/** An HTML form body (application/x-www-form-urlencoded). A NUL in a name or value is a 400. */
export async function readForm(request: Request, limitBytes = 16 * 1024): Promise<URLSearchParams> {
  const form = new URLSearchParams((await readSmallBody(request, limitBytes)).toString('utf8'));
  refuseNulFields(form);
  return form;
}

/** Form fields: a NUL in a name or value is a 400, before any service stores it. */
function refuseNulFields(fields: Iterable<[string, string]>): void {
  for (const [name, value] of fields) {
    if (hasNul(name) || hasNul(value))
      throw ServiceError.badRequest('A form field holds a NUL character (U+0000), which is not accepted.');
  }
}

/**
 * A body passed on unparsed: inline when it fits in a message, otherwise streamed into the object store as it
 * arrives (never whole in the gateway's memory). Past limitBytes it is refused with a 413 carrying tooLarge's text,
 * told the declared size when the client sent Content-Length. `inspect` sees every chunk as it arrives and may
 * refuse the body by throwing (a streaming JSON scanner).
 */
export async function readOrParkBody(
  request: Request,
  transfers: TransferStore,
  limitBytes: number,
  tooLarge: (declaredBytes?: number) => string,
  inspect?: (chunk: Buffer) => void,
): Promise<RawJsonBody> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    request.resume();
    throw ServiceError.payloadTooLarge(tooLarge(declared));
  }
  const source = request.iterator({ destroyOnReturn: false });
  const head: Buffer[] = [];
  let total = 0;
  try {
    for (;;) {
      const next = await source.next();
      if (next.done) {
        const text = Buffer.concat(head).toString('utf8');
        // Inline only when it still fits once JSON-encoded (a control byte becomes six characters).
        if (Buffer.byteLength(JSON.stringify(text)) <= INLINE_PAYLOAD_LIMIT_BYTES) return { text };
        break;
      }
      inspect?.(next.value as Buffer);
      head.push(next.value as Buffer);
      total += (next.value as Buffer).length;
      if (total > INLINE_PAYLOAD_LIMIT_BYTES) break;
    }
  } catch (error) {
    throw interrupted(error);
  }
  async function* rest() {
    try {
      yield* head;
      for (;;) {
        const next = await source.next();
        if (next.done) return;
        inspect?.(next.value as Buffer);
        yield next.value as Buffer;
      }
    } finally {
      // Stopped early (the limit, the store): the body is let go so that the rest can be discarded.
      await source.return?.(undefined);
    }
  }
  try {
    return { ref: await transfers.put(rest(), limitBytes, tooLarge()) };
  } catch (error) {
    request.resume();
    throw interrupted(error);
  }
}
