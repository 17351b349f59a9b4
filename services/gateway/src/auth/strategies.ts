import { AuthSubjects, type Identity, ServiceError } from '@helixgate/contracts';
import { RpcClient } from '@helixgate/platform';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { PublicOriginPipe } from '../public-origin';
import { signedRequest } from './signed-request';

/**
 * Each strategy answers null when its kind of credentials is absent (so the next strategy may try) and
 * throws a ServiceError, in the words the client's API family uses, when they are present but wrong.
 */

/** `Authorization: <email> <token>`, as the Cancer Genome Interpreter API takes it. */
@Injectable()
export class ApiTokenStrategy extends PassportStrategy(Strategy, 'api-token') {
  constructor(private readonly rpc: RpcClient) {
    super();
  }

  async validate(request: Request): Promise<Identity | null> {
    const header = request.headers.authorization?.trim();
    const match = header ? /^([^\s@]+@[^\s@]+)\s+([A-Za-z0-9]{20,200})$/.exec(header) : null;
    if (!match) return null;
    if (match[1].length > 254) throw new ServiceError(401, 'unauthorized', 'Invalid email or API token.');
    return this.rpc.request(AuthSubjects.verifyApiToken, { email: match[1], token: match[2] });
  }
}

/** HTTP Basic with an account's email and password (token management, the admin API). */
@Injectable()
export class PasswordStrategy extends PassportStrategy(Strategy, 'password') {
  constructor(private readonly rpc: RpcClient) {
    super();
  }

  async validate(request: Request): Promise<Identity | null> {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(request.headers.authorization?.trim() ?? '');
    if (!match) return null;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) throw new ServiceError(401, 'unauthorized', 'Malformed Basic credentials.');
    const email = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    if (email.length > 254 || password.length > 1024)
      throw new ServiceError(401, 'unauthorized', 'Invalid email or password.');
    return this.rpc.request(AuthSubjects.verifyPassword, { email, password });
  }
}

/** BIGSdb accepts POST bodies up to 32 MB on protected routes; OAuth parameters may be inside them. */
const PROTECTED_BODY_LIMIT = 32 * 1024 * 1024;

/**
 * A BIGSdb protected call: signed with an OAuth session token, for the database in the path (or ?db=).
 * 'oauth-session' for reading; 'oauth-submission' also needs the client's submission permission.
 */
function oauthStrategy(name: 'oauth-session' | 'oauth-submission', submission: boolean) {
  @Injectable()
  class OAuthStrategy extends PassportStrategy(Strategy, name) {
    constructor(
      @Inject(RpcClient) readonly rpc: RpcClient,
      @Inject(PublicOriginPipe) readonly publicOrigin: PublicOriginPipe,
    ) {
      super();
    }

    async validate(request: Request): Promise<Identity | null> {
      const database =
        (request.params as Record<string, string | undefined>).database ??
        (typeof request.query.db === 'string' ? request.query.db : undefined);
      const { signed, body } = await signedRequest(request, this.publicOrigin.transform(request), PROTECTED_BODY_LIMIT);
      request.body = body; // read once here; the route handler gets it parsed
      if (!signed.params.some(([key]) => key === 'oauth_consumer_key')) return null;
      if (!database) throw ServiceError.badRequest('Name the database: /db/{database}/… or ?db={database}.');
      return this.rpc.request(AuthSubjects.authenticate, { database, request: signed, submission });
    }
  }
  return OAuthStrategy;
}

export const OAuthSessionStrategy = oauthStrategy('oauth-session', false);
export const OAuthSubmissionStrategy = oauthStrategy('oauth-submission', true);

export const AUTH_STRATEGIES = [ApiTokenStrategy, PasswordStrategy, OAuthSessionStrategy, OAuthSubmissionStrategy];
