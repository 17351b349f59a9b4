import { AuthSubjects, type ParsedRequest } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { OAuthService } from './oauth.service';

/** auth.oauth-clients.* and auth.oauth.*: the OAuth 1.0a provider, its clients and what users authorised. */
@Controller()
export class OAuthController {
  constructor(private readonly oauth: OAuthService) {}

  @HandleRequest(AuthSubjects.createOAuthClient)
  createOAuthClient(input: ParsedRequest<typeof AuthSubjects.createOAuthClient>) {
    return this.oauth.createClient(input);
  }
  @HandleRequest(AuthSubjects.listOAuthClients)
  listOAuthClients() {
    return this.oauth.listClients();
  }
  @HandleRequest(AuthSubjects.revokeOAuthClient)
  revokeOAuthClient({ consumerKey }: ParsedRequest<typeof AuthSubjects.revokeOAuthClient>) {
    return this.oauth.revokeClient(consumerKey);
  }

  @HandleRequest(AuthSubjects.requestToken)
  requestToken({ database, request }: ParsedRequest<typeof AuthSubjects.requestToken>) {
    return this.oauth.requestToken(database, request);
  }
  @HandleRequest(AuthSubjects.describeRequestToken)
  describeRequestToken({ database, token }: ParsedRequest<typeof AuthSubjects.describeRequestToken>) {
    return this.oauth.describeRequestToken(database, token);
  }
  @HandleRequest(AuthSubjects.authorizeRequestToken)
  authorizeRequestToken({ accountId, database, token }: ParsedRequest<typeof AuthSubjects.authorizeRequestToken>) {
    return this.oauth.authorize(accountId, database, token);
  }
  @HandleRequest(AuthSubjects.accessToken)
  accessToken({ database, request }: ParsedRequest<typeof AuthSubjects.accessToken>) {
    return this.oauth.accessToken(database, request);
  }
  @HandleRequest(AuthSubjects.sessionToken)
  sessionToken({ database, request }: ParsedRequest<typeof AuthSubjects.sessionToken>) {
    return this.oauth.sessionToken(database, request);
  }
  @HandleRequest(AuthSubjects.authenticate)
  authenticate({ database, request, submission }: ParsedRequest<typeof AuthSubjects.authenticate>) {
    return this.oauth.authenticate(database, request, submission);
  }
  @HandleRequest(AuthSubjects.revokeAccountAuthorizations)
  revokeAccountAuthorizations({ email, consumerKey }: ParsedRequest<typeof AuthSubjects.revokeAccountAuthorizations>) {
    return this.oauth.revokeAccountAuthorizations(email, consumerKey);
  }
  @HandleRequest(AuthSubjects.listAuthorizations)
  listAuthorizations({ accountId }: ParsedRequest<typeof AuthSubjects.listAuthorizations>) {
    return this.oauth.listAuthorizations(accountId);
  }
  @HandleRequest(AuthSubjects.revokeAuthorization)
  revokeAuthorization({ accountId, id }: ParsedRequest<typeof AuthSubjects.revokeAuthorization>) {
    return this.oauth.revokeAuthorization(accountId, id);
  }
}
