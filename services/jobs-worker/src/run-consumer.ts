import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { JobSubjects, RUN_PRIORITIES, RunMessageSchema, runStream, runSubject } from '@helixgate/contracts';
import { ensureRunStream, InjectConfig, InjectLogger, InjectNats, RpcClient } from '@helixgate/platform';
import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AckPolicy, type JsMsg, type NatsConnection, type NatsError, nanos } from 'nats';
import type { Logger } from 'pino';
import type { WorkerConfig } from './config';
import { RunExecutor, type RunOutcome } from './run-executor';

/** Longest log line kept (the contract's limit). */
const MAX_LINE = 10_000;
/** Deliveries of one run before the queue gives up on it (then the run is ended in Error here). */
const MAX_DELIVER = 10;
/** Log lines a worker holds between heartbeats; a task printing faster loses lines (counted in the log). */
const MAX_BUFFERED_LINES = 50_000;
/** Log lines one request carries (the contract's limit). */
const LINES_PER_REQUEST = 1000;
/** How long a pull waits for a run just published on its priority (it may not be stored yet when the copy is seen). */
const PUBLISHED_WAIT_MS = 200;
/** How long an idle worker waits for a publish before it looks at every queue again. */
const IDLE_LOOK_MS = 1000;

type RunPriority = (typeof RUN_PRIORITIES)[number];

/** The durable pull consumer of a priority's queue, shared by every worker. */
const durableOf = (priority: RunPriority) => `jobs-worker-${priority}`;

/**
 * Takes runs from the work queue, highest priority first, and works on them: the run's outcome is reported to
 * the jobs service before the message is acknowledged, and a heartbeat keeps the message while the run goes on.
 * A worker that dies stops its heartbeat; after JOBS_ACK_WAIT_SECONDS the run goes to another worker.
 */
@Injectable()
export class RunConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly worker = `${hostname()}-${process.pid}`;
  private stream = '';
  private stopping = false;
  private readonly loops: Array<Promise<void>> = [];
  /**
   * What the loops know of each priority's queue: `published` when a run was published there since it was last
   * found empty, `waiting` when it may hold runs (a taken message said more wait, or the periodic look), absent
   * when it was last found empty.
   */
  private readonly queues = new Map<RunPriority, 'published' | 'waiting'>(RUN_PRIORITIES.map((p) => [p, 'waiting']));
  /** Resolves the idle loops' wait when a run is published (the stream's subjects are plain NATS subjects too). */
  private wake: () => void = () => undefined;
  private wakeUp = new Promise<void>((resolve) => (this.wake = resolve));

  constructor(
    @InjectNats() private readonly nats: NatsConnection,
    private readonly rpc: RpcClient,
    private readonly executor: RunExecutor,
    @InjectConfig() private readonly config: WorkerConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** Starts taking runs once the process is up. */
  onApplicationBootstrap(): Promise<void> {
    return this.start();
  }

  /** Stops taking runs and waits for the runs in hand to end (the NATS connection is closed after this). */
  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  async start(): Promise<void> {
    const prefix = this.config.NATS_SUBJECT_PREFIX;
    this.stream = runStream(prefix);
    await ensureRunStream(this.nats, prefix);
    const manager = await this.nats.jetstreamManager();
    for (const priority of RUN_PRIORITIES) {
      const durable = durableOf(priority);
      const config = {
        durable_name: durable,
        filter_subject: runSubject(priority, prefix),
        ack_policy: AckPolicy.Explicit,
        ack_wait: nanos(this.config.JOBS_ACK_WAIT_SECONDS * 1000),
        max_deliver: MAX_DELIVER,
      };
      await manager.consumers
        .add(this.stream, config)
        .catch(async () => manager.consumers.update(this.stream, durable, config));
    }
    const published = this.nats.subscribe(runSubject('*', prefix));
    void (async () => {
      for await (const message of published) {
        const priority = RUN_PRIORITIES.find((p) => message.subject.endsWith(`.${p}`));
        if (priority) this.queues.set(priority, 'published');
        this.signal();
      }
    })().catch((error: unknown) =>
      this.logger.warn({ error: (error as Error).message }, 'wake-up subscription ended; polling each second'),
    );
    for (let slot = 0; slot < this.config.JOBS_WORKER_CONCURRENCY; slot++) this.loops.push(this.loop());
    this.logger.info({ worker: this.worker, concurrency: this.config.JOBS_WORKER_CONCURRENCY }, 'taking runs');
  }

  private signal(): void {
    this.wake();
    this.wakeUp = new Promise<void>((resolve) => (this.wake = resolve));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.signal();
    await Promise.all(this.loops);
  }

  /**
   * One message of the priority's queue, or undefined when it has none: at once (no_wait) when it is only thought to
   * have some, waiting up to PUBLISHED_WAIT_MS when a run was just published there (its copy on the plain subject can
   * come before the stream has stored it). One request to the server, no consumer info.
   */
  private async pull(priority: RunPriority, waitMs: number): Promise<JsMsg | undefined> {
    try {
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- Consumer#fetch can neither ask without waiting (no_wait) nor wait under 1 s
      return await this.nats.jetstream().pull(this.stream, durableOf(priority), waitMs);
    } catch (error) {
      // 404: nothing waits; 408: nothing came in time. Anything else is the queue not being reachable.
      if (['404', '408'].includes((error as NatsError).code)) return undefined;
      throw error;
    }
  }

  /**
   * The next message, from the highest priority that may have one. When none has, it waits for a run to be
   * published, or IDLE_LOOK_MS at most (a run another worker held comes back to the queue if that worker stops
   * beating, and a run published while this worker was not subscribed makes no noise): then it looks at every
   * priority again.
   */
  private async next(): Promise<JsMsg | undefined> {
    const woken = this.wakeUp; // taken before looking: a run published while this looks is not missed
    for (const priority of RUN_PRIORITIES) {
      const known = this.queues.get(priority);
      if (!known) continue;
      this.queues.delete(priority);
      const message = await this.pull(priority, known === 'published' ? PUBLISHED_WAIT_MS : 0);
      if (!message) continue;
      if (message.info.pending > 0 && !this.queues.has(priority)) this.queues.set(priority, 'waiting');
      return message;
    }
    const looked = await Promise.race([woken.then(() => false), sleep(IDLE_LOOK_MS).then(() => true)]);
    if (looked)
      for (const priority of RUN_PRIORITIES) if (!this.queues.has(priority)) this.queues.set(priority, 'waiting');
    return undefined;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let message: JsMsg | undefined;
      try {
        message = await this.next();
      } catch (error) {
        if (this.stopping) return;
        this.logger.warn({ error: (error as Error).message }, 'work queue not reachable; retrying');
        await sleep(1000);
        continue;
      }
      if (message)
        await this.handle(message).catch((error: unknown) =>
          this.logger.error({ error: (error as Error).message }, 'run handling failed'),
        );
    }
  }

  private async handle(message: JsMsg): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(message.string());
    } catch {
      body = undefined;
    }
    const parsed = RunMessageSchema.safeParse(body);
    if (!parsed.success) {
      this.logger.warn({ subject: message.subject }, 'a work-queue message that is not a run; dropped');
      message.term();
      return;
    }
    const { runId } = parsed.data;
    const attempt = message.info.deliveryCount;
    const last = attempt >= MAX_DELIVER;
    let started;
    try {
      started = await this.rpc.request(JobSubjects.startRun, { runId, worker: this.worker, attempt });
    } catch (error) {
      this.logger.warn({ runId, error: (error as Error).message, last }, 'could not start the run');
      if (last) message.term();
      else message.nak(5000);
      return;
    }
    if (!started.run || !started.definition) {
      message.ack(); // ended, cancelled or deleted meanwhile
      return;
    }
    const abort = new AbortController();
    const buffer: string[] = [];
    let dropped = 0;
    const log = (line: string) => {
      if (buffer.length >= MAX_BUFFERED_LINES) {
        dropped++;
        return;
      }
      if (dropped) {
        buffer.push(
          `${new Date().toISOString()} (${dropped} lines dropped: the task printed faster than the log is written)`,
        );
        dropped = 0;
      }
      buffer.push(`${new Date().toISOString()} ${line}`.slice(0, MAX_LINE));
    };
    // The attempt's first line, sent with the first heartbeat or the outcome (a run that ends at once costs no
    // request of its own).
    log(`attempt ${attempt} on ${this.worker}`);
    let progress: string | undefined;
    const send = async () => {
      const message = progress;
      progress = undefined;
      const { cancelled } = await this.rpc.request(JobSubjects.appendLog, {
        runId,
        lines: buffer.splice(0, LINES_PER_REQUEST),
        ...(message ? { message } : {}),
      });
      if (cancelled) abort.abort();
    };
    let sending = Promise.resolve();
    const heartbeat = setInterval(
      () => {
        message.working(); // kept apart from the log calls: a slow jobs service must not let the message go
        sending = sending
          .then(send)
          .catch((error: unknown) => this.logger.warn({ runId, error: (error as Error).message }, 'log append failed'));
      },
      Math.min(1000, (this.config.JOBS_ACK_WAIT_SECONDS * 1000) / 3),
    );
    this.logger.info({ runId, attempt, job: started.run.job }, 'run started');
    let outcome: RunOutcome;
    try {
      outcome = await this.executor.execute(started.run, started.definition, log, abort.signal, (message) => {
        progress = message;
        log(message);
      });
    } catch (error) {
      // Not a step's failure but the worker's (storage full, no disk): the run ends in Error rather than going round.
      outcome = {
        state: 'Error',
        message: `The run could not be carried out: ${(error as Error).message}`,
        outputs: [],
      };
    } finally {
      clearInterval(heartbeat);
    }
    try {
      await sending;
      log(`${outcome.state}: ${outcome.message}`);
      // Lines beyond one request's worth go first; the last ones travel with the outcome.
      while (buffer.length > LINES_PER_REQUEST) await send();
      await this.rpc.request(JobSubjects.finishRun, { runId, ...outcome, lines: buffer.splice(0) });
      message.ack();
      this.logger.info({ runId, state: outcome.state }, 'run ended');
    } catch (error) {
      this.logger.error({ runId, error: (error as Error).message, last }, 'the outcome could not be reported');
      if (last) message.term();
      else message.nak(5000);
    }
  }
}
