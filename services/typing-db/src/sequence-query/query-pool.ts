import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ErrorCodes, ServiceError } from '@helixgate/contracts';
import { InjectConfig, InjectLogger } from '@helixgate/platform';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { TypingConfig } from '../config';
import { type AlleleIndexData, indexDatabase } from './allele-index';
import type { QueryJob, QueryOutcome } from './query-job';
import type { WorkerReply, WorkerRequest } from './query-worker';

/** BIGSdb's answer when its load average is over max_load; here, when every worker is busy and the queue is full. */
export const TOO_BUSY = 'Server is too busy. Please try again later.';

interface Pending {
  id: number;
  index: AlleleIndexData;
  job: QueryJob;
  resolve: (outcome: QueryOutcome) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  /** Index key per database this worker has loaded. */
  loaded: Map<string, string>;
  running?: Pending;
  /** Failed and about to exit: given no more work (a new thread replaces it). */
  dead?: boolean;
}

/**
 * Worker threads that type sequences off the service's event loop. At most `maxQueued` queries wait for a free
 * worker; past that a query is refused at once with BIGSdb's 503 rather than piling up.
 */
@Injectable()
export class QueryPool implements OnApplicationShutdown {
  private readonly workers: PoolWorker[] = [];
  private readonly queue: Pending[] = [];
  private readonly maxQueued: number;
  private nextId = 1;
  private closing = false;

  constructor(
    @InjectConfig() config: TypingConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {
    this.maxQueued = config.TYPING_QUERY_QUEUE;
    for (let i = 0; i < config.TYPING_QUERY_WORKERS; i++) this.workers.push(this.spawn());
  }

  private spawn(): PoolWorker {
    const entry: PoolWorker = { worker: new Worker(join(__dirname, 'query-worker.js')), loaded: new Map() };
    entry.worker.on('message', (reply: WorkerReply) => {
      const pending = entry.running;
      entry.running = undefined;
      if (pending && pending.id === reply.id) {
        if ('outcome' in reply) pending.resolve(reply.outcome);
        else if (reply.error.status >= 500) {
          this.logger.error({ error: reply.error.message }, 'sequence query failed');
          pending.reject(new ServiceError(500, ErrorCodes.internal, 'The sequence query failed.'));
        } else pending.reject(new ServiceError(reply.error.status, reply.error.code, reply.error.message));
      }
      this.dispatch();
    });
    entry.worker.on('error', (error) => {
      entry.dead = true;
      this.logger.error({ error: error.message }, 'sequence query worker failed; starting another');
      entry.running?.reject(new ServiceError(500, ErrorCodes.internal, 'The sequence query failed.'));
      entry.running = undefined;
    });
    entry.worker.on('exit', () => {
      if (this.closing) return;
      const at = this.workers.indexOf(entry);
      if (at >= 0) this.workers[at] = this.spawn();
      this.dispatch();
    });
    return entry;
  }

  /** Queries running or waiting. */
  get load(): number {
    return this.queue.length + this.workers.filter((w) => w.running).length;
  }

  run(index: AlleleIndexData, job: QueryJob): Promise<QueryOutcome> {
    if (this.closing) return Promise.reject(ServiceError.unavailable(TOO_BUSY));
    const idle = this.workers.some((w) => !w.running && !w.dead);
    if (!idle && this.queue.length >= this.maxQueued) return Promise.reject(ServiceError.unavailable(TOO_BUSY));
    return new Promise<QueryOutcome>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, index, job, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const entry of this.workers) {
      if (entry.running || entry.dead || !this.queue.length) continue;
      const pending = this.queue.shift() as Pending;
      const database = indexDatabase(pending.index.key);
      if (entry.loaded.get(database) !== pending.index.key) {
        entry.worker.postMessage({ kind: 'index', data: pending.index } satisfies WorkerRequest);
        entry.loaded.set(database, pending.index.key);
      }
      entry.running = pending;
      entry.worker.postMessage(
        { kind: 'job', id: pending.id, indexKey: pending.index.key, job: pending.job } satisfies WorkerRequest,
        [pending.job.body.buffer as ArrayBuffer],
      );
    }
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const pending of this.queue.splice(0)) pending.reject(ServiceError.unavailable(TOO_BUSY));
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
