import { InjectModel } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model, Types } from 'mongoose';
import { ACCOUNT, type Account, API_TOKEN, type ApiToken, WEB_SESSION, type WebSession } from './accounts.schema';

/** accounts, api_tokens and web_sessions: the only code that reads or writes them. */
@Injectable()
export class AccountsRepository {
  constructor(
    @InjectModel(ACCOUNT) private readonly accounts: Model<Account>,
    @InjectModel(API_TOKEN) private readonly apiTokens: Model<ApiToken>,
    @InjectModel(WEB_SESSION) private readonly webSessions: Model<WebSession>,
  ) {}

  // ---- accounts ----

  async insertAccount(account: Omit<Account, '_id'>): Promise<Account> {
    return (await this.accounts.create(account)).toObject();
  }

  listAccounts(): Promise<Account[]> {
    return this.accounts.find().sort({ email: 1 }).lean<Account[]>();
  }

  updateAccount(email: string, set: Partial<Account>): Promise<Account | null> {
    return this.accounts.findOneAndUpdate({ email }, { $set: set }, { new: true }).lean<Account>();
  }

  findAccountByEmail(email: string): Promise<Account | null> {
    return this.accounts.findOne({ email }).lean<Account>();
  }

  findAccount(id: string | Types.ObjectId): Promise<Account | null> {
    return this.accounts.findById(id).lean<Account>();
  }

  // ---- API tokens ----

  async insertApiToken(token: Omit<ApiToken, '_id'>): Promise<ApiToken> {
    return (await this.apiTokens.create(token)).toObject();
  }

  listApiTokens(accountId: Types.ObjectId): Promise<ApiToken[]> {
    return this.apiTokens.find({ accountId }).sort({ createdAt: 1 }).lean<ApiToken[]>();
  }

  async deleteApiToken(id: Types.ObjectId, accountId: Types.ObjectId): Promise<boolean> {
    return (await this.apiTokens.deleteOne({ _id: id, accountId })).deletedCount === 1;
  }

  /** The token of that hash, marked used now. */
  useApiToken(tokenHash: string): Promise<ApiToken | null> {
    return this.apiTokens.findOneAndUpdate({ tokenHash }, { $set: { lastUsedAt: new Date() } }).lean<ApiToken>();
  }

  // ---- web sessions ----

  async insertWebSession(session: WebSession): Promise<void> {
    await this.webSessions.create(session);
  }

  findLiveWebSession(id: string, now: Date): Promise<WebSession | null> {
    return this.webSessions.findOne({ _id: id, expiresAt: { $gt: now } }).lean<WebSession>();
  }

  async deleteWebSession(id: string): Promise<boolean> {
    return (await this.webSessions.deleteOne({ _id: id })).deletedCount === 1;
  }

  async deleteWebSessionsOf(accountId: Types.ObjectId): Promise<void> {
    await this.webSessions.deleteMany({ accountId });
  }

  async deleteExpiredWebSessions(now: Date): Promise<number> {
    return (await this.webSessions.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
  }
}
