import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose, { type Connection, type Model } from 'mongoose';
import type { Logger } from 'pino';

/**
 * One mongoose connection per service, to the service's own database. Works against MongoDB ≥ 6 and
 * FerretDB 1.x alike: callers use no transactions, change streams, TTL indexes or $lookup.
 */
/**
 * The service's own database. `config` is the process's validated environment: MONGODB_URI, MONGODB_DATABASE,
 * and MONGODB_USERNAME / MONGODB_PASSWORD when the server requires them.
 */
export async function connectMongo(
  config: { MONGODB_URI: string; MONGODB_DATABASE: string; MONGODB_USERNAME?: string; MONGODB_PASSWORD?: string },
  logger: Logger,
): Promise<Connection> {
  const options = { database: config.MONGODB_DATABASE, logger };
  const connection = mongoose.createConnection(config.MONGODB_URI, {
    dbName: options.database,
    ...(config.MONGODB_USERNAME
      ? { auth: { username: config.MONGODB_USERNAME, password: config.MONGODB_PASSWORD ?? '' } }
      : {}),
    serverSelectionTimeoutMS: 10_000,
    autoIndex: true,
  });
  let closing = false;
  connection.on('disconnecting', () => (closing = true)); // only an explicit close() goes through this state
  connection.on('disconnected', () => {
    if (!closing) options.logger.warn({ database: options.database }, 'mongodb disconnected; reconnecting');
  });
  connection.on('reconnected', () => options.logger.info({ database: options.database }, 'mongodb reconnected'));
  await connection.asPromise();
  options.logger.info({ database: options.database }, 'mongodb connected');
  return connection;
}

/** A unique-index violation (E11000), alone or as every failure of an unordered bulk insert. */
export function isDuplicateKeyError(error: unknown): boolean {
  const { code, writeErrors } = error as { code?: number; writeErrors?: Array<{ code?: number }> };
  return (
    code === 11000 ||
    (Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every((e) => e.code === 11000))
  );
}

/** A lock document: its `_id` names what it locks; `token` is the holder's; past `expiresAt` anyone may remove it. */
export interface LockDocument {
  _id: string;
  at: Date;
  /** Absent on locks of earlier releases: then `at` plus the taker's staleMs. */
  expiresAt?: Date;
  token?: string;
}

/** The fields of a locks collection's mongoose schema. */
export const LOCK_FIELDS = { _id: String, at: Date, expiresAt: Date, token: String };

const expiry = (lock: LockDocument, staleMs: number) =>
  (lock.expiresAt ?? new Date(lock.at.getTime() + staleMs)).getTime();
/** When each locks collection was last swept by this process. */
const lastSweep = new WeakMap<Model<LockDocument>, number>();

/**
 * Removes the collection's expired locks, left by processes that died holding them (FerretDB has no TTL indexes).
 * withLock calls it at most once per staleMs per collection and process; a periodic job may call it too.
 */
export async function sweepExpiredLocks(locks: Model<LockDocument>, staleMs: number): Promise<number> {
  lastSweep.set(locks, Date.now());
  const now = new Date();
  const expired = await locks.deleteMany({ expiresAt: { $lt: now } });
  const legacy = await locks.deleteMany({
    expiresAt: { $exists: false },
    at: { $lt: new Date(now.getTime() - staleMs) },
  });
  return expired.deletedCount + legacy.deletedCount;
}

/**
 * Runs `work` holding the lock `id`, so that work of one kind (counting a client's submissions, then adding one)
 * happens one after the other across requests and replicas. Inserting the id is the claim: on FerretDB 1.x a
 * filtered update reads and writes apart and is no lock, an insert under the unique _id is. Waiters retry every few
 * milliseconds until `waitMs` has passed (with 0, one try); a lock past its `expiresAt` (staleMs after it was taken)
 * was left by a process that died and is taken over. Work that has run keeps its outcome even if the lock cannot be
 * released then: the lock expires on its own and is swept.
 */
export async function withLock<T>(
  locks: Model<LockDocument>,
  id: string,
  options: { waitMs: number; staleMs: number; busy: () => Error; logger: Pick<Logger, 'warn'> },
  work: () => Promise<T>,
): Promise<T> {
  const token = randomUUID();
  for (const deadline = Date.now() + options.waitMs; ;) {
    const at = new Date();
    try {
      await locks.create({ _id: id, at, expiresAt: new Date(at.getTime() + options.staleMs), token });
      break;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const held = await locks.findById(id).lean<LockDocument>();
    if (held && expiry(held, options.staleMs) < Date.now()) {
      const taken = await locks.deleteOne({ _id: id, ...(held.token ? { token: held.token } : { at: held.at }) });
      if (taken.deletedCount === 1) continue;
    }
    if (Date.now() >= deadline) throw options.busy();
    await sleep(5 + Math.random() * 20);
  }
  if ((lastSweep.get(locks) ?? 0) < Date.now() - options.staleMs) {
    await sweepExpiredLocks(locks, options.staleMs).catch((error: unknown) =>
      options.logger.warn({ err: error }, 'expired locks could not be swept'),
    );
  }
  try {
    return await work();
  } finally {
    await locks.deleteOne({ _id: id, token }).catch((error: unknown) => {
      options.logger.warn({ lock: id, err: error }, 'a lock could not be released; it expires on its own');
    });
  }
}

/** A /readyz check: the database answers a ping. */
export function mongoReadiness(connection: Connection) {
  return {
    name: 'mongodb',
    check: async () => {
      if (!connection.db) throw new Error('not connected');
      await connection.db.admin().ping();
    },
  };
}
