import { AuthSubjects, type RequestOf, ServiceError } from '@helixgate/contracts';
import { RpcClient } from '@helixgate/platform';
import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { readJsonObject } from '../http-body';
import { Authenticated, PASSWORD_REQUIRED } from './guards';

/** A client's body, unchecked: RpcClient checks every payload against the contract and answers a 400 naming each bad field. */
const unchecked = <S>(body: unknown) => body as RequestOf<S>;

/** Account and OAuth client administration (HTTP Basic, admin accounts only); `npm run admin` does the same offline. */
@ApiTags('Administration')
@ApiBasicAuth()
@UseGuards(Authenticated(['password'], PASSWORD_REQUIRED, { admin: true }))
@Controller('admin')
export class AdminController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('accounts')
  listAccounts() {
    return this.rpc.request(AuthSubjects.listAccounts, {});
  }

  @Post('accounts')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an account: {email, firstName, surname, affiliation?, role?, password}' })
  async createAccount(@Req() request: Request) {
    return this.rpc.request(
      AuthSubjects.createAccount,
      unchecked<typeof AuthSubjects.createAccount>(await readJsonObject(request)),
    );
  }

  @Patch('accounts/:email')
  @ApiOperation({ summary: 'Change role, status (active|disabled) or password' })
  async updateAccount(@Param('email') email: string, @Req() request: Request) {
    return this.rpc.request(
      AuthSubjects.updateAccount,
      unchecked<typeof AuthSubjects.updateAccount>({ ...(await readJsonObject(request)), email }),
    );
  }

  @Delete('accounts/:email/oauth-authorizations')
  @ApiOperation({ summary: 'End the OAuth access an account gave (all clients, or ?key= one)' })
  revokeAccountAuthorizations(@Param('email') email: string, @Req() request: Request) {
    const key = typeof request.query.key === 'string' ? request.query.key : undefined;
    return this.rpc.request(
      AuthSubjects.revokeAccountAuthorizations,
      unchecked<typeof AuthSubjects.revokeAccountAuthorizations>({ email, consumerKey: key }),
    );
  }

  @Get('oauth-clients')
  listOAuthClients() {
    return this.rpc.request(AuthSubjects.listOAuthClients, {});
  }

  @Post('oauth-clients')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Register a client: {name, permissions: [{database, submission}], allDatabases?}; the secret is shown once',
  })
  async createOAuthClient(@Req() request: Request) {
    return this.rpc.request(
      AuthSubjects.createOAuthClient,
      unchecked<typeof AuthSubjects.createOAuthClient>(await readJsonObject(request)),
    );
  }

  @Delete('oauth-clients/:key')
  revokeOAuthClient(@Param('key') key: string) {
    if (!/^[A-Za-z0-9]{1,100}$/.test(key)) throw ServiceError.notFound('No such client.');
    return this.rpc.request(AuthSubjects.revokeOAuthClient, { consumerKey: key });
  }
}
