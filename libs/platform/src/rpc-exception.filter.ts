import { randomUUID } from 'node:crypto';
import { ErrorCodes, ServiceError } from '@helixgate/contracts';
import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import type { Logger } from 'pino';
import { type Observable, throwError } from 'rxjs';

/** Turns whatever a handler throws into the error envelope; unexpected errors are logged with an id. */
@Catch()
export class ErrorEnvelopeFilter implements RpcExceptionFilter<unknown> {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown): Observable<never> {
    if (exception instanceof ServiceError) {
      this.logger.info({ status: exception.status, code: exception.code }, 'request refused');
      return throwError(() => exception.toEnvelope());
    }
    const errorId = randomUUID();
    this.logger.error({ err: exception, errorId }, 'unhandled error in a request handler');
    return throwError(() =>
      new ServiceError(500, ErrorCodes.internal, `Internal error (error id ${errorId}).`).toEnvelope(),
    );
  }
}
