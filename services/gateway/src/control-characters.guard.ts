import { CONTROL_CHARACTER, hasNul, ServiceError } from '@helixgate/contracts';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { parseAuthorizationHeaderParams } from './auth/oauth-header';

/** Headers whose values are used as data (credentials, paging, links, the client's address). */
const DATA_HEADERS = [
  'authorization',
  'x-per-page',
  'x-offset',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-for',
];

const refused = (where: string) =>
  ServiceError.badRequest(
    `The request holds a control character (U+0000 to U+001F or U+007F) in ${where}, which is not accepted.`,
  );

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a malformed escape is the route's business; its characters are still checked
  }
}

/**
 * Whether an Authorization header holds a control character once decoded: in a Basic e-mail (a password may hold
 * any character but NUL), an OAuth parameter, or the header itself (CGI's `<email> <token>`).
 */
function badCredentials(header: string): boolean {
  if (CONTROL_CHARACTER.test(header)) return true;
  const basic = /^\s*Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (basic) {
    const credentials = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = credentials.indexOf(':');
    return CONTROL_CHARACTER.test(colon < 0 ? credentials : credentials.slice(0, colon)) || hasNul(credentials);
  }
  return parseAuthorizationHeaderParams(header).some(
    ([key, value]) => CONTROL_CHARACTER.test(key) || CONTROL_CHARACTER.test(value),
  );
}

/**
 * The gateway's first check on every routed request: a NUL or another C0 control character in the decoded path,
 * a path parameter, a query parameter (name or value) or a header used as data is a 400 in the family's format
 * (a guard, so the exception filter writes it), before any controller, parser or service sees the request.
 */
@Injectable()
export class ControlCharactersGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (CONTROL_CHARACTER.test(decoded(request.path))) throw refused('the path');
    for (const [name, value] of Object.entries(request.params ?? {})) {
      for (const part of Array.isArray(value) ? value : [value]) {
        if (typeof part === 'string' && CONTROL_CHARACTER.test(part)) throw refused(`the path parameter ${name}`);
      }
    }
    const at = request.originalUrl.indexOf('?');
    if (at >= 0) {
      for (const [name, value] of new URLSearchParams(request.originalUrl.slice(at + 1))) {
        if (CONTROL_CHARACTER.test(name) || CONTROL_CHARACTER.test(value))
          throw refused(`the query parameter ${JSON.stringify(name.slice(0, 50))}`);
      }
    }
    for (const name of DATA_HEADERS) {
      const header = request.headers[name];
      for (const value of Array.isArray(header) ? header : header === undefined ? [] : [header]) {
        if (name === 'authorization' ? badCredentials(value) : CONTROL_CHARACTER.test(value))
          throw refused(`the ${name} header`);
      }
    }
    return true;
  }
}
