import type { Run } from '@helixgate/contracts';
import { LOCK_FIELDS, type LockDocument } from '@helixgate/platform';
import { Schema } from 'mongoose';

/**
 * A run: the contract's Run with the id as _id, and the worker bookkeeping. Only state changes write it (submit,
 * start, cancel, finish): a worker's heartbeat writes RunProgressDocument instead, so that on a server where a
 * filtered update is not atomic (FerretDB 1.x) a heartbeat can never write back a state a cancel just replaced.
 */
export interface RunDocument extends Omit<Run, 'id'> {
  _id: string;
  /** Attempts workers have made (a redelivered run is attempted again). */
  attempts: number;
  worker?: string;
  /**
   * The log's last lines when few, sent with the outcome and stored in the same write (a short run's log costs no
   * write of its own); the log shows them after its batches.
   */
  lastLines?: string[];
  /** Kept here by earlier releases (run_progress holds it now); never part of a reply. */
  logLines?: number;
}

/** What the worker running a run reports with each heartbeat: its latest message and the log lines written so far. */
export interface RunProgressDocument {
  /** The run's id. */
  _id: string;
  /** Shown as the run's message while it is Running. */
  message?: string;
  logLines: number;
}

// minimize: false keeps empty objects (a run's parameters and metadata), which the contract requires.
export const RunDocumentSchema = new Schema<RunDocument>(
  { _id: String, owner: String, state: String, createdAt: String },
  { collection: 'runs', strict: false, versionKey: false, minimize: false },
);
RunDocumentSchema.index({ owner: 1, createdAt: 1 });
RunDocumentSchema.index({ owner: 1, state: 1 });

export const RunProgressDocumentSchema = new Schema<RunProgressDocument>(
  { _id: String, message: String, logLines: Number },
  { collection: 'run_progress', versionKey: false },
);

/** Locks by what they lock (`delete:<run>`), claimed by inserting the id; expired ones are swept by withLock. */
export const RunLockSchema = new Schema<LockDocument>(LOCK_FIELDS, { collection: 'locks', versionKey: false });
RunLockSchema.index({ expiresAt: 1 });

/** The models' names: their provider tokens (`mongoModel`, `@InjectModel`). */
export const RUN = 'Run';
export const RUN_PROGRESS = 'RunProgress';
export const RUN_LOCK = 'Lock';
