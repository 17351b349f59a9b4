import { Schema } from 'mongoose';

/** A user of a database (sender, curator, submitter), linked to a Helixgate account by e-mail. */
export interface TypingUser {
  _id?: unknown;
  database: string;
  id: number;
  firstName: string;
  surname: string;
  affiliation: string;
  email: string;
  status: 'user' | 'submitter' | 'curator' | 'admin';
  /** The auth service account (its e-mail) this user signs in as. */
  account?: string;
}

export const TypingUserSchema = new Schema<TypingUser>(
  // _id: the server's ObjectId for imported and curated users; accountUserKey for those registered by a first submission.
  {
    _id: Schema.Types.Mixed,
    database: String,
    id: Number,
    firstName: String,
    surname: String,
    affiliation: String,
    email: String,
    status: String,
    account: String,
  },
  { collection: 'users', versionKey: false },
);
TypingUserSchema.index({ database: 1, id: 1 }, { unique: true });
// The submissions' look-up of the caller's user (first by id), on every submissions call.
TypingUserSchema.index({ database: 1, account: 1, id: 1 });

export const TYPING_USER = 'TypingUser';

/**
 * The _id of the user an account's first submission registers in a database: one key per account and database, so
 * that calls racing to register the same account cannot both insert a row.
 */
export const accountUserKey = (database: string, account: string) => `${database}|account|${account.toLowerCase()}`;
