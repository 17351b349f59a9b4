import type { PageHeadersSchema, PageRequest } from '@helixgate/contracts';
import {
  type CallHandler,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import type { z } from 'zod';
import { sendDownload } from '../download';

/** A page of a BIGSdb list as a service answers it: the JSON body, and the paging headers sent beside it. */
export interface PagedReply {
  body: Record<string, unknown>;
  headers: z.infer<typeof PageHeadersSchema>;
}

/** BIGSdb's paging headers: X-Per-Page, X-Offset and X-Total-Pages. */
export function setPagingHeaders(response: Response, headers: PagedReply['headers']): void {
  response.setHeader('X-Per-Page', headers.perPage);
  response.setHeader('X-Offset', headers.offset);
  response.setHeader('X-Total-Pages', headers.totalPages);
}

/** Sends a handler's PagedReply as BIGSdb does: the body as JSON, the paging in headers. */
@Injectable()
export class PagingHeadersInterceptor implements NestInterceptor<PagedReply, PagedReply['body']> {
  intercept(context: ExecutionContext, next: CallHandler<PagedReply>): Observable<PagedReply['body']> {
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((reply) => {
        setPagingHeaders(response, reply.headers);
        return reply.body;
      }),
    );
  }
}

/** A route that answers a BIGSdb page (see PagingHeadersInterceptor). */
export const PagingHeaders = (): MethodDecorator & ClassDecorator => UseInterceptors(PagingHeadersInterceptor);

/** The request's paging inputs, as BIGSdb reads them: query parameters and the X-OFFSET / X-PER-PAGE headers. */
export function pageRequestOf(request: Request): PageRequest {
  const at = request.originalUrl.indexOf('?');
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' ? value.slice(0, 50) : undefined;
  };
  return {
    path: request.path,
    query: [...new URLSearchParams(at >= 0 ? request.originalUrl.slice(at + 1) : '')],
    offsetHeader: header('x-offset'),
    perPageHeader: header('x-per-page'),
  };
}

/** The handler parameter that receives the request's paging inputs (see pageRequestOf). */
export const Page = createParamDecorator((_data: unknown, context: ExecutionContext): PageRequest =>
  pageRequestOf(context.switchToHttp().getRequest<Request>()),
);

/** A BIGSdb flag parameter (with_pk, allele_ids_only…): on for any value but "" and "0", as Perl reads it. */
export const flag = (value: unknown): boolean => typeof value === 'string' && value !== '' && value !== '0';

/** A download typing-db streams as it reads it (RpcClient.stream), sent on to the client as text/plain. */
export function sendTypingDownload(response: Response, chunks: AsyncIterableIterator<Uint8Array>): Promise<void> {
  return sendDownload(response, { 'Content-Type': 'text/plain; charset=UTF-8' }, chunks);
}
