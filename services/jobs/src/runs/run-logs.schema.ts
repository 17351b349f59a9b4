import { Schema } from 'mongoose';

/** A batch of log lines of a run: runId|seq, appended in order. */
export interface LogDocument {
  _id: string;
  runId: string;
  seq: number;
  lines: string[];
}

export const LogDocumentSchema = new Schema<LogDocument>(
  { _id: String, runId: String, seq: Number, lines: [String] },
  { collection: 'logs', strict: false, versionKey: false, minimize: false },
);
LogDocumentSchema.index({ runId: 1, seq: 1 });

/** The model's name: its provider token (`mongoModel`, `@InjectModel`). */
export const RUN_LOG = 'Log';
