import { Schema } from 'mongoose';

export interface Scheme {
  database: string;
  id: number;
  description: string;
  loci: string[];
  fields: Array<{ name: string; type: 'integer' | 'text'; primaryKey: boolean }>;
  /** Changes whenever profiles are added: readers' cached id lists of the scheme are stale when it differs. */
  version?: number;
  /** Imported schemes: a digest of the files of the last complete import (names, sizes, times) and what it was given. */
  sourceFingerprint?: string;
}

export const SchemeSchema = new Schema<Scheme>(
  {
    database: String,
    id: Number,
    description: String,
    loci: [String],
    fields: [{ _id: false, name: String, type: { type: String }, primaryKey: Boolean }],
    version: Number,
    sourceFingerprint: String,
  },
  { collection: 'schemes', versionKey: false },
);
SchemeSchema.index({ database: 1, id: 1 }, { unique: true });

export const SCHEME = 'Scheme';
