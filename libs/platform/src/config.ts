import { z } from 'zod';

/** Raised when the environment does not describe a runnable process; the message lists every problem. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const port = z.coerce.number().int().min(0).max(65535);
/** Node timers hold at most 2^31-1 ms; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const positiveMs = z.coerce.number().int().positive().max(MAX_TIMER_MS);
const positiveSeconds = z.coerce
  .number()
  .int()
  .positive()
  .max(Math.floor(MAX_TIMER_MS / 1000));

/** Variables every Helixgate process reads. Each is documented in the README table and the Helm values. */
export const BaseEnvSchema = z.object({
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  /** NATS user and password, when the server requires them (kept out of the URL, which is logged). */
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: z.string().min(1).optional(),
  NATS_SUBJECT_PREFIX: z
    .string()
    .regex(/^[a-z0-9-]*$/, 'lower-case letters, digits and dashes only')
    .default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OPS_HOST: z.string().default('0.0.0.0'),
  OPS_PORT: port.default(9100),
  SHUTDOWN_TIMEOUT_MS: positiveMs.default(10_000),
  TRANSFER_BUCKET: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('helixgate-transfers'),
  /** Cap on the transfer bucket: uploads are refused (503) rather than filling the disk. */
  TRANSFER_BUCKET_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * 1024 ** 3),
});

/** Variables of a process that owns a MongoDB database. */
export const MongoEnvSchema = z.object({
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URI')
    .default('mongodb://127.0.0.1:27017'),
  /** MongoDB user and password, when the server requires them: given apart from the URI, so they need no URL-encoding. */
  MONGODB_USERNAME: z.string().min(1).optional(),
  MONGODB_PASSWORD: z.string().min(1).optional(),
});

/** Variables of a process that reads or writes run files (jobs, jobs-worker). */
export const JobFilesEnvSchema = z.object({
  /** Cap on the bucket of run inputs and outputs (kept until their run is deleted); when full, runs fail to start. */
  JOB_FILES_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * 1024 ** 3),
});

export type BaseEnv = z.output<typeof BaseEnvSchema>;

/** Parses the environment with the given schema, or throws a ConfigError naming every bad variable. */
export function loadConfig<S extends z.ZodTypeAny>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data as z.output<S>;
  const problems = parsed.error.issues.map(
    (issue) => `  - ${issue.path.join('.') || '(environment)'}: ${issue.message}`,
  );
  throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
}

/** A MongoDB database name that MongoDB and FerretDB (a PostgreSQL schema underneath) both accept. */
const databaseName = z.string().regex(/^[a-z0-9_-]{1,63}$/, 'lower-case letters, digits, _ and - only; at most 63');

/** Schema violations in one line: `field: message; other.field: message` (the root named by rootLabel). */
export function describeIssues(error: z.ZodError, rootLabel: string): string {
  return error.issues.map((issue) => `${issue.path.join('.') || rootLabel}: ${issue.message}`).join('; ');
}

export const envSchemas = { port, positiveMs, positiveSeconds, databaseName };

/** The options of a NATS connection of this process: servers, a name, and the user and password if set. */
export function natsConnectOptions(
  config: { NATS_URL: string; NATS_USER?: string; NATS_PASSWORD?: string },
  name: string,
) {
  return {
    servers: config.NATS_URL,
    name,
    ...(config.NATS_USER ? { user: config.NATS_USER, pass: config.NATS_PASSWORD ?? '' } : {}),
  };
}

/** A server URL fit for a log line: any user and password in it left out. */
export function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^/@]*@/g, '//');
}
