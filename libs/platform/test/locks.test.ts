import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureInfrastructure, uniqueName } from '@helixgate/testing';
import mongoose, { type Connection, type Model, Schema } from 'mongoose';
import pino from 'pino';
import { LOCK_FIELDS, type LockDocument, withLock } from '../src';

/** withLock against the real database (FerretDB locally): what a holder that fails or dies leaves behind. */
describe('withLock (real database)', () => {
  let uri: string;
  const dbName = uniqueName('locks');
  const connections: Connection[] = [];
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line).msg) });
  const busy = () => new Error('busy');

  /** The locks collection over a connection of its own (each its own model, so each sweeps once on first use). */
  const locksOn = async (
    options: { bufferCommands?: boolean } = {},
  ): Promise<{ connection: Connection; locks: Model<LockDocument> }> => {
    const connection = await mongoose.createConnection(uri, { dbName, ...options }).asPromise();
    connections.push(connection);
    return {
      connection,
      locks: connection.model<LockDocument>(
        'Lock',
        new Schema<LockDocument>(LOCK_FIELDS, { versionKey: false }),
        'locks',
      ),
    };
  };

  before(async () => {
    uri = (await ensureInfrastructure()).mongoUri;
  });
  after(async () => {
    await connections[0]?.dropDatabase().catch(() => undefined);
    for (const connection of connections) await connection.close().catch(() => undefined);
  });

  test('work that ran keeps its result when the lock cannot be released after it; the lock expires and is taken over', async () => {
    const { locks } = await locksOn();
    const dying = await locksOn({ bufferCommands: false });
    // The work commits, then the database is out of reach for the release.
    const result = await withLock(
      dying.locks,
      'queue:client',
      { waitMs: 1000, staleMs: 500, busy, logger },
      async () => {
        await dying.connection.close();
        return 'batch added';
      },
    );
    assert.equal(result, 'batch added');
    assert.ok(warnings.includes('a lock could not be released; it expires on its own'), warnings.join('\n'));
    const left = await locks.findById('queue:client').lean<LockDocument>();
    assert.ok(left?.expiresAt, 'the lock left behind says when it expires');
    await assert.rejects(
      withLock(locks, 'queue:client', { waitMs: 0, staleMs: 500, busy, logger }, async () => 'too soon'),
      /busy/,
    );
    await sleep(Math.max(0, left.expiresAt.getTime() - Date.now()) + 50);
    assert.equal(
      await withLock(locks, 'queue:client', { waitMs: 0, staleMs: 500, busy, logger }, async () => 'taken over'),
      'taken over',
    );
    assert.equal(await locks.countDocuments({}), 0);
  });

  test('expired locks nobody asks for again are swept by work under any lock of the collection', async () => {
    const { locks } = await locksOn();
    const past = new Date(Date.now() - 120_000);
    await locks.collection.insertMany([
      { _id: 'delete:run-1', at: past, expiresAt: new Date(Date.now() - 60_000), token: 'dead' },
      // A lock of an earlier release: no expiresAt, older than staleMs.
      { _id: 'delete:run-2', at: past, token: 'dead' },
      // One still held.
      { _id: 'delete:run-3', at: new Date(), expiresAt: new Date(Date.now() + 60_000), token: 'alive' },
    ] as never[]);
    await withLock(locks, 'delete:run-4', { waitMs: 0, staleMs: 60_000, busy, logger }, async () => undefined);
    assert.deepEqual(
      (await locks.find({}).lean<LockDocument[]>()).map((l) => l._id),
      ['delete:run-3'],
    );
  });
});
