import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureInfrastructure, uniqueName } from '@helixgate/testing';
import mongoose, { type Connection } from 'mongoose';
import { DocumentsRepository } from '../src/documents/documents.repository';
import { RESULT_DOCUMENT, type ResultDocument, ResultDocumentSchema } from '../src/documents/documents.schema';

const DAY = 86_400_000;
const row = (id: string) => ({
  _id: id,
  type: 'mapping' as const,
  document: `{"samples":{"s":{"A_1":0.5}},"type":"mapping","n":${id}}`,
});

describe('DocumentsRepository on the MongoDB-compatible server', () => {
  let connection: Connection;
  let documents: DocumentsRepository;

  before(async () => {
    const { mongoUri } = await ensureInfrastructure();
    connection = await mongoose
      .createConnection(mongoUri, { dbName: uniqueName('t_repo').replace(/-/g, '_') })
      .asPromise();
    const model = connection.model<ResultDocument>(RESULT_DOCUMENT, ResultDocumentSchema);
    await model.init();
    documents = new DocumentsRepository(model);
  });

  after(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  test('storing the same document twice keeps one row and its first lifetime', async () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    const first = await documents.store(row('1'), t0, DAY);
    assert.equal(first.stored, true);
    const second = await documents.store(row('1'), new Date(t0.getTime() + 3_600_000), DAY);
    assert.equal(second.stored, false);
    assert.equal(second.row.createdAt.toISOString(), t0.toISOString());
    assert.equal(await connection.collection('result_documents').countDocuments({ _id: '1' as never }), 1);
  });

  test('a document is served until it expires, and not a moment after', async () => {
    const t0 = new Date('2026-02-01T00:00:00Z');
    await documents.store(row('2'), t0, DAY);
    assert.ok(await documents.findLive('2', new Date(t0.getTime() + DAY - 1)));
    assert.equal(await documents.findLive('2', new Date(t0.getTime() + DAY)), null);
  });

  test('posting an expired, unswept document starts a new lifetime', async () => {
    const t0 = new Date('2026-03-01T00:00:00Z');
    await documents.store(row('3'), t0, DAY);
    const later = new Date(t0.getTime() + 2 * DAY);
    const again = await documents.store(row('3'), later, DAY);
    assert.equal(again.stored, true);
    assert.equal(again.row.createdAt.toISOString(), later.toISOString());
    assert.equal(again.row.expiresAt.toISOString(), new Date(later.getTime() + DAY).toISOString());
    assert.ok(await documents.findLive('3', new Date(later.getTime() + 1)));
  });

  test('concurrent posts of one document store it once', async () => {
    const now = new Date('2026-04-01T00:00:00Z');
    const results = await Promise.all(Array.from({ length: 8 }, () => documents.store(row('4'), now, DAY)));
    assert.equal(results.filter((r) => r.stored).length, 1);
    assert.equal(await connection.collection('result_documents').countDocuments({ _id: '4' as never }), 1);
  });

  test('the sweep deletes expired rows only', async () => {
    const now = new Date('2026-05-01T00:00:00Z');
    await documents.store(row('5'), new Date(now.getTime() - 2 * DAY), DAY); // expired
    await documents.store(row('6'), now, DAY); // live
    const deleted = await documents.deleteExpired(now);
    assert.ok(deleted >= 1);
    const collection = connection.collection('result_documents');
    assert.equal(await collection.countDocuments({ _id: '5' as never }), 0);
    assert.equal(await collection.countDocuments({ _id: '6' as never }), 1);
  });
});
