import type { ResultType } from '@helixgate/contracts';
import { Schema } from 'mongoose';

export interface ResultDocument {
  _id: string;
  type: ResultType;
  /** The posted body as canonical JSON, kept as text: sample names may hold characters MongoDB keys may not. */
  document: string;
  createdAt: Date;
  expiresAt: Date;
}

export const ResultDocumentSchema = new Schema<ResultDocument>(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    document: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true, index: true },
  },
  { collection: 'result_documents', versionKey: false },
);

/** The model's name: its provider token (`mongoModel`, `@InjectModel`). */
export const RESULT_DOCUMENT = 'ResultDocument';
