import {
  type DynamicModule,
  type INestApplicationContext,
  type INestMicroservice,
  Module,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NatsOptions, ServerNats } from '@nestjs/microservices';
import { Connection } from 'mongoose';
import { headers as natsHeaders, type Msg, type NatsConnection, type Subscription } from 'nats';
import type { Logger } from 'pino';
import { Counter, Histogram } from 'prom-client';
import type { z } from 'zod';
import { type BaseEnv, ConfigError, loadConfig, natsConnectOptions, withoutCredentials } from './config';
import { acceptRequestId, createLogger, NestJsonLogger, REQUEST_ID_HEADER, withRequestContext } from './logger';
import { mongoReadiness } from './mongo';
import { type OpsServer, startOpsServer } from './ops-server';
import { type PlatformNeeds, PlatformModule } from './platform.module';
import { RPC_KEEPALIVE_HEADER, RPC_KEEPALIVE_INTERVAL_MS } from './rpc-client';
import { ErrorEnvelopeFilter } from './rpc-exception.filter';

/** Counts requests being handled, so shutdown can wait for them. */
class InFlight {
  private count = 0;
  private waiters: Array<() => void> = [];
  enter(): void {
    this.count += 1;
  }
  leave(): void {
    this.count = Math.max(0, this.count - 1);
    if (this.count === 0) this.waiters.splice(0).forEach((wake) => wake());
  }
  idle(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
  get size(): number {
    return this.count;
  }
}

/** Longest a responder keeps a request alive, whatever wait the client asked for. */
const LONGEST_KEEPALIVE_MS = 60 * 60 * 1000;
const EMPTY = new Uint8Array(0);

/**
 * Nest's NATS server, stopping gracefully: on close it drains its subscriptions (the server stops routing
 * requests here, so the queue group's other replicas take them, and every request already routed here is
 * still handled), waits for the requests it is handling to be answered, flushes the replies, then closes.
 * While a request is handled it sends the client keepalives (RpcClient asks for them in a header), so a client
 * whose responder dies learns it in seconds instead of at its timeout.
 */
class DrainingNatsServer extends ServerNats {
  constructor(
    options: NatsOptions['options'],
    private readonly inFlight: InFlight,
    private readonly drainTimeoutMs: number,
    private readonly log: Logger,
  ) {
    super(options ?? {});
  }

  /**
   * Subjects here are plain strings, so the handler is one map look-up; Nest first tries JSON.parse on every
   * message's pattern and catches the SyntaxError it throws (about 4% of a busy service's CPU).
   */
  override getHandlerByPattern(pattern: string) {
    return this.getHandlers().get(pattern) ?? super.getHandlerByPattern(pattern);
  }

  override getPublisher(natsMsg: Msg, id: string, ctx: Parameters<ServerNats['getPublisher']>[2]) {
    const publish = super.getPublisher(natsMsg, id, ctx);
    const wanted = Number(natsMsg.headers?.get(RPC_KEEPALIVE_HEADER));
    if (!natsMsg.reply || !(wanted > 0)) return publish;
    const until = Date.now() + Math.min(wanted, LONGEST_KEEPALIVE_MS);
    const keepalive = setInterval(() => {
      try {
        if (Date.now() >= until) throw new Error('the client stopped waiting');
        const headers = natsHeaders();
        headers.set(RPC_KEEPALIVE_HEADER, '1');
        natsMsg.respond(EMPTY, { headers });
      } catch {
        clearInterval(keepalive); // past the client's wait, or the connection closed
      }
    }, RPC_KEEPALIVE_INTERVAL_MS);
    return (response: unknown): unknown => {
      clearInterval(keepalive);
      return publish(response) as unknown;
    };
  }

  override async close(): Promise<void> {
    // Nest keeps the subscriptions in a private field; unsubscribing them is the point of this class.
    const subscriptions = (this as unknown as { subscriptions?: Subscription[] }).subscriptions ?? [];
    await Promise.all(subscriptions.map((subscription) => subscription.drain().catch(() => undefined)));
    const pending = this.inFlight.size;
    if (pending > 0) this.log.info({ pending }, 'waiting for in-flight requests before closing');
    if (!(await this.inFlight.idle(this.drainTimeoutMs))) {
      this.log.warn({ pending: this.inFlight.size }, 'shutdown timeout reached with requests still in flight');
    }
    // Nest publishes a reply right after its end hook; flush so the last replies leave before the close.
    await this.unwrap<NatsConnection>()
      .flush()
      .catch(() => undefined);
    await super.close();
  }
}

export interface ServiceDefinition<S extends z.ZodTypeAny> {
  /** The service name: its queue group, log field and metrics label. */
  name: string;
  envSchema: S;
  /** What the platform opens for it (PlatformModule provides each); a service always has transfers, for its large replies. */
  needs?: PlatformNeeds;
  /** The service's root module: its resources' controllers, services and repositories. */
  module: Type<unknown>;
}

/** The process's graph: the platform's providers, then the service's own module. */
@Module({})
class ProcessRoot {}

function rootModule(imports: DynamicModule['imports']): DynamicModule {
  return { module: ProcessRoot, imports };
}

/** Reports a bad environment, or a dependency that cannot be reached at start, in one line, and exits. */
export function exitOnStartupError(service: string, error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`helixgate ${service}: ${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(
    `helixgate ${service}: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}

/**
 * Boots one NATS microservice the way every Helixgate service runs: validated configuration, JSON logs with
 * the request id from the NATS headers, a queue group per service, /healthz /readyz /metrics, and a graceful
 * stop on SIGTERM or SIGINT that finishes the requests in flight.
 */
export async function runService<S extends z.ZodTypeAny>(definition: ServiceDefinition<S>): Promise<INestMicroservice> {
  try {
    return await startService(definition);
  } catch (error) {
    exitOnStartupError(definition.name, error);
  }
}

async function startService<S extends z.ZodTypeAny>(definition: ServiceDefinition<S>): Promise<INestMicroservice> {
  const base = loadConfig(definition.envSchema) as BaseEnv;
  const logger = createLogger(definition.name, base.LOG_LEVEL);
  const ops = await startOpsServer({ host: base.OPS_HOST, port: base.OPS_PORT, service: definition.name, logger });
  const inFlight = new InFlight();
  const handled = new Counter({
    name: 'helixgate_rpc_requests_total',
    help: 'NATS requests handled, by subject and outcome',
    labelNames: ['subject', 'outcome'],
    registers: [ops.metrics],
  });
  const duration = new Histogram({
    name: 'helixgate_rpc_request_duration_seconds',
    help: 'Time to answer a NATS request, by subject',
    labelNames: ['subject'],
    registers: [ops.metrics],
  });

  const server = new DrainingNatsServer(
    { ...natsConnectOptions(base, definition.name), queue: definition.name },
    inFlight,
    base.SHUTDOWN_TIMEOUT_MS,
    logger,
  );
  const endHooks = new WeakMap<object, () => void>();
  server.setOnProcessingStartHook((_transport, context, done) => {
    const [subject, headers] = (context as { getArgs(): [string, { get(key: string): string } | undefined] }).getArgs();
    const requestId = acceptRequestId(headers?.get(REQUEST_ID_HEADER));
    inFlight.enter();
    const stopTimer = duration.startTimer({ subject });
    void withRequestContext({ requestId, subject }, async () => {
      try {
        await done();
      } catch (error) {
        logger.error({ err: error }, 'request handler failed outside the error filter');
        inFlight.leave();
      }
    });
    // The end hook fires when the reply is published; it closes the books on this request.
    endHooks.set(context as object, () => {
      const seconds = stopTimer();
      inFlight.leave();
      logger.info({ ms: Math.round(seconds * 1000) }, 'rpc request answered');
    });
  });
  server.setOnProcessingEndHook((_transport, context) => {
    const [subject] = (context as { getArgs(): [string] }).getArgs();
    handled.inc({ subject, outcome: 'answered' });
    endHooks.get(context as object)?.();
    endHooks.delete(context as object);
  });

  const needs = definition.needs ?? {};
  const platform = PlatformModule.forRoot({
    name: definition.name,
    config: base,
    logger,
    needs,
    handlesRequests: true,
    metrics: ops.metrics,
  });
  const app = await NestFactory.createMicroservice(rootModule([platform, definition.module]), {
    strategy: server,
    logger: new NestJsonLogger(logger),
    abortOnError: false, // a connection refused at start is exitOnStartupError's one line, not Nest's exit
  });
  if (needs.mongo) ops.addReadinessCheck(mongoReadiness(app.get(Connection)));
  app.useGlobalFilters(new ErrorEnvelopeFilter(logger));
  await app.listen();
  const connection = server.unwrap<NatsConnection>();
  ops.addReadinessCheck({
    name: 'nats',
    check: async () => {
      if (connection.isClosed()) throw new Error('connection closed');
      await connection.flush();
    },
  });
  stopGracefully(definition.name, logger, ops, base.SHUTDOWN_TIMEOUT_MS, () => app.close());
  ops.setStarted();
  logger.info({ nats: withoutCredentials(base.NATS_URL), queue: definition.name }, 'service ready');
  return app;
}

/**
 * The same graph as the service's, for a command line (`npm run typing`, `npm run admin`, `npm run jobs`): the
 * service's module and the platform's providers, with no NATS request handlers and no ops server. The caller
 * closes it (which closes the connections) when done.
 */
export async function openCommandContext<S extends z.ZodTypeAny>(
  definition: ServiceDefinition<S>,
): Promise<INestApplicationContext> {
  const config = loadConfig(definition.envSchema) as BaseEnv;
  const logger = createLogger(definition.name, 'warn');
  const platform = PlatformModule.forRoot({
    name: definition.name,
    config: config,
    logger,
    needs: definition.needs ?? {},
    handlesRequests: false,
  });
  return NestFactory.createApplicationContext(rootModule([platform, definition.module]), {
    logger: new NestJsonLogger(logger),
    abortOnError: false,
  });
}

/** On SIGTERM/SIGINT: not ready any more, finish in-flight work, close, exit. A second signal exits at once. */
export function stopGracefully(
  service: string,
  logger: Logger,
  ops: OpsServer,
  timeoutMs: number,
  close: () => Promise<void>,
): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, `${service} stopping`);
    ops.setShuttingDown();
    const deadline = setTimeout(() => {
      logger.warn({ timeoutMs }, 'shutdown took longer than SHUTDOWN_TIMEOUT_MS; exiting now');
      process.exit(1);
    }, timeoutMs + 2_000); // the drain itself waits up to timeoutMs; this bounds everything else
    deadline.unref();
    close()
      .then(() => ops.close())
      .then(
        () => {
          logger.info(`${service} stopped`);
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'error while stopping');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
