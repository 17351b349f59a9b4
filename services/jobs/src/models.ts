import type { KnowledgeBase } from '@helixgate/cgi';
import type { JobDefinition, Run } from '@helixgate/contracts';
import { LOCK_FIELDS, type LockDocument } from '@helixgate/platform';
import { type Connection, type Model, Schema } from 'mongoose';

/** A job definition, by name. */
export interface DefinitionDocument {
  _id: string;
  definition: JobDefinition;
  updatedAt: string;
  /** Helixgate's own definition (kept current at start); an operator's replaces it and clears this. */
  shipped?: boolean;
}

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
}

/** What the worker running a run reports with each heartbeat: its latest message and the log lines written so far. */
export interface RunProgressDocument {
  /** The run's id. */
  _id: string;
  /** Shown as the run's message while it is Running. */
  message?: string;
  logLines: number;
}

/** A batch of log lines of a run: runId|seq, appended in order. */
export interface LogDocument {
  _id: string;
  runId: string;
  seq: number;
  lines: string[];
}

/** The CGI knowledge base, one document ("current"). */
export interface KnowledgeBaseDocument {
  _id: string;
  kb: KnowledgeBase;
  loadedAt: string;
}

/**
 * A run's hold on an input file that several runs share (the one upload of an analytics_automated batch): `_id` is
 * `<file>|<run>`. The file is removed with the last run that holds it.
 */
export interface FileHolderDocument {
  _id: string;
  file: string;
  run: string;
  owner: string;
}

export interface JobsModels {
  definitions: Model<DefinitionDocument>;
  runs: Model<RunDocument>;
  progress: Model<RunProgressDocument>;
  logs: Model<LogDocument>;
  knowledgeBase: Model<KnowledgeBaseDocument>;
  /** Locks by what they lock (`delete:<run>`), claimed by inserting the id; expired ones are swept by withLock. */
  locks: Model<LockDocument>;
  fileHolders: Model<FileHolderDocument>;
}

// minimize: false keeps empty objects (a run's parameters and metadata), which the contract requires.
const loose = { strict: false, versionKey: false, minimize: false } as const;

export function jobsModels(connection: Connection): JobsModels {
  const runs = new Schema<RunDocument>({ _id: String, owner: String, state: String, createdAt: String }, loose);
  runs.index({ owner: 1, createdAt: 1 });
  runs.index({ owner: 1, state: 1 });
  const logs = new Schema<LogDocument>({ _id: String, runId: String, seq: Number, lines: [String] }, loose);
  logs.index({ runId: 1, seq: 1 });
  const locks = new Schema<LockDocument>(LOCK_FIELDS, { versionKey: false });
  locks.index({ expiresAt: 1 });
  const fileHolders = new Schema<FileHolderDocument>(
    { _id: String, file: String, run: String, owner: String },
    { versionKey: false },
  );
  fileHolders.index({ file: 1, owner: 1 });
  return {
    definitions: connection.model<DefinitionDocument>(
      'Definition',
      new Schema<DefinitionDocument>({ _id: String }, loose),
      'definitions',
    ),
    runs: connection.model<RunDocument>('Run', runs, 'runs'),
    progress: connection.model<RunProgressDocument>(
      'RunProgress',
      new Schema<RunProgressDocument>({ _id: String, message: String, logLines: Number }, { versionKey: false }),
      'run_progress',
    ),
    logs: connection.model<LogDocument>('Log', logs, 'logs'),
    knowledgeBase: connection.model<KnowledgeBaseDocument>(
      'KnowledgeBase',
      new Schema<KnowledgeBaseDocument>({ _id: String }, loose),
      'knowledge_base',
    ),
    locks: connection.model<LockDocument>('Lock', locks, 'locks'),
    fileHolders: connection.model<FileHolderDocument>('FileHolder', fileHolders, 'file_holders'),
  };
}
