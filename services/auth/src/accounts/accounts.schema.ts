import { Schema, type Types } from 'mongoose';

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

export const AccountSchema = new Schema<Account>(
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

export const ApiTokenSchema = new Schema<ApiToken>(
  {
    accountId: { type: Schema.Types.ObjectId, required: true, index: true },
    label: { type: String, default: '' },
    tokenHash: { type: String, required: true, unique: true },
    createdAt: { type: Date, required: true },
    lastUsedAt: Date,
  },
  { collection: 'api_tokens', versionKey: false },
);

export const WebSessionSchema = new Schema<WebSession>(
  {
    _id: String,
    accountId: { type: Schema.Types.ObjectId, required: true },
    expiresAt: { type: Date, required: true, index: true },
  },
  { collection: 'web_sessions', versionKey: false },
);

/** The models' names: their provider tokens (`mongoModel`, `@InjectModel`). */
export const ACCOUNT = 'Account';
export const API_TOKEN = 'ApiToken';
export const WEB_SESSION = 'WebSession';
