import type { Subject } from '@helixgate/contracts';
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
 * side: a service that asks another at start must be given its own stack.
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

/**
 * The subject with a request schema that takes anything, so that an RpcClient sends a request its contract refuses
 * and the service's own check of it (a 400 envelope) is what a test sees. The reply is still checked.
 */
export function withUncheckedRequest<S extends Subject<z.ZodTypeAny, z.ZodTypeAny>>(
  subject: S,
): Subject<z.ZodUnknown, S['reply']> {
  return { ...subject, request: z.unknown() };
}
