import { createHmac } from 'node:crypto';
import { safeEqual } from '../crypto';

/** RFC 3986 percent-encoding, as RFC 5849 section 3.6 requires (unreserved characters stay as they are). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** RFC 5849 3.4.1.2: scheme and host in lower case, default port dropped, no query or fragment. */
export function baseStringUri(url: string): string {
  const parsed = new URL(url);
  const scheme = parsed.protocol.toLowerCase();
  const defaultPort = (scheme === 'http:' && parsed.port === '80') || (scheme === 'https:' && parsed.port === '443');
  const port = parsed.port && !defaultPort ? `:${parsed.port}` : '';
  return `${scheme}//${parsed.hostname.toLowerCase()}${port}${parsed.pathname}`;
}

/**
 * RFC 5849 3.4.1: METHOD & URI & normalised parameters (every parameter but oauth_signature). The header's
 * realm is not a parameter: callers leave it out; a realm in the query is signed like any other.
 */
export function signatureBaseString(
  method: string,
  url: string,
  params: ReadonlyArray<readonly [string, string]>,
): string {
  const normalized = params
    .filter(([key]) => key !== 'oauth_signature')
    .map(([key, value]) => [percentEncode(key), percentEncode(value)] as const)
    .sort(([k1, v1], [k2, v2]) => (k1 < k2 ? -1 : k1 > k2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  return [method.toUpperCase(), percentEncode(baseStringUri(url)), percentEncode(normalized)].join('&');
}

/** RFC 5849 3.4.2: HMAC-SHA1 keyed with consumer secret & token secret, base64. */
export function hmacSha1(baseString: string, consumerSecret: string, tokenSecret = ''): string {
  return createHmac('sha1', `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`)
    .update(baseString)
    .digest('base64');
}

export function signatureMatches(
  request: { method: string; url: string; params: ReadonlyArray<readonly [string, string]> },
  consumerSecret: string,
  tokenSecret: string,
): boolean {
  const given = request.params.find(([key]) => key === 'oauth_signature')?.[1];
  if (!given) return false;
  const expected = hmacSha1(
    signatureBaseString(request.method, request.url, request.params),
    consumerSecret,
    tokenSecret,
  );
  return safeEqual(given, expected);
}
