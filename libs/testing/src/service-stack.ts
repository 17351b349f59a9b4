import assert from 'node:assert/strict';
import { ErrorCodes, ServiceError, type Subject } from '@helixgate/contracts';
import { connect, type NatsConnection } from 'nats';
import { z } from 'zod';
import { type RunningProcess, startServiceProcess } from './processes';
import { type Stack, stackEnvironment } from './stack';

/** Back-end services without the gateway, for tests that call their subjects over NATS as the gateway would. */
export interface ServiceStack extends Pick<Stack, 'env' | 'envOf' | 'process' | 'cli' | 'database' | 'close'> {
  /**
   * A connection to the stack's NATS server, for an RpcClient (subjects behind env.NATS_SUBJECT_PREFIX) and the
   * stack's transfer bucket (env.TRANSFER_BUCKET). Drained by close().
   */
  readonly nats: NatsConnection;
}

/**
 * The given services, and nothing else, as separate processes on the real NATS and MongoDB-compatible server, isolated
 * from any other stack as startStack's are (subject prefix, databases and buckets of their own). They start side by
 * side, so none of them may need another one while it starts.
 */
export async function startServices(
  services: string[],
  extraEnv: Record<string, Record<string, string>> = {},
): Promise<ServiceStack> {
  const stack = await stackEnvironment(extraEnv);
  const started = await Promise.allSettled(services.map((name) => startServiceProcess(name, stack.envOf(name))));
  const running = new Map<string, RunningProcess>();
  for (const outcome of started) if (outcome.status === 'fulfilled') running.set(outcome.value.name, outcome.value);
  const failed = started.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    await Promise.all([...running.values()].map((p) => p.stop('SIGKILL')));
    await stack.dispose(services);
    throw failed.reason;
  }
  const nats = await connect({ servers: stack.env.NATS_URL });
  return {
    env: stack.env,
    envOf: stack.envOf,
    cli: stack.cli,
    database: stack.database,
    nats,
    process: (name) => {
      const found = running.get(name);
      if (!found) throw new Error(`no process ${name} in this stack`);
      return found;
    },
    close: async () => {
      await nats.drain();
      await Promise.all([...running.values()].map((p) => p.stop('SIGTERM')));
      await stack.dispose(services);
    },
  };
}

/** libs/platform's RpcClient and TransferStore, as serviceClient uses them. */
export interface PlatformClients<Client, Store> {
  RpcClient: new (
    connection: NatsConnection,
    options: { timeoutMs: number; subjectPrefix?: string; transfers?: Store },
  ) => Client;
  TransferStore: { open(connection: NatsConnection, bucket: string, options: { maxBytes: number }): Promise<Store> };
}

/**
 * An RpcClient on the stack's subjects that fetches large replies from its transfer bucket, and that bucket. The
 * classes are the caller's: libs/platform's own tests use this library, so it cannot import libs/platform.
 */
export async function serviceClient<Client, Store>(
  stack: ServiceStack,
  platform: PlatformClients<Client, Store>,
): Promise<{ rpc: Client; transfers: Store }> {
  const transfers = await platform.TransferStore.open(stack.nats, stack.env.TRANSFER_BUCKET, {
    maxBytes: Number(stack.env.TRANSFER_BUCKET_MAX_BYTES),
  });
  const rpc = new platform.RpcClient(stack.nats, {
    timeoutMs: 10_000,
    subjectPrefix: stack.env.NATS_SUBJECT_PREFIX,
    transfers,
  });
  return { rpc, transfers };
}

/**
 * Sends a request its subject's contract refuses (the client's own check of it left out) and asserts what the service
 * answers: a 400 envelope naming the fields at fault by their paths.
 */
export async function assertRefusedBySchema(
  rpc: { request(subject: Subject<z.ZodUnknown, z.ZodTypeAny>, payload: unknown): Promise<unknown> },
  subject: Subject<z.ZodTypeAny, z.ZodTypeAny>,
  payload: unknown,
  paths: string[][],
): Promise<void> {
  await assert.rejects(rpc.request({ ...subject, request: z.unknown() }, payload), (error: unknown) => {
    assert.ok(error instanceof ServiceError, `a ServiceError, not ${String(error)}`);
    assert.deepEqual(
      [error.status, error.code, error.message],
      [400, ErrorCodes.badRequest, `Invalid request for ${subject.name}`],
    );
    assert.deepEqual(
      (error.details as Array<{ path: string[] }>).map((issue) => issue.path),
      paths,
    );
    return true;
  });
}
