import { AuthSubjects, type ParsedRequest } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { AccountsService } from './accounts.service';

/** auth.accounts.*, auth.credentials.*, auth.api-tokens.* and auth.web-sessions.*: an account and how it signs in. */
@Controller()
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @HandleRequest(AuthSubjects.createAccount)
  createAccount(input: ParsedRequest<typeof AuthSubjects.createAccount>) {
    return this.accounts.create(input);
  }
  @HandleRequest(AuthSubjects.listAccounts)
  listAccounts() {
    return this.accounts.list();
  }
  @HandleRequest(AuthSubjects.updateAccount)
  updateAccount(input: ParsedRequest<typeof AuthSubjects.updateAccount>) {
    return this.accounts.update(input);
  }
  @HandleRequest(AuthSubjects.verifyPassword)
  verifyPassword({ email, password }: ParsedRequest<typeof AuthSubjects.verifyPassword>) {
    return this.accounts.verifyPassword(email, password);
  }

  @HandleRequest(AuthSubjects.createApiToken)
  createApiToken({ accountId, label }: ParsedRequest<typeof AuthSubjects.createApiToken>) {
    return this.accounts.createApiToken(accountId, label);
  }
  @HandleRequest(AuthSubjects.listApiTokens)
  listApiTokens({ accountId }: ParsedRequest<typeof AuthSubjects.listApiTokens>) {
    return this.accounts.listApiTokens(accountId);
  }
  @HandleRequest(AuthSubjects.revokeApiToken)
  revokeApiToken({ accountId, id }: ParsedRequest<typeof AuthSubjects.revokeApiToken>) {
    return this.accounts.revokeApiToken(accountId, id);
  }
  @HandleRequest(AuthSubjects.verifyApiToken)
  verifyApiToken({ email, token }: ParsedRequest<typeof AuthSubjects.verifyApiToken>) {
    return this.accounts.verifyApiToken(email, token);
  }

  @HandleRequest(AuthSubjects.createWebSession)
  createWebSession({ email, password }: ParsedRequest<typeof AuthSubjects.createWebSession>) {
    return this.accounts.createWebSession(email, password);
  }
  @HandleRequest(AuthSubjects.resolveWebSession)
  resolveWebSession({ sessionId }: ParsedRequest<typeof AuthSubjects.resolveWebSession>) {
    return this.accounts.resolveWebSession(sessionId);
  }
  @HandleRequest(AuthSubjects.deleteWebSession)
  deleteWebSession({ sessionId }: ParsedRequest<typeof AuthSubjects.deleteWebSession>) {
    return this.accounts.deleteWebSession(sessionId);
  }
}
