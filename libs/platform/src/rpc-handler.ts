import { Readable } from 'node:stream';
import { ErrorCodes, INLINE_PAYLOAD_LIMIT_BYTES, ServiceError, type Subject } from '@helixgate/contracts';
import type { TransferStore } from './jetstream';
import { MessagePattern } from '@nestjs/microservices';
import type { z } from 'zod';
import { wireSubject } from './subjects';

type Handler<S extends Subject<z.ZodTypeAny, z.ZodTypeAny>> = (
  request: z.output<S['request']>,
) => Promise<z.input<S['reply']>>;

/** The store large replies are parked in (set once per process, by connectTransfers). */
let largeReplies: TransferStore | undefined;
export function parkLargeRepliesIn(store: TransferStore): void {
  largeReplies = store;
}
/** Far past any JSON reply; a guard against a runaway one filling the bucket. */
const LARGEST_REPLY_BYTES = 512 * 1024 ** 2;

/** A reply too large for a NATS message (1 MB by default) travels through the object store instead. */
async function deliverable(reply: unknown): Promise<unknown> {
  const encoded = JSON.stringify(reply);
  if (encoded === undefined || Buffer.byteLength(encoded) <= INLINE_PAYLOAD_LIMIT_BYTES) return reply;
  if (!largeReplies) throw new ServiceError(500, ErrorCodes.internal, 'The reply is too large to send.');
  return {
    transferredReply: await largeReplies.put(
      Readable.from([encoded]),
      LARGEST_REPLY_BYTES,
      'The reply is too large to send.',
    ),
  };
}

/**
 * Marks a method as the handler of a contract subject. The request is validated against the subject's
 * schema before the method runs (a bad one is a 400 envelope) and the reply after it (a bad one is a bug).
 */
export function HandleRequest<S extends Subject<z.ZodTypeAny, z.ZodTypeAny>>(subject: S) {
  return <T extends Handler<S>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>): void => {
    const original = descriptor.value;
    if (!original) throw new Error(`@HandleRequest(${subject.name}) must decorate a method`);
    descriptor.value = async function (this: unknown, data: unknown) {
      const request = subject.request.safeParse(data);
      if (!request.success) {
        throw new ServiceError(400, ErrorCodes.badRequest, `Invalid request for ${subject.name}`, request.error.issues);
      }
      return deliverable(subject.reply.parse(await original.call(this, request.data)));
    } as T;
    MessagePattern(wireSubject(subject))(target, key, descriptor);
  };
}
