import { ErrorCodes, ServiceError, type Subject } from '@helixgate/contracts';
import { MessagePattern } from '@nestjs/microservices';
import type { z } from 'zod';
import { wireSubject } from './subjects';

type Handler<S extends Subject<z.ZodTypeAny, z.ZodTypeAny>> = (
  request: z.output<S['request']>,
) => Promise<z.input<S['reply']>>;

/** A request as a handler receives it, parsed by its subject's schema; a bad one is a 400 envelope. */
export function parsedRequest<S extends Subject<z.ZodTypeAny, z.ZodTypeAny>>(
  subject: S,
  data: unknown,
): z.output<S['request']> {
  const request = subject.request.safeParse(data);
  if (!request.success) {
    throw new ServiceError(400, ErrorCodes.badRequest, `Invalid request for ${subject.name}`, request.error.issues);
  }
  return request.data as z.output<S['request']>;
}

/**
 * Marks a method as the handler of a contract subject. The request is validated against the subject's
 * schema before the method runs (a bad one is a 400 envelope) and the reply after it (a bad one is a bug).
 * A reply too large for a message is sent on by the platform's LargeReplyInterceptor.
 */
export function HandleRequest<S extends Subject<z.ZodTypeAny, z.ZodTypeAny>>(subject: S) {
  return <T extends Handler<S>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>): void => {
    const original = descriptor.value;
    if (!original) throw new Error(`@HandleRequest(${subject.name}) must decorate a method`);
    descriptor.value = async function (this: unknown, data: unknown) {
      return subject.reply.parse(await original.call(this, parsedRequest(subject, data))) as unknown;
    } as T;
    MessagePattern(wireSubject(subject))(target, key, descriptor);
  };
}
