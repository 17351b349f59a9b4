import { ErrorCodes, ServiceError, type Subject } from '@helixgate/contracts';
import { MessagePattern } from '@nestjs/microservices';
import type { z } from 'zod';
import { wireSubject } from './subjects';

type Handler<S extends Subject<z.ZodTypeAny, z.ZodTypeAny>> = (
  request: z.output<S['request']>,
) => Promise<z.input<S['reply']>>;

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
      const request = subject.request.safeParse(data);
      if (!request.success) {
        throw new ServiceError(400, ErrorCodes.badRequest, `Invalid request for ${subject.name}`, request.error.issues);
      }
      return subject.reply.parse(await original.call(this, request.data)) as unknown;
    } as T;
    MessagePattern(wireSubject(subject))(target, key, descriptor);
  };
}
