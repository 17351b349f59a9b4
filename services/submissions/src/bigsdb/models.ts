import type { SubmissionType } from '@helixgate/contracts';
import { type Connection, type Model, Schema } from 'mongoose';

/** A BIGSdb curator submission: what was submitted to which database, by whom, and where its curation stands. */
export interface Submission {
  /** BIGSdb_YYYYMMDDhhmmss_PID_NNNNN. */
  _id: string;
  database: string;
  type: SubmissionType;
  /** The submitter's Helixgate account (who may delete it) and user id in the database (the links). */
  account: string;
  submitter: number;
  curator?: number;
  status: 'pending' | 'closed';
  outcome?: 'good' | 'bad' | 'mixed';
  /** YYYY-MM-DD (UTC), as BIGSdb's date columns. */
  dateSubmitted: string;
  datestamp: string;
  email: boolean;
  alleles?: {
    locus: string;
    technology: string;
    readLength?: string;
    coverage?: string;
    assembly: string;
    software: string;
  };
  profiles?: { schemeId: number; loci: string[] };
  /** Isolates and genomes: the header's columns in order. */
  isolates?: { fields: string[] };
}

/** One sequence, profile or isolate of a submission, in submitted order. */
export interface SubmissionItem {
  /** submission id|index. */
  _id: string;
  submissionId: string;
  index: number;
  /** seq_id, profile_id, or the isolate's row number. */
  key: string;
  sequence?: string;
  /** Profiles: allele ids in the order of the scheme's loci. */
  alleles?: string[];
  /** Isolates: value by column. */
  values?: Record<string, string>;
  /** accepting: claimed by an accept whose id typing-db is assigning (shown as pending). */
  status: 'pending' | 'accepting' | 'assigned' | 'rejected';
  assignedId?: string;
}

/**
 * A curator's decision on an item, claimed by inserting it under the item's id: the first insert wins, atomically on
 * MongoDB and FerretDB alike (a conditional update is not: FerretDB 1.x may let two of them match the same state).
 */
export interface SubmissionDecision {
  /** The item's id. */
  _id: string;
  submissionId: string;
  action: 'accept' | 'reject';
  at: Date;
}

export interface SubmissionMessage {
  submissionId: string;
  at: Date;
  userId: number;
  message: string;
}

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

const SubmissionSchema = new Schema<Submission>(
  {
    _id: String,
    database: String,
    type: String,
    account: String,
    submitter: Number,
    curator: Number,
    status: String,
    outcome: String,
    dateSubmitted: String,
    datestamp: String,
    email: Boolean,
    alleles: {
      type: {
        _id: false,
        locus: String,
        technology: String,
        readLength: String,
        coverage: String,
        assembly: String,
        software: String,
      },
      default: undefined,
    },
    profiles: { type: { _id: false, schemeId: Number, loci: [String] }, default: undefined },
    isolates: { type: { _id: false, fields: [String] }, default: undefined },
  },
  { collection: 'bigsdb_submissions', versionKey: false },
);
SubmissionSchema.index({ database: 1, account: 1, _id: 1 });
SubmissionSchema.index({ database: 1, account: 1, status: 1, dateSubmitted: 1 });

const ItemSchema = new Schema<SubmissionItem>(
  {
    _id: String,
    submissionId: String,
    index: Number,
    key: String,
    sequence: String,
    alleles: { type: [String], default: undefined },
    values: Schema.Types.Mixed,
    status: String,
    assignedId: String,
  },
  { collection: 'bigsdb_submission_items', versionKey: false },
);
ItemSchema.index({ submissionId: 1, index: 1 });
ItemSchema.index({ submissionId: 1, key: 1 }, { unique: true });

const DecisionSchema = new Schema<SubmissionDecision>(
  { _id: String, submissionId: String, action: String, at: Date },
  { collection: 'bigsdb_submission_decisions', versionKey: false },
);
DecisionSchema.index({ submissionId: 1 });

const MessageSchema = new Schema<SubmissionMessage>(
  { submissionId: String, at: Date, userId: Number, message: String },
  { collection: 'bigsdb_submission_messages', versionKey: false },
);
MessageSchema.index({ submissionId: 1, at: 1 });

const FileSchema = new Schema<SubmissionFile>(
  { _id: String, submissionId: String, filename: String, size: Number, complete: Boolean, uploadedAt: Date },
  { collection: 'bigsdb_submission_files', versionKey: false },
);
FileSchema.index({ submissionId: 1, filename: 1 }, { unique: true });

const ChunkSchema = new Schema<SubmissionFileChunk>(
  { _id: String, fileId: String, submissionId: String, n: Number, data: Buffer },
  { collection: 'bigsdb_submission_file_chunks', versionKey: false },
);
ChunkSchema.index({ fileId: 1, n: 1 });
ChunkSchema.index({ submissionId: 1 });

export interface SubmissionModels {
  submissions: Model<Submission>;
  items: Model<SubmissionItem>;
  decisions: Model<SubmissionDecision>;
  messages: Model<SubmissionMessage>;
  files: Model<SubmissionFile>;
  chunks: Model<SubmissionFileChunk>;
}

export async function submissionModels(connection: Connection): Promise<SubmissionModels> {
  const models: SubmissionModels = {
    submissions: connection.model<Submission>('BigsdbSubmission', SubmissionSchema),
    items: connection.model<SubmissionItem>('BigsdbSubmissionItem', ItemSchema),
    decisions: connection.model<SubmissionDecision>('BigsdbSubmissionDecision', DecisionSchema),
    messages: connection.model<SubmissionMessage>('BigsdbSubmissionMessage', MessageSchema),
    files: connection.model<SubmissionFile>('BigsdbSubmissionFile', FileSchema),
    chunks: connection.model<SubmissionFileChunk>('BigsdbSubmissionFileChunk', ChunkSchema),
  };
  await Promise.all(Object.values(models).map((model: Model<unknown>) => model.init()));
  return models;
}
