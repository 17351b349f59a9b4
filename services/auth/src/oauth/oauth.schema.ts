import { Schema, type Types } from 'mongoose';

type Ref = Types.ObjectId;

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

export const OAuthClientSchema = new Schema<OAuthClient>(
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

export const OAuthTokenSchema = new Schema<OAuthToken>(
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

export const NonceSchema = new Schema<Nonce>(
  { _id: String, expiresAt: { type: Date, required: true, index: true } },
  { collection: 'oauth_nonces', versionKey: false },
);

/** The models' names: their provider tokens (`mongoModel`, `@InjectModel`). */
export const OAUTH_CLIENT = 'OAuthClient';
export const OAUTH_TOKEN = 'OAuthToken';
export const NONCE = 'Nonce';
