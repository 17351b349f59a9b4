import type { SignedRequest } from '@helixgate/contracts';
import type { Request } from 'express';
import { readJsonObject } from '../http-body';
import { parseAuthorizationHeaderParams } from './oauth-header';

/**
 * The request as an OAuth client signed it. As in BIGSdb: the URL without its query; the query parameters;
 * and the oauth_* parameters found in the query, then a JSON body (the BIGSdb Perl client puts them there),
 * then the Authorization header, each name taken from the first place it appears. A JSON body is never signed.
 */
export async function signedRequest(
  request: Request,
  origin: string,
  bodyLimit: number,
): Promise<{ signed: SignedRequest; body: Record<string, unknown> }> {
  const queryString = request.originalUrl.includes('?')
    ? request.originalUrl.slice(request.originalUrl.indexOf('?') + 1)
    : '';
  const params: Array<[string, string]> = [...new URLSearchParams(queryString)];
  const present = new Set(params.map(([key]) => key));
  const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method)
    ? await readJsonObject(request, bodyLimit)
    : {};
  const add = (key: string, value: unknown) => {
    // JSON encoders write a timestamp as a number (Perl's does); OAuth signs its decimal text
    const text =
      typeof value === 'string'
        ? value
        : typeof value === 'number' && Number.isFinite(value)
          ? String(value)
          : undefined;
    if (!key.startsWith('oauth_') || present.has(key) || text === undefined) return;
    params.push([key, text]);
    present.add(key);
  };
  for (const [key, value] of Object.entries(body)) add(key, value);
  for (const [key, value] of parseAuthorizationHeaderParams(request.headers.authorization)) add(key, value);
  return { signed: { method: request.method, url: `${origin}${request.path}`, params }, body };
}
