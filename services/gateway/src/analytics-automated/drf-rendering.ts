import { AA_DETAIL, ServiceError } from '@helixgate/contracts';
import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import { escapeHtml, htmlPage } from '../html';

type Format = 'json' | 'api';

/** An error DRF words as {"detail": …}. */
export const drfDetail = (status: number, message: string) => new ServiceError(status, AA_DETAIL, message);

/** DRF's format suffix of a path (`endpoints.json`, `submission/.json`, `job/psipred.json/`), if it has one. */
export function formatSuffixOf(path: string): string | undefined {
  return /\.(json|html)\/?$/.exec(path)?.[1];
}

/**
 * What DRF would render: `.json` or `?format=json` → JSON, `?format=api` → the browsable page; otherwise the
 * Accept header in order of preference, where anything that takes HTML (`*\/*` included, as python-requests
 * sends) gets the browsable page first, as A_A's renderer order has it.
 */
export function negotiate(suffix: string | undefined, query: unknown, accept: string | undefined): Format {
  const format = suffix ?? (typeof query === 'string' && query ? query : undefined);
  if (format === 'json') return 'json';
  if (format === 'api') return 'api';
  if (format !== undefined) throw ServiceError.notFound('Not found.');
  const ranges = (accept || '*/*')
    .split(',')
    .map((part, index) => {
      const [type = '', ...params] = part.trim().toLowerCase().split(';');
      const q = Number(
        params
          .map((p) => p.trim())
          .find((p) => p.startsWith('q='))
          ?.slice(2) ?? '1',
      );
      return { type: type.trim(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { type } of ranges) {
    if (type === 'text/html' || type === '*/*' || type === 'text/*') return 'api';
    if (type === 'application/json' || type === 'application/*') return 'json';
  }
  throw drfDetail(406, 'Could not satisfy the request Accept header.');
}

/** The request's format, as DRF reads it from the path's suffix, ?format= and the Accept header. */
export const formatOf = (request: Request): Format =>
  negotiate(formatSuffixOf(request.path), request.query.format, request.headers.accept);

/** A body as DRF sends it: JSON (compact, as DRF writes it) or the browsable API page. */
function render(request: Request, response: Response, format: Format, body: unknown): string {
  response.setHeader('Vary', 'Accept');
  if (format === 'json') {
    response.type('application/json');
    return JSON.stringify(body);
  }
  const statusLine = `HTTP ${response.statusCode} ${response.statusMessage || ''}`.trim();
  const page =
    `<main><h1>analytics_automated</h1><p><code>${escapeHtml(request.method)} ${escapeHtml(request.originalUrl)}</code></p>` +
    `<pre class="card">${escapeHtml(statusLine)}\nContent-Type: application/json\nVary: Accept\n\n${escapeHtml(JSON.stringify(body, null, 4))}</pre>` +
    `<p><a href="?format=json">json</a></p></main>`;
  response.type('text/html; charset=utf-8');
  return htmlPage('analytics_automated', page);
}

/** Negotiates the format before the handler runs (a 404 or 406 first, as DRF has it) and renders its reply in it. */
@Injectable()
export class DrfRenderingInterceptor implements NestInterceptor<unknown, string> {
  intercept(context: ExecutionContext, next: CallHandler<unknown>): Observable<string> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const format = formatOf(request);
    return next.handle().pipe(map((body) => render(request, response, format, body)));
  }
}

/** A route answered as DRF renders (see DrfRenderingInterceptor). */
export const DrfRendered = (): MethodDecorator & ClassDecorator => UseInterceptors(DrfRenderingInterceptor);

/**
 * A route under /analytics_automated/ with DRF's format suffixes: `<path>.json`, `<path>/.json` and `<path>`, in
 * that order, so that a parameter at the end (`job/:name`) is matched without the suffix.
 */
export const withFormatSuffixes = (path: string): string[] => [`${path}.json`, `${path}/.json`, path];
