import { type Identity, ServiceError } from '@helixgate/contracts';
import { isDuplicateKeyError } from '@helixgate/platform';
import { Types } from 'mongoose';
import type { AuthConfig } from './config';
import { DUMMY_PASSWORD_HASH, hashPassword, randomAlphanumeric, sha256, verifyPassword } from './crypto';
import type { Account, AuthModels } from './models';

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
export class AccountsService {
  constructor(
    private readonly models: AuthModels,
    private readonly config: Pick<AuthConfig, 'WEB_SESSION_TTL_SECONDS'>,
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
      const created = await this.models.accounts.create({
        email: input.email.toLowerCase(),
        firstName: input.firstName,
        surname: input.surname,
        affiliation: input.affiliation,
        role: input.role,
        status: 'active',
        passwordHash: await hashPassword(input.password),
        createdAt: new Date(),
      });
      return accountView(created.toObject());
    } catch (error) {
      if (isDuplicateKeyError(error))
        throw new ServiceError(409, 'auth.account_exists', `An account for ${input.email} already exists.`);
      throw error;
    }
  }

  async list() {
    const accounts = await this.models.accounts.find().sort({ email: 1 }).lean<Account[]>();
    return { accounts: accounts.map(accountView) };
  }

  async update(input: { email: string; role?: Account['role']; status?: Account['status']; password?: string }) {
    const set: Partial<Account> = {};
    if (input.role) set.role = input.role;
    if (input.status) set.status = input.status;
    if (input.password) set.passwordHash = await hashPassword(input.password);
    const updated = await this.models.accounts
      .findOneAndUpdate({ email: input.email.toLowerCase() }, { $set: set }, { new: true })
      .lean<Account>();
    if (!updated) throw ServiceError.notFound(`No account for ${input.email}.`);
    if (input.status === 'disabled') await this.models.webSessions.deleteMany({ accountId: updated._id });
    return accountView(updated);
  }

  async findByEmail(email: string): Promise<Account> {
    const account = await this.models.accounts.findOne({ email: email.trim().toLowerCase() }).lean<Account>();
    if (!account) throw ServiceError.notFound(`No account for ${email}.`);
    return account;
  }

  async findActive(accountId: string): Promise<Account> {
    const account = Types.ObjectId.isValid(accountId)
      ? await this.models.accounts.findById(accountId).lean<Account>()
      : null;
    if (!account) throw unauthorized('Unknown account.');
    if (account.status !== 'active') throw unauthorized(ACCOUNT_DISABLED);
    return account;
  }

  /** Email and password; the same time and the same answer whether the email exists or not. */
  async verifyPassword(email: string, password: string): Promise<Identity> {
    const account = await this.models.accounts.findOne({ email: email.trim().toLowerCase() }).lean<Account>();
    const matches = await verifyPassword(password, account?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!account || !matches) throw unauthorized(BAD_CREDENTIALS);
    if (account.status !== 'active') throw unauthorized(ACCOUNT_DISABLED);
    return identityOf(account);
  }

  /** A new API token: returned this once, stored only as its hash. */
  async createApiToken(accountId: string, label: string) {
    await this.findActive(accountId);
    const token = randomAlphanumeric(40);
    const created = await this.models.apiTokens.create({
      accountId: new Types.ObjectId(accountId),
      label,
      tokenHash: sha256(token),
      createdAt: new Date(),
    });
    return { ...tokenView(created.toObject()), token };
  }

  async listApiTokens(accountId: string) {
    const tokens = await this.models.apiTokens
      .find({ accountId: new Types.ObjectId(accountId) })
      .sort({ createdAt: 1 })
      .lean();
    return { tokens: tokens.map(tokenView) };
  }

  async revokeApiToken(accountId: string, id: string) {
    const result = await this.models.apiTokens.deleteOne({
      _id: new Types.ObjectId(id),
      accountId: new Types.ObjectId(accountId),
    });
    if (result.deletedCount !== 1) throw ServiceError.notFound('No such API token.');
    return { revoked: true as const };
  }

  /** `Authorization: <email> <token>`. */
  async verifyApiToken(email: string, token: string): Promise<Identity> {
    const row = await this.models.apiTokens
      .findOneAndUpdate({ tokenHash: sha256(token) }, { $set: { lastUsedAt: new Date() } })
      .lean();
    const account = row ? await this.models.accounts.findById(row.accountId).lean<Account>() : null;
    if (!account || account.email !== email.trim().toLowerCase()) throw unauthorized(BAD_TOKEN);
    if (account.status !== 'active') throw unauthorized(ACCOUNT_DISABLED);
    return identityOf(account);
  }

  async createWebSession(email: string, password: string) {
    const identity = await this.verifyPassword(email, password);
    const sessionId = randomAlphanumeric(43);
    const expiresAt = new Date(Date.now() + this.config.WEB_SESSION_TTL_SECONDS * 1000);
    await this.models.webSessions.create({
      _id: sha256(sessionId),
      accountId: new Types.ObjectId(identity.accountId),
      expiresAt,
    });
    return { sessionId, expiresAt: expiresAt.toISOString() };
  }

  async resolveWebSession(sessionId: string): Promise<Identity> {
    const session = await this.models.webSessions
      .findOne({ _id: sha256(sessionId), expiresAt: { $gt: new Date() } })
      .lean();
    if (!session) throw unauthorized('Not logged in.');
    return identityOf(await this.findActive(session.accountId.toHexString()));
  }

  async deleteWebSession(sessionId: string) {
    const result = await this.models.webSessions.deleteOne({ _id: sha256(sessionId) });
    return { deleted: result.deletedCount === 1 };
  }
}
