import type { Connection, Model, Types } from 'mongoose';
import { Schema } from 'mongoose';

type Ref = Types.ObjectId;

export interface Account {
  _id: Ref;
  email: string;
  firstName: string;
  surname: string;
  affiliation: string;
  role: 'user' | 'curator' | 'admin';
  status: 'active' | 'disabled';
  passwordHash: string;
  createdAt: Date;
}

export interface ApiToken {
  _id: Ref;
  accountId: Ref;
  label: string;
  tokenHash: string;
  createdAt: Date;
  lastUsedAt?: Date;
}

export interface WebSession {
  _id: string; // sha256 of the cookie value
  accountId: Ref;
  expiresAt: Date;
}

export interface OAuthClient {
  _id: string; // consumer key
  name: string;
  sealedSecret: string;
  allDatabases: boolean;
  allDatabasesSubmission: boolean;
  permissions: Array<{ database: string; submission: boolean }>;
  createdAt: Date;
  revokedAt?: Date;
}

/** Request, access and session tokens: one collection, told apart by kind. */
export interface OAuthToken {
  _id: Ref;
  token: string;
  kind: 'request' | 'access' | 'session';
  consumerKey: string;
  sealedSecret: string;
  database?: string; // request and access tokens belong to a database
  accountId?: Ref; // set once a user has authorised (request) or always (access, session)
  verifier?: string; // request tokens, after authorisation
  redeemedAt?: Date; // request tokens, once exchanged
  accessTokenId?: Ref; // session tokens: the access token they came from (revoking it ends them)
  createdAt: Date;
  expiresAt?: Date; // request and session tokens
}

export interface Nonce {
  _id: string; // consumer key, timestamp and nonce
  expiresAt: Date;
}

const AccountSchema = new Schema<Account>(
  {
    email: { type: String, required: true, unique: true },
    firstName: { type: String, required: true },
    surname: { type: String, required: true },
    affiliation: { type: String, default: '' },
    role: { type: String, required: true },
    status: { type: String, required: true },
    passwordHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'accounts', versionKey: false },
);

const ApiTokenSchema = new Schema<ApiToken>(
  {
    accountId: { type: Schema.Types.ObjectId, required: true, index: true },
    label: { type: String, default: '' },
    tokenHash: { type: String, required: true, unique: true },
    createdAt: { type: Date, required: true },
    lastUsedAt: Date,
  },
  { collection: 'api_tokens', versionKey: false },
);

const WebSessionSchema = new Schema<WebSession>(
  {
    _id: String,
    accountId: { type: Schema.Types.ObjectId, required: true },
    expiresAt: { type: Date, required: true, index: true },
  },
  { collection: 'web_sessions', versionKey: false },
);

const OAuthClientSchema = new Schema<OAuthClient>(
  {
    _id: String,
    name: { type: String, required: true },
    sealedSecret: { type: String, required: true },
    allDatabases: { type: Boolean, default: false },
    allDatabasesSubmission: { type: Boolean, default: false },
    permissions: [{ _id: false, database: String, submission: Boolean }],
    createdAt: { type: Date, required: true },
    revokedAt: Date,
  },
  { collection: 'oauth_clients', versionKey: false },
);

const OAuthTokenSchema = new Schema<OAuthToken>(
  {
    token: { type: String, required: true, unique: true },
    kind: { type: String, required: true },
    consumerKey: { type: String, required: true },
    sealedSecret: { type: String, required: true },
    database: String,
    accountId: Schema.Types.ObjectId,
    verifier: String,
    redeemedAt: Date,
    accessTokenId: { type: Schema.Types.ObjectId, index: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, index: true },
  },
  { collection: 'oauth_tokens', versionKey: false },
);
// one access token per (client, user, database): a new one replaces the old
OAuthTokenSchema.index({ accountId: 1, kind: 1, consumerKey: 1, database: 1 });

const NonceSchema = new Schema<Nonce>(
  { _id: String, expiresAt: { type: Date, required: true, index: true } },
  { collection: 'oauth_nonces', versionKey: false },
);

export interface AuthModels {
  accounts: Model<Account>;
  apiTokens: Model<ApiToken>;
  webSessions: Model<WebSession>;
  clients: Model<OAuthClient>;
  tokens: Model<OAuthToken>;
  nonces: Model<Nonce>;
}

export async function authModels(connection: Connection): Promise<AuthModels> {
  const models: AuthModels = {
    accounts: connection.model<Account>('Account', AccountSchema),
    apiTokens: connection.model<ApiToken>('ApiToken', ApiTokenSchema),
    webSessions: connection.model<WebSession>('WebSession', WebSessionSchema),
    clients: connection.model<OAuthClient>('OAuthClient', OAuthClientSchema),
    tokens: connection.model<OAuthToken>('OAuthToken', OAuthTokenSchema),
    nonces: connection.model<Nonce>('Nonce', NonceSchema),
  };
  await Promise.all(Object.values(models).map((model: Model<unknown>) => model.init()));
  return models;
}
