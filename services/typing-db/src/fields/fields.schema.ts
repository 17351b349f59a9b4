import { Schema } from 'mongoose';

/** A provenance field of an isolates database, as BIGSdb's config.xml defines it (kept in the database's row). */
export interface IsolateField {
  name: string;
  type: 'int' | 'text' | 'date' | 'float' | 'bool';
  required: boolean;
  length?: number;
  min?: number;
  max?: number;
  regex?: string;
  comments?: string;
  allowedValues?: string[];
}

export const IsolateFieldSchema = new Schema<IsolateField>(
  {
    name: String,
    type: { type: String },
    required: Boolean,
    length: Number,
    min: Number,
    max: Number,
    regex: String,
    comments: String,
    allowedValues: { type: [String], default: undefined },
  },
  { _id: false },
);
