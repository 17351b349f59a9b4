import { createHash } from 'node:crypto';
import { AuthSubjects, DatabaseNameSchema, ServiceError } from '@helixgate/contracts';
import { RpcClient } from '@helixgate/platform';
import { All, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { readForm } from '../http-body';
import { authorizePage, messagePage, verifierPage } from './pages';
import { PublicOrigin } from '../public-origin';
import { signedRequest } from './signed-request';
import { sessionIdOf } from './web-session';

/** Token requests carry a few OAuth parameters, never data. */
const TOKEN_BODY_LIMIT = 64 * 1024;
type TokenSubject =
  typeof AuthSubjects.requestToken | typeof AuthSubjects.accessToken | typeof AuthSubjects.sessionToken;

/** A form token tied to the login session: a page on another site cannot know it. */
export const csrfTokenFor = (sessionId: string) =>
  createHash('sha256').update(`helixgate-csrf:${sessionId}`).digest('base64url');

/** BIGSdb's OAuth routes under /db/{database}/oauth, and the page where a user authorises a client. */
@ApiTags('BIGSdb OAuth 1.0a')
@Controller('db/:database/oauth')
export class OAuthController {
  constructor(private readonly rpc: RpcClient) {}

  @All('get_request_token')
  @ApiOperation({
    summary: 'A request token (signed with the consumer secret, oauth_callback=oob); GET as BIGSdb, POST accepted',
  })
  requestToken(@Param('database') database: string, @Req() request: Request, @PublicOrigin() origin: string) {
    return this.token(AuthSubjects.requestToken, database, request, origin);
  }

  @All('get_access_token')
  @ApiOperation({ summary: 'An access token for an authorised request token and its oauth_verifier' })
  accessToken(@Param('database') database: string, @Req() request: Request, @PublicOrigin() origin: string) {
    return this.token(AuthSubjects.accessToken, database, request, origin);
  }

  @All('get_session_token')
  @ApiOperation({ summary: 'A 12-hour session token, signed with the access token' })
  sessionToken(@Param('database') database: string, @Req() request: Request, @PublicOrigin() origin: string) {
    return this.token(AuthSubjects.sessionToken, database, request, origin);
  }

  private async token(subject: TokenSubject, database: string, request: Request, origin: string) {
    if (request.method !== 'GET' && request.method !== 'POST')
      throw ServiceError.notFound('This route does not exist.');
    if (!DatabaseNameSchema.safeParse(database).success)
      throw ServiceError.notFound(`Database ${database.slice(0, 100)} does not exist.`);
    const { signed } = await signedRequest(request, origin, TOKEN_BODY_LIMIT);
    return this.rpc.request(subject, { database, request: signed });
  }

  @Get('authorize')
  @ApiOperation({ summary: 'The page where a logged-in user authorises a client and is shown the verifier' })
  // @Res(): answers a redirect to the login page, or an HTML page with the status of its own.
  async describeRequestToken(
    @Param('database') database: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const token = typeof request.query.oauth_token === 'string' ? request.query.oauth_token : '';
    const sessionId = sessionIdOf(request);
    const identity = sessionId
      ? await this.rpc.request(AuthSubjects.resolveWebSession, { sessionId }).catch(() => null)
      : null;
    if (!sessionId || !identity) {
      response.redirect(303, `/auth/login?next=${encodeURIComponent(request.originalUrl)}`);
      return;
    }
    const described = await this.describe(database, token, response);
    if (!described) return;
    response.type('html').send(
      authorizePage({
        clientName: described.clientName,
        database,
        token,
        csrf: csrfTokenFor(sessionId),
        email: identity.email,
      }),
    );
  }

  @Post('authorize')
  // @Res(): answers an HTML page with the status of its own.
  async authorizeRequestToken(
    @Param('database') database: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const form = await readForm(request);
    const sessionId = sessionIdOf(request);
    const identity = sessionId
      ? await this.rpc.request(AuthSubjects.resolveWebSession, { sessionId }).catch(() => null)
      : null;
    if (!sessionId || !identity || form.get('csrf') !== csrfTokenFor(sessionId)) {
      response
        .status(403)
        .type('html')
        .send(
          messagePage(
            'Not authorised',
            'Your login has ended or this form did not come from this site. Open the authorisation link again.',
          ),
        );
      return;
    }
    const token = form.get('oauth_token') ?? '';
    if (form.get('decision') !== 'authorize') {
      response
        .type('html')
        .send(messagePage('Access denied', 'The client was not given access. You can close this page.'));
      return;
    }
    try {
      const { oauth_verifier, clientName } = await this.rpc.request(AuthSubjects.authorizeRequestToken, {
        accountId: identity.accountId,
        database,
        token,
      });
      response.type('html').send(verifierPage(clientName, oauth_verifier));
    } catch (error) {
      if (!(error instanceof ServiceError) || error.status >= 500) throw error;
      response.status(error.status).type('html').send(messagePage('Cannot authorise', error.message));
    }
  }

  private async describe(database: string, token: string, response: Response) {
    try {
      if (!DatabaseNameSchema.safeParse(database).success || !token)
        throw new ServiceError(
          401,
          'unauthorized',
          'Invalid request token.  Generate new request token (/get_request_token).',
        );
      return await this.rpc.request(AuthSubjects.describeRequestToken, { database, token: token.slice(0, 100) });
    } catch (error) {
      if (!(error instanceof ServiceError) || error.status >= 500) throw error;
      response.status(error.status).type('html').send(messagePage('Cannot authorise', error.message));
      return null;
    }
  }
}
