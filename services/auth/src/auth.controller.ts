import { AuthSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import type { z } from 'zod';
import { AccountsService } from './accounts.service';
import { OAuthService } from './oauth.service';

type In<K extends keyof typeof AuthSubjects> = z.output<(typeof AuthSubjects)[K]['request']>;

/** Every auth subject; the rules live in AccountsService and OAuthService. */
@Controller()
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly oauth: OAuthService,
  ) {}

  @HandleRequest(AuthSubjects.createAccount)
  createAccount(input: In<'createAccount'>) {
    return this.accounts.create(input);
  }
  @HandleRequest(AuthSubjects.listAccounts)
  listAccounts() {
    return this.accounts.list();
  }
  @HandleRequest(AuthSubjects.updateAccount)
  updateAccount(input: In<'updateAccount'>) {
    return this.accounts.update(input);
  }
  @HandleRequest(AuthSubjects.verifyPassword)
  verifyPassword({ email, password }: In<'verifyPassword'>) {
    return this.accounts.verifyPassword(email, password);
  }

  @HandleRequest(AuthSubjects.createApiToken)
  createApiToken({ accountId, label }: In<'createApiToken'>) {
    return this.accounts.createApiToken(accountId, label);
  }
  @HandleRequest(AuthSubjects.listApiTokens)
  listApiTokens({ accountId }: In<'listApiTokens'>) {
    return this.accounts.listApiTokens(accountId);
  }
  @HandleRequest(AuthSubjects.revokeApiToken)
  revokeApiToken({ accountId, id }: In<'revokeApiToken'>) {
    return this.accounts.revokeApiToken(accountId, id);
  }
  @HandleRequest(AuthSubjects.verifyApiToken)
  verifyApiToken({ email, token }: In<'verifyApiToken'>) {
    return this.accounts.verifyApiToken(email, token);
  }

  @HandleRequest(AuthSubjects.createWebSession)
  createWebSession({ email, password }: In<'createWebSession'>) {
    return this.accounts.createWebSession(email, password);
  }
  @HandleRequest(AuthSubjects.resolveWebSession)
  resolveWebSession({ sessionId }: In<'resolveWebSession'>) {
    return this.accounts.resolveWebSession(sessionId);
  }
  @HandleRequest(AuthSubjects.deleteWebSession)
  deleteWebSession({ sessionId }: In<'deleteWebSession'>) {
    return this.accounts.deleteWebSession(sessionId);
  }

  @HandleRequest(AuthSubjects.createOAuthClient)
  createOAuthClient(input: In<'createOAuthClient'>) {
    return this.oauth.createClient(input);
  }
  @HandleRequest(AuthSubjects.listOAuthClients)
  listOAuthClients() {
    return this.oauth.listClients();
  }
  @HandleRequest(AuthSubjects.revokeOAuthClient)
  revokeOAuthClient({ consumerKey }: In<'revokeOAuthClient'>) {
    return this.oauth.revokeClient(consumerKey);
  }

  @HandleRequest(AuthSubjects.requestToken)
  requestToken({ database, request }: In<'requestToken'>) {
    return this.oauth.requestToken(database, request);
  }
  @HandleRequest(AuthSubjects.describeRequestToken)
  describeRequestToken({ database, token }: In<'describeRequestToken'>) {
    return this.oauth.describeRequestToken(database, token);
  }
  @HandleRequest(AuthSubjects.authorizeRequestToken)
  authorizeRequestToken({ accountId, database, token }: In<'authorizeRequestToken'>) {
    return this.oauth.authorize(accountId, database, token);
  }
  @HandleRequest(AuthSubjects.accessToken)
  accessToken({ database, request }: In<'accessToken'>) {
    return this.oauth.accessToken(database, request);
  }
  @HandleRequest(AuthSubjects.sessionToken)
  sessionToken({ database, request }: In<'sessionToken'>) {
    return this.oauth.sessionToken(database, request);
  }
  @HandleRequest(AuthSubjects.authenticate)
  authenticate({ database, request, submission }: In<'authenticate'>) {
    return this.oauth.authenticate(database, request, submission);
  }
  @HandleRequest(AuthSubjects.revokeAccountAuthorizations)
  async revokeAccountAuthorizations({ email, consumerKey }: In<'revokeAccountAuthorizations'>) {
    return this.oauth.revokeAccountAuthorizations((await this.accounts.findByEmail(email))._id, consumerKey);
  }
  @HandleRequest(AuthSubjects.listAuthorizations)
  listAuthorizations({ accountId }: In<'listAuthorizations'>) {
    return this.oauth.listAuthorizations(accountId);
  }
  @HandleRequest(AuthSubjects.revokeAuthorization)
  revokeAuthorization({ accountId, id }: In<'revokeAuthorization'>) {
    return this.oauth.revokeAuthorization(accountId, id);
  }
}
