import { randomUUID } from 'node:crypto';
import { type ErrorEnvelope, ErrorCodes, ServiceError } from '@helixgate/contracts';
import { InjectLogger } from '@helixgate/platform';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { familyOf, formatError } from './api-families';

const CODE_BY_STATUS: Record<number, string> = {
  400: ErrorCodes.badRequest,
  401: ErrorCodes.unauthorized,
  403: ErrorCodes.forbidden,
  404: ErrorCodes.notFound,
  413: ErrorCodes.payloadTooLarge,
  429: ErrorCodes.tooManyRequests,
  503: ErrorCodes.serviceUnavailable,
};

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/**
 * The gateway's one error path: service envelopes, Nest's HTTP errors (unknown route, rate limit) and
 * anything unexpected, each written in the wire format of the API family the path belongs to.
 * Unexpected errors are logged with an id and answered without internals.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(@InjectLogger() private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const envelope = this.toEnvelope(exception);
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const wire = formatError(familyOf(request.path), envelope);
    // On a 413 the rest of the body is left unread; Node discards it after the response, so the client,
    // still uploading, gets to read this answer instead of a broken pipe.
    response.status(wire.status).type(wire.contentType).send(wire.body);
  }

  private toEnvelope(exception: unknown): ErrorEnvelope {
    if (exception instanceof ServiceError) return exception.toEnvelope();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { status, code: CODE_BY_STATUS[status] ?? `http_${status}`, message: messageOf(exception) };
    }
    const errorId = randomUUID();
    this.logger.error({ err: exception, errorId }, 'unhandled error');
    return { status: 500, code: ErrorCodes.internal, message: `Internal server error (error id ${errorId}).` };
  }
}
