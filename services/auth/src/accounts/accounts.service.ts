import { type Identity, ServiceError } from '@helixgate/contracts';
import { InjectConfig, isDuplicateKeyError } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import type { AuthConfig } from '../config';
import { DUMMY_PASSWORD_HASH, hashPassword, randomAlphanumeric, sha256, verifyPassword } from '../crypto';
import { AccountsRepository } from './accounts.repository';
import type { Account } from './accounts.schema';

export const identityOf = (account: Account): Identity => ({
  accountId: account._id.toHexString(),
  email: account.email,
  firstName: account.firstName,
  surname: account.surname,
  affiliation: account.affiliation,
  role: account.role,
});

export const accountView = (account: Account) => ({
  ...identityOf(account),
  status: account.status,
  createdAt: account.createdAt.toISOString(),
});

const tokenView = (token: { _id: Types.ObjectId; label: string; createdAt: Date; lastUsedAt?: Date }) => ({
  id: token._id.toHexString(),
  label: token.label,
  createdAt: token.createdAt.toISOString(),
  ...(token.lastUsedAt ? { lastUsedAt: token.lastUsedAt.toISOString() } : {}),
});

const unauthorized = (message: string) => new ServiceError(401, 'unauthorized', message);
const BAD_CREDENTIALS = 'Invalid email or password.';
const BAD_TOKEN = 'Invalid email or API token.';
export const ACCOUNT_DISABLED = 'User account has been disabled.';

/** Accounts, their passwords, API tokens (CGI) and web sessions (the authorisation pages). */
@Injectable()
export class AccountsService {
  constructor(
    private readonly repository: AccountsRepository,
    @InjectConfig() private readonly config: AuthConfig,
  ) {}

  async create(input: {
    email: string;
    firstName: string;
    surname: string;
    affiliation: string;
    role: Account['role'];
    password: string;
  }) {
    try {
      const created = await this.repository.insertAccount({
        email: input.email.toLowerCase(),
        firstName: input.firstName,
        surname: input.surname,
        affiliation: input.affiliation,
        role: input.role,
        status: 'active',
        passwordHash: await hashPassword(input.password),
        createdAt: new Date(),
      });
      return accountView(created);
    } catch (error) {
      if (isDuplicateKeyError(error))
        throw new ServiceError(409, 'auth.account_exists', `An account for ${input.email} already exists.`);
      throw error;
    }
  }

  async list() {
    const accounts = await this.repository.listAccounts();
    return { accounts: accounts.map(accountView) };
  }

  async update(input: { email: string; role?: Account['role']; status?: Account['status']; password?: string }) {
    const set: Partial<Account> = {};
    if (input.role) set.role = input.role;
    if (input.status) set.status = input.status;
    if (input.password) set.passwordHash = await hashPassword(input.password);
    const updated = await this.repository.updateAccount(input.email.toLowerCase(), set);
    if (!updated) throw ServiceError.notFound(`No account for ${input.email}.`);
    if (input.status === 'disabled') await this.repository.deleteWebSessionsOf(updated._id);
    return accountView(updated);
  }

  async findByEmail(email: string): Promise<Account> {
    const account = await this.repository.findAccountByEmail(email.trim().toLowerCase());
    if (!account) throw ServiceError.notFound(`No account for ${email}.`);
    return account;
  }

  async findActive(accountId: string): Promise<Account> {
    const account = Types.ObjectId.isValid(accountId) ? await this.repository.findAccount(accountId) : null;
    if (!account) throw unauthorized('Unknown account.');
    if (account.status !== 'active') throw unauthorized(ACCOUNT_DISABLED);
    return account;
  }

  /** Email and password; the same time and the same answer whether the email exists or not. */
  async verifyPassword(email: string, password: string): Promise<Identity> {
    const account = await this.repository.findAccountByEmail(email.trim().toLowerCase());
    const matches = await verifyPassword(password, account?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!account || !matches) throw unauthorized(BAD_CREDENTIALS);
    if (account.status !== 'active') throw unauthorized(ACCOUNT_DISABLED);
    return identityOf(account);
  }

  /** A new API token: returned this once, stored only as its hash. */
  async createApiToken(accountId: string, label: string) {
    await this.findActive(accountId);
    const token = randomAlphanumeric(40);
    const created = await this.repository.insertApiToken({
      accountId: new Types.ObjectId(accountId),
      label,
      tokenHash: sha256(token),
      createdAt: new Date(),
    });
    return { ...tokenView(created), token };
  }

  async listApiTokens(accountId: string) {
    const tokens = await this.repository.listApiTokens(new Types.ObjectId(accountId));
    return { tokens: tokens.map(tokenView) };
  }

  async revokeApiToken(accountId: string, id: string) {
    const deleted = await this.repository.deleteApiToken(new Types.ObjectId(id), new Types.ObjectId(accountId));
    if (!deleted) throw ServiceError.notFound('No such API token.');
    return { revoked: true as const };
  }

  /** `Authorization: <email> <token>`. */
  async verifyApiToken(email: string, token: string): Promise<Identity> {
    const row = await this.repository.useApiToken(sha256(token));
    const account = row ? await this.repository.findAccount(row.accountId) : null;
    if (!account || account.email !== email.trim().toLowerCase()) throw unauthorized(BAD_TOKEN);
    if (account.status !== 'active') throw unauthorized(ACCOUNT_DISABLED);
    return identityOf(account);
  }

  async createWebSession(email: string, password: string) {
    const identity = await this.verifyPassword(email, password);
    const sessionId = randomAlphanumeric(43);
    const expiresAt = new Date(Date.now() + this.config.WEB_SESSION_TTL_SECONDS * 1000);
    await this.repository.insertWebSession({
      _id: sha256(sessionId),
      accountId: new Types.ObjectId(identity.accountId),
      expiresAt,
    });
    return { sessionId, expiresAt: expiresAt.toISOString() };
  }

  async resolveWebSession(sessionId: string): Promise<Identity> {
    const session = await this.repository.findLiveWebSession(sha256(sessionId), new Date());
    if (!session) throw unauthorized('Not logged in.');
    return identityOf(await this.findActive(session.accountId.toHexString()));
  }

  async deleteWebSession(sessionId: string) {
    return { deleted: await this.repository.deleteWebSession(sha256(sessionId)) };
  }
}
