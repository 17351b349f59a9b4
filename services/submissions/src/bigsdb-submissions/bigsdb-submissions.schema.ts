import type { SubmissionType } from '@helixgate/contracts';
import { Schema } from 'mongoose';
import type { AlleleMetadata } from './parsing';

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
  alleles?: AlleleMetadata;
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

/** An item's status as shown: one being accepted (its id not yet recorded) is still pending. */
export const wireStatus = (status: SubmissionItem['status']) => (status === 'accepting' ? 'pending' : status);

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

export const SubmissionSchema = new Schema<Submission>(
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

export const SubmissionItemSchema = new Schema<SubmissionItem>(
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
SubmissionItemSchema.index({ submissionId: 1, index: 1 });
SubmissionItemSchema.index({ submissionId: 1, key: 1 }, { unique: true });

export const SubmissionDecisionSchema = new Schema<SubmissionDecision>(
  { _id: String, submissionId: String, action: String, at: Date },
  { collection: 'bigsdb_submission_decisions', versionKey: false },
);
SubmissionDecisionSchema.index({ submissionId: 1 });

export const SubmissionMessageSchema = new Schema<SubmissionMessage>(
  { submissionId: String, at: Date, userId: Number, message: String },
  { collection: 'bigsdb_submission_messages', versionKey: false },
);
SubmissionMessageSchema.index({ submissionId: 1, at: 1 });

/** The models' names: their provider tokens (`mongoModel`, `@InjectModel`). */
export const SUBMISSION = 'BigsdbSubmission';
export const SUBMISSION_ITEM = 'BigsdbSubmissionItem';
export const SUBMISSION_DECISION = 'BigsdbSubmissionDecision';
export const SUBMISSION_MESSAGE = 'BigsdbSubmissionMessage';
