import { AuthSubjects, type Identity, ServiceError } from '@helixgate/contracts';
import { RpcClient } from '@helixgate/platform';
import { Controller, Delete, Get, Header, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { readForm, readJsonObject } from '../http-body';
import { Authenticated, CurrentIdentity, PASSWORD_REQUIRED } from './guards';
import { loginPage } from './pages';
import { clearSessionCookie, localPath, sessionIdOf, setSessionCookie } from './web-session';

const ID = /^[a-f0-9]{24}$/;
const checkId = (id: string) => {
  if (!ID.test(id)) throw ServiceError.notFound('No such item.');
  return id;
};

/** Helixgate's own account routes: logging in for the authorisation page, API tokens, authorised clients. */
@ApiTags('Accounts and tokens')
@Controller('auth')
export class AccountController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('login')
  @Header('Content-Type', 'text/html; charset=utf-8')
  loginForm(@Query('next') next: unknown): string {
    return loginPage(localPath(next));
  }

  @Post('login')
  // @Res(): sets the session cookie and redirects, or answers the login page with a 401.
  async createWebSession(@Req() request: Request, @Res() response: Response): Promise<void> {
    const form = await readForm(request);
    const next = localPath(form.get('next'));
    try {
      const session = await this.rpc.request(AuthSubjects.createWebSession, {
        email: form.get('email') ?? '',
        password: form.get('password') ?? '',
      });
      setSessionCookie(request, response, session.sessionId, session.expiresAt);
      response.redirect(303, next);
    } catch (error) {
      if (!(error instanceof ServiceError) || (error.status !== 401 && error.status !== 400)) throw error;
      response
        .status(401)
        .type('html')
        .send(loginPage(next, error.status === 401 ? error.message : 'Invalid email or password.'));
    }
  }

  @Post('logout')
  // @Res(): clears the session cookie and redirects.
  async deleteWebSession(@Req() request: Request, @Res() response: Response): Promise<void> {
    const sessionId = sessionIdOf(request);
    if (sessionId) await this.rpc.request(AuthSubjects.deleteWebSession, { sessionId });
    clearSessionCookie(response);
    response.redirect(303, '/auth/login');
  }

  @Get('whoami')
  @UseGuards(
    Authenticated(
      ['oauth-session', 'api-token', 'password'],
      'Send credentials: an OAuth-signed request, "Authorization: <email> <token>", or HTTP Basic.',
    ),
  )
  @ApiOperation({ summary: 'Who the credentials belong to (OAuth session, API token or password)' })
  whoami(@CurrentIdentity() identity: Identity) {
    return identity;
  }

  @Post('tokens')
  @HttpCode(201)
  @ApiBasicAuth()
  @UseGuards(Authenticated(['password'], PASSWORD_REQUIRED))
  @ApiOperation({ summary: 'A new API token (for the CGI API); shown this once' })
  async createApiToken(@CurrentIdentity() identity: Identity, @Req() request: Request) {
    const body = await readJsonObject(request);
    return this.rpc.request(AuthSubjects.createApiToken, {
      accountId: identity.accountId,
      label: typeof body.label === 'string' ? body.label : '',
    });
  }

  @Get('tokens')
  @ApiBasicAuth()
  @UseGuards(Authenticated(['password'], PASSWORD_REQUIRED))
  listApiTokens(@CurrentIdentity() identity: Identity) {
    return this.rpc.request(AuthSubjects.listApiTokens, { accountId: identity.accountId });
  }

  @Delete('tokens/:id')
  @ApiBasicAuth()
  @UseGuards(Authenticated(['password'], PASSWORD_REQUIRED))
  revokeApiToken(@CurrentIdentity() identity: Identity, @Param('id') id: string) {
    return this.rpc.request(AuthSubjects.revokeApiToken, { accountId: identity.accountId, id: checkId(id) });
  }

  @Post('oauth/verifier')
  @HttpCode(200)
  @ApiBasicAuth()
  @UseGuards(Authenticated(['password'], PASSWORD_REQUIRED))
  @ApiOperation({
    summary:
      'Authorise a request token without a browser: {"database", "oauth_token"} → {"oauth_verifier"} (kjolley/BIGSdb#971)',
  })
  async authorizeRequestToken(@CurrentIdentity() identity: Identity, @Req() request: Request) {
    const body = await readJsonObject(request);
    if (typeof body.database !== 'string' || typeof body.oauth_token !== 'string')
      throw ServiceError.badRequest('Send {"database": …, "oauth_token": …}.');
    const { oauth_verifier } = await this.rpc.request(AuthSubjects.authorizeRequestToken, {
      accountId: identity.accountId,
      database: body.database,
      token: body.oauth_token,
    });
    return { oauth_verifier };
  }

  @Get('oauth/authorizations')
  @ApiBasicAuth()
  @UseGuards(Authenticated(['password'], PASSWORD_REQUIRED))
  @ApiOperation({ summary: 'The clients you have authorised' })
  listAuthorizations(@CurrentIdentity() identity: Identity) {
    return this.rpc.request(AuthSubjects.listAuthorizations, { accountId: identity.accountId });
  }

  @Delete('oauth/authorizations/:id')
  @ApiBasicAuth()
  @UseGuards(Authenticated(['password'], PASSWORD_REQUIRED))
  revokeAuthorization(@CurrentIdentity() identity: Identity, @Param('id') id: string) {
    return this.rpc.request(AuthSubjects.revokeAuthorization, { accountId: identity.accountId, id: checkId(id) });
  }
}
