import { parentPort } from 'node:worker_threads';
import { ServiceError } from '@helixgate/contracts';
import { type AlleleIndexData, indexDatabase } from './allele-index';
import { type QueryJob, runQueryJob } from './query-job';
import { TypingEngine } from './typing-engine';

/** Messages from the pool: a database's index (sent once per version), or a job to run on the current one. */
export type WorkerRequest =
  { kind: 'index'; data: AlleleIndexData } | { kind: 'job'; id: number; indexKey: string; job: QueryJob };
export type WorkerReply =
  | { id: number; outcome: ReturnType<typeof runQueryJob> }
  | { id: number; error: { status: number; code: string; message: string } };

/** Engines by database; one is replaced when its database's index changes. */
const engines = new Map<string, TypingEngine>();

parentPort?.on('message', (message: WorkerRequest) => {
  if (message.kind === 'index') {
    engines.set(indexDatabase(message.data.key), new TypingEngine(message.data));
    return;
  }
  const engine = engines.get(indexDatabase(message.indexKey));
  let reply: WorkerReply;
  try {
    if (!engine || engine.data.key !== message.indexKey) throw new Error(`index ${message.indexKey} was not loaded`);
    reply = { id: message.id, outcome: runQueryJob(engine, message.job) };
  } catch (error) {
    reply =
      error instanceof ServiceError
        ? { id: message.id, error: { status: error.status, code: error.code, message: error.message } }
        : {
            id: message.id,
            error: { status: 500, code: 'internal', message: error instanceof Error ? error.message : String(error) },
          };
  }
  parentPort?.postMessage(reply);
});
