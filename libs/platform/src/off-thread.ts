import { parentPort, Worker } from 'node:worker_threads';
import { ErrorCodes, ServiceError } from '@helixgate/contracts';

/** What a worker script posts back for each task: its result, or the error it threw (a ServiceError's parts). */
export type OffThreadReply<R> =
  { id: number; result: R } | { id: number; error: { status: number; code: string; message: string } };

interface Task<R> {
  id: number;
  input: unknown;
  transfer: ArrayBuffer[];
  resolve: (result: R) => void;
  reject: (error: Error) => void;
}

/**
 * One worker thread that runs CPU-bound work (parsing a 10 MB document) off a service's event loop, so the loop
 * keeps answering other requests and sending the keepalives that tell clients this process is alive. Tasks run one
 * at a time in arrival order, as they did on the loop. A worker that dies fails its task with a 503 and is replaced.
 * The script at `file` calls serveOffThread with the task's function.
 */
export class OffThread<I, R> {
  private worker?: Worker;
  private running?: Task<R>;
  private readonly queue: Task<R>[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly file: string) {}

  run(input: I, transfer: ArrayBuffer[] = []): Promise<R> {
    if (this.closed) return Promise.reject(ServiceError.unavailable('The service is shutting down; try again.'));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, transfer, resolve, reject });
      this.dispatch();
    });
  }

  private spawn(): Worker {
    const worker = new Worker(this.file);
    worker.on('message', (reply: OffThreadReply<R>) => {
      const task = this.running;
      if (!task || task.id !== reply.id) return;
      this.running = undefined;
      if ('result' in reply) task.resolve(reply.result);
      else task.reject(new ServiceError(reply.error.status, reply.error.code, reply.error.message));
      this.dispatch();
    });
    worker.on('error', () => undefined); // followed by 'exit', where the task is failed
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.running?.reject(ServiceError.unavailable('The work could not be finished; try again shortly.'));
      this.running = undefined;
      if (!this.closed) this.dispatch();
    });
    return worker;
  }

  private dispatch(): void {
    if (this.running || this.closed) return;
    const task = this.queue.shift();
    if (!task) return;
    this.worker ??= this.spawn();
    this.running = task;
    this.worker.postMessage({ id: task.id, input: task.input }, task.transfer);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(ServiceError.unavailable('The service is shutting down.'));
    await this.worker?.terminate();
  }
}

/** The worker side of OffThread: answers each task with `work(input)`, or with the error it threw. */
export function serveOffThread(work: (input: never) => unknown): void {
  parentPort?.on('message', ({ id, input }: { id: number; input: never }) => {
    let reply: OffThreadReply<unknown>;
    try {
      reply = { id, result: work(input) };
    } catch (error) {
      reply =
        error instanceof ServiceError
          ? { id, error: { status: error.status, code: error.code, message: error.message } }
          : { id, error: { status: 500, code: ErrorCodes.internal, message: 'The work failed.' } };
    }
    parentPort?.postMessage(reply);
  });
}
