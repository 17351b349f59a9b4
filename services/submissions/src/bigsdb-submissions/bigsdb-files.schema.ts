import { Schema } from 'mongoose';

/** A supporting file. Its name is a key, never a path; its bytes are chunks in the database. */
export interface SubmissionFile {
  _id: string;
  submissionId: string;
  filename: string;
  size: number;
  complete: boolean;
  uploadedAt: Date;
}

export interface SubmissionFileChunk {
  /** file id|chunk number. */
  _id: string;
  fileId: string;
  /** The submission's id, so that erasing it also removes chunks of an upload cut off before its record was written. */
  submissionId?: string;
  n: number;
  data: Buffer;
}

export const SubmissionFileSchema = new Schema<SubmissionFile>(
  { _id: String, submissionId: String, filename: String, size: Number, complete: Boolean, uploadedAt: Date },
  { collection: 'bigsdb_submission_files', versionKey: false },
);
SubmissionFileSchema.index({ submissionId: 1, filename: 1 }, { unique: true });

export const SubmissionFileChunkSchema = new Schema<SubmissionFileChunk>(
  { _id: String, fileId: String, submissionId: String, n: Number, data: Buffer },
  { collection: 'bigsdb_submission_file_chunks', versionKey: false },
);
SubmissionFileChunkSchema.index({ fileId: 1, n: 1 });
SubmissionFileChunkSchema.index({ submissionId: 1 });

/** The models' names: their provider tokens (`mongoModel`, `@InjectModel`). */
export const SUBMISSION_FILE = 'BigsdbSubmissionFile';
export const SUBMISSION_FILE_CHUNK = 'BigsdbSubmissionFileChunk';
