import { type Identity, ServiceError, type SignedRequest } from '@helixgate/contracts';
import { InjectConfig, isDuplicateKeyError } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import { ACCOUNT_DISABLED, AccountsService, identityOf } from '../accounts/accounts.service';
import type { AuthConfig } from '../config';
import { randomAlphanumeric, randomSecret, safeEqual, SecretBox } from '../crypto';
import { signatureMatches } from './oauth-signature';
import { OAuthRepository } from './oauth.repository';
import type { OAuthClient, OAuthToken } from './oauth.schema';

/** BIGSdb's exact texts (lib/BIGSdb/REST/Routes/OAuth.pm, Interface.pm): clients branch on them. */
export const OAuthMessages = {
  noConsumerKey: 'No consumer key submitted',
  unknownClient: 'Unrecognized client',
  noAccessToken: 'No access token submitted',
  /** Net::OAuth names the parameter without its oauth_ prefix; the request-token route's text has no full stop. */
  missing: (name: string, fullStop = true) =>
    `Invalid token request. Missing required parameter: ${name.replace(/^oauth_/, '')}${fullStop ? '.' : ''}`,
  badSignatureRequestToken: 'Signature verification failed',
  badSignature: 'Signature verification failed.',
  staleTimestamp: (window: number) => `Request timestamp more than ${window} seconds from current time.`,
  replayedNonce: 'Request with same nonce and timestamp already made',
  badRequestToken: 'Invalid request token.  Generate new request token (/get_request_token).',
  badVerifier: 'Invalid verifier code.',
  redeemed: 'Request token has already been redeemed.  Generate new request token (/get_request_token).',
  expiredRequestToken: 'Request token has expired.  Generate new request token (/get_request_token).',
  badAccessToken: 'Invalid access token.  Generate new access token (/get_access_token).',
  noSession: 'Unauthorized - Generate new session token.',
  badSession: 'Invalid session token.  Generate new token (/get_session_token).',
  clientDatabase: 'Client is unauthorized to access this database.',
  clientSubmission: 'Client is unauthorized to make submissions.',
  accountDisabled: ACCOUNT_DISABLED,
} as const;

const fail = (status: number, message: string) =>
  new ServiceError(status, status === 400 ? 'bad_request' : status === 403 ? 'forbidden' : 'unauthorized', message);
const SIGNING_PARAMS = ['oauth_signature', 'oauth_signature_method', 'oauth_timestamp', 'oauth_nonce'];

type ProtocolParams = Record<string, string | undefined>;

/** The oauth_* parameters of a request, first occurrence winning (query and body before the header). */
function protocolParams(request: SignedRequest): ProtocolParams {
  const params: ProtocolParams = {};
  for (const [key, value] of request.params)
    if (key.startsWith('oauth_') && params[key] === undefined) params[key] = value;
  return params;
}

export const clientView = (client: OAuthClient) => ({
  consumerKey: client._id,
  name: client.name,
  allDatabases: client.allDatabases,
  allDatabasesSubmission: client.allDatabasesSubmission,
  permissions: client.permissions.map(({ database, submission }) => ({ database, submission })),
  createdAt: client.createdAt.toISOString(),
  revoked: Boolean(client.revokedAt),
});

/** The OAuth 1.0a provider, as BIGSdb runs it: request, access and session tokens, and signed protected calls. */
@Injectable()
export class OAuthService {
  private readonly secrets: SecretBox;

  constructor(
    private readonly repository: OAuthRepository,
    private readonly accounts: AccountsService,
    @InjectConfig() private readonly config: AuthConfig,
  ) {
    this.secrets = new SecretBox(config.AUTH_SECRET_KEY);
  }

  // ---- clients (admin) ----

  async createClient(input: {
    name: string;
    allDatabases: boolean;
    allDatabasesSubmission: boolean;
    permissions: Array<{ database: string; submission: boolean }>;
  }) {
    const consumerSecret = randomSecret(42);
    const client = await this.repository.insertClient({
      _id: randomAlphanumeric(24),
      name: input.name,
      sealedSecret: this.secrets.seal(consumerSecret),
      allDatabases: input.allDatabases,
      allDatabasesSubmission: input.allDatabasesSubmission,
      permissions: input.permissions,
      createdAt: new Date(),
    });
    return { ...clientView(client), consumerSecret };
  }

  async listClients() {
    const clients = await this.repository.listClients();
    return { clients: clients.map(clientView) };
  }

  async revokeClient(consumerKey: string) {
    if (!(await this.repository.revokeClient(consumerKey, new Date())))
      throw ServiceError.notFound(`No client ${consumerKey}.`);
    return { revoked: true as const };
  }

  // ---- the three legs ----

  async requestToken(database: string, request: SignedRequest) {
    const params = protocolParams(request);
    const client = await this.client(params, 'token');
    this.require(params, ['oauth_callback', ...SIGNING_PARAMS], false);
    this.checkSignature(request, client, '', OAuthMessages.badSignatureRequestToken);
    this.checkTimestamp(params);
    await this.useNonce(client, params);
    this.checkDatabase(client, database);
    const pair = await this.issue('request', client, { database }, this.config.OAUTH_REQUEST_TOKEN_TTL_SECONDS);
    return { ...pair, oauth_callback_confirmed: 'true' as const };
  }

  /** What the authorisation page shows about a request token. */
  async describeRequestToken(database: string, token: string) {
    const { requestToken, client } = await this.liveRequestToken(database, token);
    return { clientName: client.name, database, expiresAt: requestToken.expiresAt!.toISOString() };
  }

  /** The user approves the client: the request token gets an 8-character verifier. */
  async authorize(accountId: string, database: string, token: string) {
    const account = await this.accounts.findActive(accountId);
    const { requestToken, client } = await this.liveRequestToken(database, token);
    const verifier = randomAlphanumeric(8);
    // Authorised once, by one user: a second approval (by anyone) cannot re-bind the token to another account.
    if (!(await this.repository.bindRequestToken(requestToken._id, account._id, verifier)))
      throw fail(401, OAuthMessages.badRequestToken);
    return { oauth_verifier: verifier, clientName: client.name };
  }

  async accessToken(database: string, request: SignedRequest) {
    const params = protocolParams(request);
    const client = await this.client(params, 'token');
    // BIGSdb's order: the request token, its verifier, redeemed, expired; then the parameters and the signature.
    const requestToken = params.oauth_token
      ? await this.repository.findToken({
          token: params.oauth_token,
          kind: 'request',
          consumerKey: client._id,
          database,
        })
      : null;
    if (!requestToken) throw fail(401, OAuthMessages.badRequestToken);
    if (
      !requestToken.verifier ||
      !requestToken.accountId ||
      !params.oauth_verifier ||
      !safeEqual(requestToken.verifier, params.oauth_verifier)
    ) {
      throw fail(401, OAuthMessages.badVerifier);
    }
    if (requestToken.redeemedAt) throw fail(401, OAuthMessages.redeemed);
    if (!requestToken.expiresAt || requestToken.expiresAt <= new Date())
      throw fail(401, OAuthMessages.expiredRequestToken);
    this.require(params, SIGNING_PARAMS);
    this.checkSignature(request, client, this.secrets.open(requestToken.sealedSecret), OAuthMessages.badSignature);
    this.checkTimestamp(params);
    await this.useNonce(client, params);
    const account = await this.accounts.findActive(requestToken.accountId.toHexString());
    if (!(await this.repository.redeemRequestToken(requestToken._id, new Date())))
      throw fail(401, OAuthMessages.redeemed);

    // A new access token replaces the old one for the same client, user and database (and ends its sessions).
    const previous = await this.repository.findTokens({
      kind: 'access',
      consumerKey: client._id,
      accountId: account._id,
      database,
    });
    if (previous.length) await this.repository.deleteAccessTokens(previous.map((t) => t._id));
    return this.issue('access', client, { database, accountId: account._id });
  }

  async sessionToken(database: string, request: SignedRequest) {
    const params = protocolParams(request);
    const client = await this.client(params, 'token');
    if (!params.oauth_token) throw fail(403, OAuthMessages.noAccessToken);
    const accessToken = await this.repository.findToken({
      token: params.oauth_token,
      kind: 'access',
      consumerKey: client._id,
    });
    if (!accessToken?.accountId) throw fail(401, OAuthMessages.badAccessToken);
    this.require(params, SIGNING_PARAMS);
    this.checkSignature(request, client, this.secrets.open(accessToken.sealedSecret), OAuthMessages.badSignature);
    await this.useNonce(client, params);
    this.checkTimestamp(params);
    await this.accounts.findActive(accessToken.accountId.toHexString());
    this.checkDatabase(client, database);
    // As in BIGSdb, the session belongs to the user store, not to one database: it serves every database this
    // client is registered for (checked on each call), which clients that type against seqdef and isolates rely on.
    return this.issue(
      'session',
      client,
      { accountId: accessToken.accountId, accessTokenId: accessToken._id, database: accessToken.database },
      this.config.OAUTH_SESSION_TOKEN_TTL_SECONDS,
    );
  }

  /**
   * A protected call, signed with a session token. Unlike BIGSdb, the timestamp and the (nonce, timestamp)
   * pair are checked here too, so a captured request cannot be replayed.
   */
  async authenticate(
    database: string,
    request: SignedRequest,
    submission: boolean,
  ): Promise<Identity & { consumerKey: string; clientName: string }> {
    const params = protocolParams(request);
    const client = await this.client(params, 'protected');
    if (!params.oauth_token) throw fail(401, OAuthMessages.badSession);
    const session = await this.repository.findLiveSession(client._id, params.oauth_token, new Date());
    if (!session?.accountId) throw fail(401, OAuthMessages.badSession);
    this.require(params, SIGNING_PARAMS);
    this.checkSignature(request, client, this.secrets.open(session.sealedSecret), OAuthMessages.badSignature);
    this.checkTimestamp(params);
    await this.useNonce(client, params);
    this.checkDatabase(client, database);
    const account = await this.accounts.findActive(session.accountId.toHexString());
    if (submission && !this.maySubmit(client, database)) throw fail(401, OAuthMessages.clientSubmission);
    return { ...identityOf(account), consumerKey: client._id, clientName: client.name };
  }

  // ---- what a user authorised ----

  async listAuthorizations(accountId: string) {
    const tokens = await this.repository.listAccessTokensOf(new Types.ObjectId(accountId));
    const clients = new Map(
      (await this.repository.findClients(tokens.map((t) => t.consumerKey))).map((c) => [c._id, c]),
    );
    return {
      authorizations: tokens.map((t) => ({
        id: t._id.toHexString(),
        clientName: clients.get(t.consumerKey)?.name ?? t.consumerKey,
        consumerKey: t.consumerKey,
        database: t.database ?? '',
        createdAt: t.createdAt.toISOString(),
      })),
    };
  }

  async revokeAuthorization(accountId: string, id: string) {
    const token = await this.repository.findToken({
      _id: new Types.ObjectId(id),
      accountId: new Types.ObjectId(accountId),
      kind: 'access',
    });
    if (!token) throw ServiceError.notFound('No such authorisation.');
    await this.repository.deleteAccessTokens([token._id]);
    return { revoked: true as const };
  }

  /** Admin: ends every authorisation the account of that email gave (or only those of one client). */
  async revokeAccountAuthorizations(email: string, consumerKey?: string) {
    const accountId = (await this.accounts.findByEmail(email))._id;
    const tokens = await this.repository.findTokens({
      accountId,
      kind: 'access',
      ...(consumerKey ? { consumerKey } : {}),
    });
    await this.repository.deleteAccessTokens(tokens.map((t) => t._id));
    return { revoked: tokens.length };
  }

  // ---- checks ----

  private async client(params: ProtocolParams, route: 'token' | 'protected'): Promise<OAuthClient> {
    const key = params.oauth_consumer_key;
    if (!key) throw route === 'token' ? fail(403, OAuthMessages.noConsumerKey) : fail(401, OAuthMessages.noSession);
    const client = await this.repository.findClient(key);
    if (!client || client.revokedAt) throw fail(403, OAuthMessages.unknownClient);
    return client;
  }

  private require(params: ProtocolParams, names: string[], fullStop = true): void {
    for (const name of names) if (!params[name]) throw fail(400, OAuthMessages.missing(name, fullStop));
    if (params.oauth_signature_method !== 'HMAC-SHA1')
      throw fail(
        400,
        `Invalid token request. Unsupported signature method: ${String(params.oauth_signature_method).slice(0, 20)}.`,
      );
  }

  private checkTimestamp(params: ProtocolParams): void {
    const window = this.config.OAUTH_TIMESTAMP_WINDOW_SECONDS;
    const timestamp = Number(params.oauth_timestamp);
    if (!/^\d{1,12}$/.test(params.oauth_timestamp ?? '') || Math.abs(Date.now() / 1000 - timestamp) > window) {
      throw fail(401, OAuthMessages.staleTimestamp(window));
    }
  }

  private checkSignature(request: SignedRequest, client: OAuthClient, tokenSecret: string, message: string): void {
    if (!signatureMatches(request, this.secrets.open(client.sealedSecret), tokenSecret)) throw fail(401, message);
  }

  /** A (nonce, timestamp) pair is accepted once per client; kept a little longer than the timestamp window. */
  private async useNonce(client: OAuthClient, params: ProtocolParams): Promise<void> {
    const expiresAt = new Date(Date.now() + 2 * this.config.OAUTH_TIMESTAMP_WINDOW_SECONDS * 1000);
    try {
      await this.repository.insertNonce({
        _id: `${client._id}:${params.oauth_timestamp}:${params.oauth_nonce}`,
        expiresAt,
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw fail(401, OAuthMessages.replayedNonce);
      throw error;
    }
  }

  private checkDatabase(client: OAuthClient, database: string): void {
    if (!client.allDatabases && !client.permissions.some((p) => p.database === database))
      throw fail(401, OAuthMessages.clientDatabase);
  }

  private maySubmit(client: OAuthClient, database: string): boolean {
    return client.allDatabasesSubmission || client.permissions.some((p) => p.database === database && p.submission);
  }

  private async liveRequestToken(database: string, token: string) {
    const requestToken = await this.repository.findLiveRequestToken(database, token, new Date());
    const client = requestToken ? await this.repository.findClient(requestToken.consumerKey) : null;
    if (!requestToken || !client || client.revokedAt) throw fail(401, OAuthMessages.badRequestToken);
    return { requestToken, client };
  }

  /** A new token and secret of the given kind (the secret stored sealed), expiring after ttlSeconds if given. */
  private async issue(kind: OAuthToken['kind'], client: OAuthClient, fields: Partial<OAuthToken>, ttlSeconds?: number) {
    const token = randomAlphanumeric(32);
    const secret = randomAlphanumeric(32);
    const now = new Date();
    await this.repository.insertToken({
      ...fields,
      token,
      kind,
      consumerKey: client._id,
      sealedSecret: this.secrets.seal(secret),
      createdAt: now,
      ...(ttlSeconds ? { expiresAt: new Date(now.getTime() + ttlSeconds * 1000) } : {}),
    });
    return { oauth_token: token, oauth_token_secret: secret };
  }
}
