import type { Request } from 'express';

/** A host name or address with an optional port: anything else in Host is never trusted or echoed. */
const SAFE_HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/**
 * The scheme and host clients reach this gateway at, for links and OAuth base URLs: PUBLIC_URL, else what
 * the request (or, with TRUST_PROXY, the proxy's X-Forwarded-* headers) says.
 */
export function publicOrigin(request: Request, publicUrl: string | undefined, port: number): string {
  if (publicUrl) return publicUrl;
  const host = request.host && SAFE_HOST.test(request.host) ? request.host : `127.0.0.1:${port}`;
  return `${request.protocol}://${host}`;
}
