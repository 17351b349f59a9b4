import { InjectModel } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model, Types } from 'mongoose';
import { NONCE, type Nonce, OAUTH_CLIENT, OAUTH_TOKEN, type OAuthClient, type OAuthToken } from './oauth.schema';

/** oauth_clients, oauth_tokens and oauth_nonces: the only code that reads or writes them. */
@Injectable()
export class OAuthRepository {
  constructor(
    @InjectModel(OAUTH_CLIENT) private readonly clients: Model<OAuthClient>,
    @InjectModel(OAUTH_TOKEN) private readonly tokens: Model<OAuthToken>,
    @InjectModel(NONCE) private readonly nonces: Model<Nonce>,
  ) {}

  // ---- clients ----

  async insertClient(client: OAuthClient): Promise<OAuthClient> {
    return (await this.clients.create(client)).toObject();
  }

  listClients(): Promise<OAuthClient[]> {
    return this.clients.find().sort({ createdAt: 1 }).lean<OAuthClient[]>();
  }

  findClient(consumerKey: string): Promise<OAuthClient | null> {
    return this.clients.findById(consumerKey).lean<OAuthClient>();
  }

  findClients(consumerKeys: string[]): Promise<OAuthClient[]> {
    return this.clients.find({ _id: { $in: consumerKeys } }).lean<OAuthClient[]>();
  }

  /** Marks the client revoked and ends its tokens; false when there is no such client. */
  async revokeClient(consumerKey: string, now: Date): Promise<boolean> {
    const result = await this.clients.updateOne({ _id: consumerKey }, { $set: { revokedAt: now } });
    if (result.matchedCount !== 1) return false;
    await this.tokens.deleteMany({ consumerKey });
    return true;
  }

  // ---- tokens ----

  async insertToken(token: Omit<OAuthToken, '_id'>): Promise<void> {
    await this.tokens.create(token);
  }

  findToken(filter: Partial<Pick<OAuthToken, '_id' | 'token' | 'kind' | 'consumerKey' | 'database' | 'accountId'>>) {
    return this.tokens.findOne(filter).lean<OAuthToken>();
  }

  findTokens(filter: Partial<Pick<OAuthToken, 'kind' | 'consumerKey' | 'database' | 'accountId'>>) {
    return this.tokens.find(filter).lean<OAuthToken[]>();
  }

  /** The access tokens an account gave, oldest first. */
  listAccessTokensOf(accountId: Types.ObjectId): Promise<OAuthToken[]> {
    return this.tokens.find({ accountId, kind: 'access' }).sort({ createdAt: 1 }).lean<OAuthToken[]>();
  }

  /** A request token not redeemed nor expired. */
  findLiveRequestToken(database: string, token: string, now: Date): Promise<OAuthToken | null> {
    return this.tokens
      .findOne({ token, kind: 'request', database, redeemedAt: { $exists: false }, expiresAt: { $gt: now } })
      .lean<OAuthToken>();
  }

  /** A session token not expired, if the access token it came from still exists. */
  async findLiveSession(consumerKey: string, token: string, now: Date): Promise<OAuthToken | null> {
    const session = await this.tokens
      .findOne({ token, kind: 'session', consumerKey, expiresAt: { $gt: now } })
      .lean<OAuthToken>();
    if (!session?.accountId || !(await this.tokens.exists({ _id: session.accessTokenId, kind: 'access' }))) return null;
    return session;
  }

  /** Binds an unauthorised request token to an account, once: false when it was authorised or redeemed already. */
  async bindRequestToken(id: Types.ObjectId, accountId: Types.ObjectId, verifier: string): Promise<boolean> {
    const bound = await this.tokens.updateOne(
      { _id: id, redeemedAt: { $exists: false }, verifier: { $exists: false } },
      { $set: { accountId, verifier } },
    );
    return bound.modifiedCount === 1;
  }

  /** Marks a request token redeemed, once: false when it was already. */
  async redeemRequestToken(id: Types.ObjectId, now: Date): Promise<boolean> {
    const redeemed = await this.tokens.updateOne(
      { _id: id, redeemedAt: { $exists: false } },
      { $set: { redeemedAt: now } },
    );
    return redeemed.modifiedCount === 1;
  }

  /** The access tokens first, so no session can be made from them meanwhile; sessions also check their access token. */
  async deleteAccessTokens(ids: Types.ObjectId[]): Promise<void> {
    await this.tokens.deleteMany({ _id: { $in: ids } });
    await this.tokens.deleteMany({ accessTokenId: { $in: ids } });
  }

  // ---- nonces ----

  /** Throws a duplicate-key error when the nonce was used already. */
  async insertNonce(nonce: Nonce): Promise<void> {
    await this.nonces.create(nonce);
  }

  /** Expired request and session tokens, then expired nonces: how many were deleted. */
  async deleteExpired(now: Date): Promise<number> {
    const tokens = await this.tokens.deleteMany({ expiresAt: { $lte: now } });
    const nonces = await this.nonces.deleteMany({ expiresAt: { $lte: now } });
    return tokens.deletedCount + nonces.deletedCount;
  }
}
