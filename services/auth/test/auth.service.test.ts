import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AuthSubjects, INLINE_PAYLOAD_LIMIT_BYTES } from '@helixgate/contracts';
import { RpcClient, TransferStore } from '@helixgate/platform';
import { assertRefusedBySchema, serviceClient, type ServiceStack, startServices } from '@helixgate/testing';

const PASSWORD = 'a perfectly long password';

/** auth alone on real NATS and MongoDB, its subjects called as the gateway calls them (no gateway). */
describe('auth service over NATS', () => {
  let stack: ServiceStack;
  let rpc: RpcClient;
  const newAccount = (email: string) =>
    rpc.request(AuthSubjects.createAccount, {
      email,
      firstName: 'Ada',
      surname: 'Lovelace',
      affiliation: 'Analytical Engines',
      password: PASSWORD,
    });

  before(async () => {
    stack = await startServices(['auth']);
    ({ rpc } = await serviceClient(stack, { RpcClient, TransferStore }));
  });
  after(async () => {
    await stack?.close();
  });

  test('an account: created once, its password verified, a wrong one a 401 envelope', async () => {
    const { accountId, createdAt, status, ...identity } = await newAccount('Ada@Example.org');
    assert.match(accountId, /^[a-f0-9]{24}$/);
    assert.ok(Date.parse(createdAt) <= Date.now());
    assert.equal(status, 'active');
    assert.deepEqual(identity, {
      email: 'ada@example.org',
      firstName: 'Ada',
      surname: 'Lovelace',
      affiliation: 'Analytical Engines',
      role: 'user',
    });
    assert.deepEqual(await rpc.request(AuthSubjects.verifyPassword, { email: 'ada@example.org', password: PASSWORD }), {
      accountId,
      ...identity,
    });
    await assert.rejects(rpc.request(AuthSubjects.verifyPassword, { email: 'ada@example.org', password: 'wrong' }), {
      status: 401,
      code: 'unauthorized',
      message: 'Invalid email or password.',
    });
    await assert.rejects(newAccount('ada@example.org'), { status: 409, code: 'auth.account_exists' });
  });

  test('an API token verifies as its account until it is revoked', async () => {
    const { accountId, email } = await newAccount('grace@example.org');
    const token = await rpc.request(AuthSubjects.createApiToken, { accountId, label: 'cgi' });
    assert.equal((await rpc.request(AuthSubjects.verifyApiToken, { email, token: token.token })).accountId, accountId);
    assert.deepEqual(
      (await rpc.request(AuthSubjects.listApiTokens, { accountId })).tokens.map((t) => [t.id, t.label]),
      [[token.id, 'cgi']],
    );
    assert.deepEqual(await rpc.request(AuthSubjects.revokeApiToken, { accountId, id: token.id }), { revoked: true });
    await assert.rejects(rpc.request(AuthSubjects.verifyApiToken, { email, token: token.token }), {
      status: 401,
      code: 'unauthorized',
      message: 'Invalid email or API token.',
    });
    await assert.rejects(rpc.request(AuthSubjects.revokeApiToken, { accountId, id: token.id }), {
      status: 404,
      code: 'not_found',
    });
  });

  test('a web session resolves to its account until deleted; a disabled account logs in no more', async () => {
    const { accountId, email } = await newAccount('alan@example.org');
    const { sessionId } = await rpc.request(AuthSubjects.createWebSession, { email, password: PASSWORD });
    assert.equal((await rpc.request(AuthSubjects.resolveWebSession, { sessionId })).accountId, accountId);
    assert.deepEqual(await rpc.request(AuthSubjects.deleteWebSession, { sessionId }), { deleted: true });
    await assert.rejects(rpc.request(AuthSubjects.resolveWebSession, { sessionId }), {
      status: 401,
      message: 'Not logged in.',
    });

    assert.equal((await rpc.request(AuthSubjects.updateAccount, { email, status: 'disabled' })).status, 'disabled');
    await assert.rejects(rpc.request(AuthSubjects.verifyPassword, { email, password: PASSWORD }), {
      status: 401,
      message: 'User account has been disabled.',
    });
    await assert.rejects(rpc.request(AuthSubjects.updateAccount, { email: 'nobody@example.org', role: 'admin' }), {
      status: 404,
      code: 'not_found',
      message: 'No account for nobody@example.org.',
    });
  });

  test('an OAuth client: its secret given once, listed without it, revoked', async () => {
    const client = await rpc.request(AuthSubjects.createOAuthClient, {
      name: 'Test client',
      permissions: [{ database: 'pubmlst_neisseria_seqdef', submission: true }],
    });
    assert.ok(client.consumerSecret.length > 0);
    const listed = (await rpc.request(AuthSubjects.listOAuthClients, {})).clients;
    const { consumerSecret: _secret, ...view } = client;
    assert.deepEqual(
      listed.find((c) => c.consumerKey === client.consumerKey),
      view,
    );
    assert.deepEqual(await rpc.request(AuthSubjects.revokeOAuthClient, { consumerKey: client.consumerKey }), {
      revoked: true,
    });
  });

  test('a request outside its schema is a 400 envelope from the service', async () => {
    await assertRefusedBySchema(
      rpc,
      AuthSubjects.createAccount,
      {
        email: 'short@example.org',
        firstName: 'Short',
        surname: 'Password',
        password: 'short',
      },
      [['password']],
    );
  });

  test('the unpaged account list larger than a message comes back through the transfer store', async () => {
    // Written straight into the database: 1,500 password hashes through the subject would take minutes.
    const createdAt = new Date();
    const accounts = Array.from({ length: 1_500 }, (_, i) => ({
      email: `member-${String(i).padStart(4, '0')}@large-list.example.org`,
      firstName: 'Member',
      surname: `Number ${i}`,
      affiliation: 'Department of Large Replies, University of Message Limits',
      role: 'user',
      status: 'active',
      passwordHash: 'scrypt$not-a-real-hash',
      createdAt,
    }));
    await stack.database('auth', (db) => db.collection('accounts').insertMany(accounts));
    const listed = (await rpc.request(AuthSubjects.listAccounts, {})).accounts.filter((a) =>
      a.email.endsWith('@large-list.example.org'),
    );
    assert.ok(Buffer.byteLength(JSON.stringify(listed)) > INLINE_PAYLOAD_LIMIT_BYTES);
    assert.deepEqual(
      listed.map((a) => a.email),
      accounts.map((a) => a.email),
    );
  });
});
