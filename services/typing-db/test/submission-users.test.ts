import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import 'reflect-metadata';
import { openCommandContext } from '@helixgate/platform';
import { ensureInfrastructure, uniqueName } from '@helixgate/testing';
import { type INestApplicationContext, Module } from '@nestjs/common';
import { Connection, type Model } from 'mongoose';
import { TypingStoreModule } from '../src/common/typing-store.module';
import { TypingEnvSchema } from '../src/config';
import { TYPING_DATABASE, type TypingDatabase } from '../src/databases/databases.schema';
import { SubmissionSupportModule } from '../src/submission-support/submission-support.module';
import { SubmissionSupportService } from '../src/submission-support/submission-support.service';
import { TYPING_USER, type TypingUser } from '../src/users/users.schema';

@Module({ imports: [TypingStoreModule, SubmissionSupportModule] })
class SubmissionSupportTestModule {}

/**
 * The user behind every submissions call, on the real MongoDB-compatible server: an account's first calls, made at
 * once, leave one user row in the database, and the look-up is backed by an index.
 */
describe('submission support: registering an account new to a database', () => {
  let app: INestApplicationContext;
  let connection: Connection;
  let models: { databases: Model<TypingDatabase>; users: Model<TypingUser> };
  const database = 'pubmlst_test_seqdef';

  before(async () => {
    const { mongoUri } = await ensureInfrastructure();
    process.env.MONGODB_URI = mongoUri;
    process.env.MONGODB_DATABASE = uniqueName('t_users').replace(/-/g, '_');
    app = await openCommandContext({
      name: 'typing-db-test',
      envSchema: TypingEnvSchema,
      needs: { mongo: true },
      module: SubmissionSupportTestModule,
    });
    connection = app.get(Connection);
    models = {
      databases: connection.model<TypingDatabase>(TYPING_DATABASE),
      users: connection.model<TypingUser>(TYPING_USER),
    };
    await models.databases.create({ _id: database, type: 'seqdef', description: 'test' });
  });
  after(async () => {
    await connection?.dropDatabase();
    await app?.close();
  });

  test('parallel first calls of several accounts: one user each, all answers naming it', async () => {
    const support = app.get(SubmissionSupportService);
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
      assert.deepEqual([...new Set(answers.filter(([e]) => e === email).map(([, id]) => id))], [rows[0].id], email);
    }
    const indexes = (await models.users.collection.indexes()).map((i) => JSON.stringify(i.key));
    assert.ok(indexes.includes(JSON.stringify({ database: 1, account: 1, id: 1 })), indexes.join(' '));
  });
});
