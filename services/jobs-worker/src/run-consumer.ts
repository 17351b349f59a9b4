import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { JobSubjects, RUN_PRIORITIES, RunMessageSchema, runStream, runSubject } from '@helixgate/contracts';
import { ensureRunStream, InjectConfig, InjectLogger, InjectNats, RpcClient } from '@helixgate/platform';
import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AckPolicy, type Consumer, type JsMsg, type NatsConnection, nanos } from 'nats';
import type { Logger } from 'pino';
import type { WorkerConfig } from './config';
import { RunExecutor, type RunOutcome } from './run-executor';

/** Longest log line kept (the contract's limit). */
const MAX_LINE = 10_000;
/** Deliveries of one run before the queue gives up on it (then the run is ended in Error here). */
const MAX_DELIVER = 10;
/** Log lines a worker holds between heartbeats; a task printing faster loses lines (counted in the log). */
const MAX_BUFFERED_LINES = 50_000;

/**
 * Takes runs from the work queue, highest priority first, and works on them: the run's outcome is reported to
 * the jobs service before the message is acknowledged, and a heartbeat keeps the message while the run goes on.
 * A worker that dies stops its heartbeat; after JOBS_ACK_WAIT_SECONDS the run goes to another worker.
 */
@Injectable()
export class RunConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly worker = `${hostname()}-${process.pid}`;
  private consumers: Consumer[] = [];
  private stopping = false;
  private readonly loops: Array<Promise<void>> = [];
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
    const stream = runStream(prefix);
    await ensureRunStream(this.nats, prefix);
    const manager = await this.nats.jetstreamManager();
    for (const priority of RUN_PRIORITIES) {
      const durable = `jobs-worker-${priority}`;
      const config = {
        durable_name: durable,
        filter_subject: runSubject(priority, prefix),
        ack_policy: AckPolicy.Explicit,
        ack_wait: nanos(this.config.JOBS_ACK_WAIT_SECONDS * 1000),
        max_deliver: MAX_DELIVER,
      };
      await manager.consumers.add(stream, config).catch(async () => manager.consumers.update(stream, durable, config));
      this.consumers.push(await this.nats.jetstream().consumers.get(stream, durable));
    }
    const published = this.nats.subscribe(runSubject('*', prefix));
    void (async () => {
      for await (const _ of published) this.signal();
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
   * The next message, from the highest priority with one waiting. When all are empty it waits for a run to be
   * published, or a second at most (a run another worker holds comes back here if that worker stops beating).
   */
  private async next(): Promise<JsMsg | undefined> {
    for (const consumer of this.consumers) {
      // Waiting messages, or ones out with a worker, which come back here if that worker stops beating.
      const info = await consumer.info().catch(() => undefined);
      if (!info || info.num_pending + info.num_ack_pending === 0) continue;
      const message = await consumer.next({ expires: 1000 });
      if (message) return message;
    }
    await Promise.race([this.wakeUp, sleep(1000)]);
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
    let progress: string | undefined;
    const send = async () => {
      const message = progress;
      progress = undefined;
      const { cancelled } = await this.rpc.request(JobSubjects.appendLog, {
        runId,
        lines: buffer.splice(0, 1000),
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
      while (buffer.length) await send();
      await this.rpc.request(JobSubjects.finishRun, { runId, ...outcome });
      message.ack();
      this.logger.info({ runId, state: outcome.state }, 'run ended');
    } catch (error) {
      this.logger.error({ runId, error: (error as Error).message, last }, 'the outcome could not be reported');
      if (last) message.term();
      else message.nak(5000);
    }
  }
}
