import type { AaState, ObjectRef } from '@helixgate/contracts';
import { LOCK_FIELDS, type LockDocument } from '@helixgate/platform';
import { Schema } from 'mongoose';

/** One job's run within a batch; its id is the jobs service's run id. State and results are copies of the run's. */
export interface AaSubmissionDocument {
  _id: string;
  batch: string;
  name: string;
  job: string;
  email: string;
  /** The client's address: A_A's queue limits count per address. */
  client: string;
  state: AaState;
  lastMessage: string;
  /** The input's file name as data paths give it (`<UUID>.<ending>`). */
  inputName: string;
  /** Task numbers (A_A's task pk) by task name, from the definition at submission. */
  taskNumbers: Record<string, number>;
  results: Array<{ task: number; name: string; message: string; step: number; data_path: string }>;
  /** Set once the jobs service has the run (or queueing failed): until then there is nothing to copy from. */
  queued: boolean;
  /**
   * Its batch was withdrawn but the run could not be cancelled then (the jobs service unreachable, or no run yet,
   * though one may still appear from a submit that timed out on this side): the sync cancels it, looking until
   * `cancelUntil` for a run that is not there yet.
   */
  cancelPending?: boolean;
  cancelUntil?: Date;
  /** Its batch was withdrawn: it is ended in Error by the withdrawal, never from its run again. */
  withdrawn?: boolean;
  /** What queueing the run needs, until it is queued; `claimUntil` is how long the replica queueing it holds it. */
  queue?: {
    /** The POST's upload: the batch's first run copies it into its files, the others share that copy. */
    upload: ObjectRef;
    priority: 'low' | 'normal';
    parameters: Record<string, string>;
    unfinishedLimit: number;
    claimUntil: Date;
  };
  createdAt: Date;
  modified: Date;
}

/** A batch: the submissions one POST created, and whether its end was told by e-mail. */
export interface AaBatchDocument {
  _id: string;
  submissions: string[];
  state: AaState;
  email: string;
  jobs: string[];
  baseUri: string;
  /** Given to no client: its POST failed or was cut off, so its runs were cancelled and its submissions are in Error. */
  withdrawn?: boolean;
  /** 'pending' until the batch ends; then 'sending' by the one replica that claimed it, and 'sent' or 'failed'. */
  notification: 'pending' | 'sending' | 'sent' | 'failed' | 'none';
  createdAt: Date;
}

/**
 * A replica's hold on one piece of work (`notify:<batch>` while it sends the batch's e-mail, and `queue:<client>`
 * while a POST counts the client's submissions and adds its own), taken by withLock.
 */
export type AaClaimDocument = LockDocument;

const loose = { strict: false, versionKey: false, minimize: false } as const;

export const AaSubmissionSchema = new Schema<AaSubmissionDocument>(
  { _id: String, batch: String, client: String, state: String, job: String, createdAt: Date },
  { ...loose, collection: 'aa_submissions' },
);
AaSubmissionSchema.index({ client: 1, state: 1 });
AaSubmissionSchema.index({ state: 1 });
AaSubmissionSchema.index({ batch: 1 });
AaSubmissionSchema.index({ createdAt: -1 });
AaSubmissionSchema.index({ queued: 1 });
AaSubmissionSchema.index({ cancelPending: 1 });

export const AaBatchSchema = new Schema<AaBatchDocument>(
  { _id: String, state: String, notification: String },
  { ...loose, collection: 'aa_batches' },
);
AaBatchSchema.index({ notification: 1 });

export const AaClaimSchema = new Schema<AaClaimDocument>(LOCK_FIELDS, { versionKey: false, collection: 'aa_claims' });
AaClaimSchema.index({ expiresAt: 1 });

/** The models' names: their provider tokens (`mongoModel`, `@InjectModel`). */
export const AA_SUBMISSION = 'AaSubmission';
export const AA_BATCH = 'AaBatch';
export const AA_CLAIM = 'AaClaim';
