import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureInfrastructure, uniqueName } from '@helixgate/testing';
import mongoose, { type Connection } from 'mongoose';
import { typingModels, type TypingModels } from '../src/models';
import { SubmissionSupport } from '../src/submission-support';

/**
 * The user behind every submissions call, on the real MongoDB-compatible server: an account's first calls, made at
 * once, leave one user row in the database, and the look-up is backed by an index.
 */
describe('submission support: registering an account new to a database', () => {
  let connection: Connection;
  let models: TypingModels;
  const database = 'pubmlst_test_seqdef';

  before(async () => {
    const { mongoUri } = await ensureInfrastructure();
    connection = await mongoose
      .createConnection(mongoUri, { dbName: uniqueName('t_users').replace(/-/g, '_') })
      .asPromise();
    models = await typingModels(connection);
    await models.databases.create({ _id: database, type: 'seqdef', description: 'test' });
  });
  after(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  test('parallel first calls of several accounts: one user each, all answers naming it', async () => {
    const support = new SubmissionSupport(models);
    const accounts = Array.from({ length: 5 }, (_, i) => `new${i}@example.org`);
    const answers = await Promise.all(
      accounts.flatMap((email) =>
        Array.from({ length: 15 }, () =>
          support
            .context({ database, account: { email, firstName: 'N', surname: 'U', affiliation: '' } })
            .then((c) => [email, c.userId] as const),
        ),
      ),
    );
    for (const email of accounts) {
      const rows = await models.users.find({ database, account: email }).lean();
      assert.equal(rows.length, 1, `${email}: ${rows.length} user rows`);
      assert.deepEqual([...new Set(answers.filter(([e]) => e === email).map(([, id]) => id))], [rows[0]!.id], email);
    }
    const indexes = (await models.users.collection.indexes()).map((i) => JSON.stringify(i.key));
    assert.ok(indexes.includes(JSON.stringify({ database: 1, account: 1, id: 1 })), indexes.join(' '));
  });
});
