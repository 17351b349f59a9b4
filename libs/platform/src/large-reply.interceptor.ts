import { Readable } from 'node:stream';
import { INLINE_PAYLOAD_LIMIT_BYTES } from '@helixgate/contracts';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { from, mergeMap, type Observable } from 'rxjs';
import { TransferStore } from './jetstream';

/** Far past any JSON reply; a guard against a runaway one filling the bucket. */
const LARGEST_REPLY_BYTES = 512 * 1024 ** 2;

/**
 * A reply too large for a NATS message (1 MB by default) travels through the object store instead: the
 * message carries `{ transferredReply: ref }`, which RpcClient reads back. Every service's request handlers
 * have this interceptor (PlatformModule provides it), so no reply size is a 500.
 */
@Injectable()
export class LargeReplyInterceptor implements NestInterceptor {
  constructor(private readonly transfers: TransferStore) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(mergeMap((reply) => from(this.deliverable(reply))));
  }

  private async deliverable(reply: unknown): Promise<unknown> {
    const encoded = JSON.stringify(reply);
    if (encoded === undefined || Buffer.byteLength(encoded) <= INLINE_PAYLOAD_LIMIT_BYTES) return reply;
    const ref = await this.transfers.put(
      Readable.from([encoded]),
      LARGEST_REPLY_BYTES,
      'The reply is too large to send.',
    );
    return { transferredReply: ref };
  }
}
