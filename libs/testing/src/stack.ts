import { runStream } from '@helixgate/contracts';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { connect } from 'nats';
import { ensureInfrastructure, repoRoot, uniqueName } from './infrastructure';
import { freePort, type RunningProcess, startServiceProcess } from './processes';

export interface Stack {
  /** http://127.0.0.1:<port> of the gateway. */
  readonly baseUrl: string;
  /** The environment every process of this stack shares (NATS_URL, MONGODB_URI, NATS_SUBJECT_PREFIX…). */
  readonly env: Record<string, string>;
  process(name: string): RunningProcess;
  /** The environment a service of this stack runs with (its own database included). */
  envOf: (name: string) => Record<string, string>;
  /** Starts a service again after it was stopped or killed, with the same database and subjects. */
  restart(name: string): Promise<RunningProcess>;
  stop(name: string, signal?: NodeJS.Signals): Promise<number | string>;
  /**
   * Runs a service's command line (`npm run typing -- …` runs the same file) against this stack's databases and
   * returns the JSON it prints; rejects with its error text when it fails.
   */
  cli(service: string, args: string[]): Promise<unknown>;
  /** A service's own database, read and written directly (as a crash, an expiry or an older release would leave it). */
  database<T>(service: string, use: (db: mongoose.mongo.Db) => Promise<T>): Promise<T>;
  /** Stops every process and drops the databases the stack created. */
  close(): Promise<void>;
}

/** What isolates a stack from any other: subjects, databases and buckets of its own; its processes are not part of it. */
export interface StackEnvironment extends Pick<Stack, 'env' | 'envOf' | 'cli' | 'database'> {
  /** The gateway's environment, listening on 127.0.0.1:port. */
  gatewayEnv: (port: number) => Record<string, string>;
  /** Drops the databases of the given services and the stack's streams and buckets. */
  dispose(services: string[]): Promise<void>;
}

const run = promisify(execFile);
const databaseOf = (prefix: string, service: string) => `${prefix}_${service}`.replace(/-/g, '_').slice(0, 63);

/**
 * The environment of a new isolated stack on the real NATS and MongoDB-compatible server (a subject prefix, databases
 * and buckets of its own), for tests that run the processes themselves (the fault test runs them under npm start's
 * supervisor); startStack runs them as plain processes.
 */
export async function stackEnvironment(
  extraEnv: Record<string, Record<string, string>> = {},
): Promise<StackEnvironment> {
  const infrastructure = await ensureInfrastructure();
  const prefix = uniqueName('t');
  const env = {
    NATS_URL: infrastructure.natsUrl,
    MONGODB_URI: infrastructure.mongoUri,
    NATS_SUBJECT_PREFIX: prefix,
    TRANSFER_BUCKET: prefix,
    // JetStream reserves a bucket's cap on disk: test stacks, often several at once, ask for little.
    TRANSFER_BUCKET_MAX_BYTES: String(512 * 1024 ** 2),
    JOB_FILES_MAX_BYTES: String(256 * 1024 ** 2),
    LOG_LEVEL: 'info',
    AUTH_SECRET_KEY: randomBytes(32).toString('base64'),
  };
  const envOf = (name: string) => ({ ...env, MONGODB_DATABASE: databaseOf(prefix, name), ...(extraEnv[name] ?? {}) });
  // Tests poll the gateway from one address far faster than a person: its rate limit is tested on its own stack.
  const gatewayEnv = (port: number) => ({
    RATE_LIMIT_PER_MINUTE: '1000000',
    ...envOf('gateway'),
    HOST: '127.0.0.1',
    PORT: String(port),
  });
  return {
    env,
    envOf,
    gatewayEnv,
    cli: async (service, args) => {
      try {
        const { stdout } = await run(
          process.execPath,
          [join(repoRoot(), 'services', service, 'dist/src/cli.js'), ...args],
          { env: { ...process.env, ...envOf(service) }, maxBuffer: 16 * 1024 ** 2 },
        );
        return JSON.parse(stdout) as unknown;
      } catch (error) {
        throw new Error(
          `${service} ${args[0]} failed: ${(error as { stderr?: string }).stderr?.split('\n\nusage')[0] ?? String(error)}`,
        );
      }
    },
    database: async (service, use) => {
      const connection = await mongoose
        .createConnection(infrastructure.mongoUri, { dbName: databaseOf(prefix, service) })
        .asPromise();
      try {
        return await use(connection.db!);
      } finally {
        await connection.close();
      }
    },
    dispose: async (services) => {
      const connection = await mongoose.createConnection(infrastructure.mongoUri).asPromise();
      try {
        for (const name of services) await connection.useDb(databaseOf(prefix, name)).dropDatabase();
      } finally {
        await connection.close();
      }
      const nats = await connect({ servers: infrastructure.natsUrl });
      const streams = (await nats.jetstreamManager()).streams;
      // The stack's object store buckets (transfers, run files) and the jobs work queue.
      for (const name of [`OBJ_${prefix}`, `OBJ_${prefix}-jobs`, runStream(prefix)])
        await streams.delete(name).catch(() => undefined);
      await nats.drain();
    },
  };
}

/**
 * The gateway and the given services as separate processes on the real NATS and MongoDB-compatible server,
 * isolated from any other stack by a subject prefix and databases of their own.
 */
export async function startStack(
  services: string[],
  extraEnv: Record<string, Record<string, string>> = {},
): Promise<Stack> {
  const stack = await stackEnvironment(extraEnv);
  const { envOf, gatewayEnv } = stack;
  const running = new Map<string, RunningProcess>();
  let port = 0;
  try {
    for (const name of services) running.set(name, await startServiceProcess(name, envOf(name)));
    // A free port is only free until someone binds it: another process may take it first, so try another.
    for (let attempt = 1; !running.has('gateway'); attempt += 1) {
      port = await freePort();
      try {
        running.set('gateway', await startServiceProcess('gateway', gatewayEnv(port)));
      } catch (error) {
        if (attempt >= 3 || !/EADDRINUSE/.test(String(error))) throw error;
      }
    }
  } catch (error) {
    await Promise.all([...running.values()].map((p) => p.stop('SIGKILL')));
    throw error;
  }

  const get = (name: string) => {
    const found = running.get(name);
    if (!found) throw new Error(`no process ${name} in this stack`);
    return found;
  };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    env: stack.env,
    process: get,
    envOf,
    stop: (name, signal) => get(name).stop(signal),
    cli: stack.cli,
    database: stack.database,
    restart: async (name) => {
      await get(name).stop('SIGKILL');
      const started = await startServiceProcess(name, name === 'gateway' ? gatewayEnv(port) : envOf(name));
      running.set(name, started);
      return started;
    },
    close: async () => {
      await Promise.all([...running.values()].map((p) => p.stop('SIGTERM')));
      await stack.dispose(services);
    },
  };
}
