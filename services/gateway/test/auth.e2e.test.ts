import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot, type Stack, startStack } from '@helixgate/testing';
import OAuth from 'oauth-1.0a';
import { chromium } from 'playwright-core';
import request from 'supertest';

const run = promisify(execFile);
const DB = 'pubmlst_neisseria_seqdef';
const PASSWORD = 'a perfectly long password';

interface Client {
  consumerKey: string;
  consumerSecret: string;
}
type Token = { key: string; secret: string };

describe('auth: accounts, API tokens and the BIGSdb OAuth 1.0a provider (real processes)', () => {
  let stack: Stack;
  let client: Client;
  const api = () => request(stack.baseUrl);
  /** Every token secret, verifier and API token the tests see: none may reach a log line. */
  const seen: string[] = [];

  const admin = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, [join(repoRoot(), 'services/auth/dist/src/cli.js'), ...args], {
      env: { ...process.env, ...stack.envOf('auth') },
    });
    return JSON.parse(stdout);
  };

  /** Signs with oauth-1.0a (an npm library this project did not write); time and nonce may be forced. */
  const signer = (c: Client, options: { timestamp?: number; nonce?: string } = {}) => {
    const oauth = new OAuth({
      consumer: { key: c.consumerKey, secret: c.consumerSecret },
      signature_method: 'HMAC-SHA1',
      hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
    });
    if (options.timestamp !== undefined) oauth.getTimeStamp = () => options.timestamp!;
    if (options.nonce !== undefined) oauth.getNonce = () => options.nonce!;
    return oauth;
  };
  const signedGet = (path: string, c: Client, token?: Token, extra: Record<string, string> = {}, options = {}) => {
    const url = `${stack.baseUrl}${path}`;
    const oauth = signer(c, options);
    const data = oauth.authorize({ url, method: 'GET', data: extra }, token);
    const query = Object.entries(extra).filter(([k]) => !k.startsWith('oauth_'));
    const signedPath = query.length ? `${path}?${new URLSearchParams(query).toString()}` : path;
    return api().get(signedPath).set('Authorization', oauth.toHeader(data).Authorization);
  };
  const expectError = (res: request.Response, status: number, message: string) => {
    assert.equal(res.status, status, res.text);
    assert.deepEqual(res.body, {
      status,
      title: `Error ${status} - ${status === 400 ? 'Bad Request' : status === 401 ? 'Unauthorized' : 'Forbidden'}`,
      message,
    });
  };

  const requestToken = async (c: Client = client): Promise<Token> => {
    const res = await signedGet(`/db/${DB}/oauth/get_request_token`, c, undefined, { oauth_callback: 'oob' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.oauth_callback_confirmed, 'true');
    seen.push(res.body.oauth_token_secret);
    return { key: res.body.oauth_token, secret: res.body.oauth_token_secret };
  };
  const verifierFor = async (token: Token, email = 'user@example.org') => {
    const res = await api()
      .post('/auth/oauth/verifier')
      .auth(email, PASSWORD)
      .send({ database: DB, oauth_token: token.key });
    assert.equal(res.status, 200, res.text);
    seen.push(res.body.oauth_verifier);
    return res.body.oauth_verifier as string;
  };
  const accessToken = async (email = 'user@example.org'): Promise<Token> => {
    const rt = await requestToken();
    const res = await signedGet(`/db/${DB}/oauth/get_access_token`, client, rt, {
      oauth_verifier: await verifierFor(rt, email),
    });
    assert.equal(res.status, 200, res.text);
    seen.push(res.body.oauth_token_secret);
    return { key: res.body.oauth_token, secret: res.body.oauth_token_secret };
  };
  const sessionToken = async (access: Token): Promise<Token> => {
    const res = await signedGet(`/db/${DB}/oauth/get_session_token`, client, access);
    assert.equal(res.status, 200, res.text);
    seen.push(res.body.oauth_token_secret);
    return { key: res.body.oauth_token, secret: res.body.oauth_token_secret };
  };
  const whoami = (session: Token, options = {}) => signedGet('/auth/whoami', client, session, { db: DB }, options);
  /** Ends a token's life now, as its time to live does (so that no test waits on the clock of a loaded machine). */
  const expire = async (token: string) => {
    const result = await stack.database('auth', (db) =>
      db.collection('oauth_tokens').updateOne({ token }, { $set: { expiresAt: new Date(Date.now() - 1000) } }),
    );
    assert.equal(result.matchedCount, 1, 'the token is stored');
  };

  before(async () => {
    stack = await startStack(['auth']);
    await admin(
      'create-account',
      '--email',
      'Admin@Example.org',
      '--first-name',
      'Ada',
      '--surname',
      'Admin',
      '--role',
      'admin',
      '--password',
      PASSWORD,
    );
    client = await admin('create-client', '--name', 'Test client', '--database', DB);
    assert.match(client.consumerKey, /^[A-Za-z0-9]{24}$/);
    assert.equal(client.consumerSecret.length, 42);
  });
  after(async () => {
    await stack?.close();
  });

  describe('accounts', () => {
    test('an admin creates an account over the API; others may not', async () => {
      const created = await api()
        .post('/admin/accounts')
        .auth('admin@example.org', PASSWORD)
        .send({ email: 'User@Example.org', firstName: 'Una', surname: 'User', affiliation: 'Lab', password: PASSWORD });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.email, 'user@example.org');
      assert.equal(created.body.passwordHash, undefined);
      const again = await api()
        .post('/admin/accounts')
        .auth('admin@example.org', PASSWORD)
        .send({ email: 'user@example.org', firstName: 'U', surname: 'U', password: PASSWORD });
      assert.equal(again.status, 409);
      const bad = await api()
        .post('/admin/accounts')
        .auth('admin@example.org', PASSWORD)
        .send({ email: 'nope', password: 'short' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.message, /email: must be an email address/);
      const forbidden = await api().get('/admin/accounts').auth('user@example.org', PASSWORD);
      assert.equal(forbidden.status, 403);
      const anonymous = await api().get('/admin/accounts');
      assert.equal(anonymous.status, 401);
      const wrong = await api().get('/admin/accounts').auth('admin@example.org', 'wrong password');
      expectError(wrong, 401, 'Invalid email or password.');
    });

    test('the CLI refuses bad input with a message, not a stack trace', async () => {
      await assert.rejects(
        admin('create-account', '--email', 'x'),
        (error: Error & { stderr: string; code: number }) => {
          assert.equal(error.code, 2);
          assert.match(error.stderr, /^admin: email: must be an email address/);
          assert.doesNotMatch(error.stderr, /\n\s+at /);
          return true;
        },
      );
    });
  });

  describe('API tokens (CGI: Authorization: <email> <token>)', () => {
    test('created once, listed without the secret, accepted, revoked', async () => {
      const created = await api().post('/auth/tokens').auth('user@example.org', PASSWORD).send({ label: 'pipeline' });
      assert.equal(created.status, 201, created.text);
      assert.match(created.body.token, /^[A-Za-z0-9]{40}$/);
      seen.push(created.body.token);
      const listed = await api().get('/auth/tokens').auth('user@example.org', PASSWORD);
      assert.equal(listed.body.tokens.length, 1);
      assert.equal(listed.body.tokens[0].token, undefined);
      const me = await api().get('/auth/whoami').set('Authorization', `user@example.org ${created.body.token}`);
      assert.equal(me.status, 200);
      assert.equal(me.body.email, 'user@example.org');
      const wrongEmail = await api()
        .get('/auth/whoami')
        .set('Authorization', `admin@example.org ${created.body.token}`);
      expectError(wrongEmail, 401, 'Invalid email or API token.');
      const revoked = await api().delete(`/auth/tokens/${created.body.id}`).auth('user@example.org', PASSWORD);
      assert.equal(revoked.status, 200);
      const after = await api().get('/auth/whoami').set('Authorization', `user@example.org ${created.body.token}`);
      expectError(after, 401, 'Invalid email or API token.');
    });

    test('on /api/v1 a missing or wrong token is answered in the CGI error format', async () => {
      const missing = await api().get('/api/v1');
      assert.equal(missing.status, 401);
      assert.deepEqual(missing.body, {
        error_code: 401,
        message: 'Send "Authorization: <email> <token>"; ask for a token with POST /auth/tokens.',
      });
      const wrong = await api().get('/api/v1/abc').set('Authorization', 'user@example.org AAAAAAAAAAAAAAAAAAAAAAAA');
      assert.deepEqual(wrong.body, { error_code: 401, message: 'Invalid email or API token.' });
      const password = await api().get('/api/v1').auth('user@example.org', PASSWORD);
      assert.equal(password.status, 401, 'the CGI API takes tokens only');
      const token = (await api().post('/auth/tokens').auth('user@example.org', PASSWORD).send({})).body.token;
      const accepted = await api().get('/api/v1/no-such/route').set('Authorization', `user@example.org ${token}`);
      assert.equal(accepted.status, 404);
      assert.deepEqual(accepted.body, { error_code: 404, message: 'Not found.' });
    });

    test('no credentials at all: 401 saying what to send', async () => {
      const res = await api().get('/auth/whoami');
      assert.equal(res.status, 401);
      assert.match(res.body.message, /Send credentials/);
    });
  });

  describe('OAuth 1.0a, three-legged, as BIGSdb', () => {
    test('with requests-oauthlib (python3-requests-oauthlib) and the REST verifier route', async () => {
      const { stdout } = await run('/usr/bin/python3', [
        join(__dirname, '..', '..', 'test', 'fixtures', 'oauth_flow.py'),
        stack.baseUrl,
        DB,
        client.consumerKey,
        client.consumerSecret,
        'user@example.org',
        PASSWORD,
      ]);
      const steps = Object.fromEntries(
        stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line))
          .map((s) => [s.step, s]),
      );
      assert.equal(steps.request_token.status, 200);
      assert.equal(steps.request_token.body.oauth_callback_confirmed, 'true');
      assert.match(steps.verifier.body.oauth_verifier, /^[A-Za-z0-9]{8}$/);
      assert.equal(steps.access_token.status, 200);
      assert.equal(steps.session_token.status, 200);
      assert.equal(steps.whoami.status, 200);
      assert.equal(steps.whoami.body.email, 'user@example.org');
      assert.equal(steps.whoami.body.clientName, 'Test client');
      assert.equal(steps.whoami_other_database.status, 401);
      assert.equal(steps.whoami_other_database.body.message, 'Client is unauthorized to access this database.');
    });

    test('with the authorisation page, logged in and approved in headless Chromium', async () => {
      const rt = await requestToken();
      const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        const page = await browser.newPage();
        await page.goto(`${stack.baseUrl}/db/${DB}/oauth/authorize?oauth_token=${rt.key}`);
        assert.match(page.url(), /\/auth\/login\?next=/);
        await page.fill('#email', 'user@example.org');
        await page.fill('#password', 'not the password');
        await page.click('#log-in');
        assert.equal(await page.textContent('#login-error'), 'Invalid email or password.');
        await page.fill('#email', 'user@example.org');
        await page.fill('#password', PASSWORD);
        await page.click('#log-in');
        assert.equal(await page.textContent('#client-name'), 'Test client');
        await page.click('#authorize');
        const verifier = (await page.textContent('#verifier'))!;
        assert.match(verifier, /^[A-Za-z0-9]{8}$/);
        const access = await signedGet(`/db/${DB}/oauth/get_access_token`, client, rt, { oauth_verifier: verifier });
        assert.equal(access.status, 200, access.text);
        const session = await sessionToken({ key: access.body.oauth_token, secret: access.body.oauth_token_secret });
        const me = await whoami(session);
        assert.equal(me.status, 200);
        assert.equal(me.body.email, 'user@example.org');
      } finally {
        await browser.close();
      }
    });

    test('the page refuses a forged form (no matching CSRF token)', async () => {
      const rt = await requestToken();
      const login = await api()
        .post('/auth/login')
        .type('form')
        .send({ email: 'user@example.org', password: PASSWORD, next: '/' });
      assert.equal(login.status, 303);
      const cookie = login.headers['set-cookie'][0].split(';')[0];
      assert.match(login.headers['set-cookie'][0], /HttpOnly/i);
      const forged = await api()
        .post(`/db/${DB}/oauth/authorize`)
        .set('Cookie', cookie)
        .type('form')
        .send({ oauth_token: rt.key, decision: 'authorize', csrf: 'guess' });
      assert.equal(forged.status, 403);
      const open = await api()
        .post('/auth/login')
        .type('form')
        .send({ email: 'user@example.org', password: PASSWORD, next: '//evil.example/' });
      assert.equal(open.headers.location, '/auth/whoami', 'no open redirect');
    });
  });

  describe('OAuth failures: BIGSdb status and exact message', () => {
    test('token routes: consumer key, client, parameters, signature, timestamp', async () => {
      expectError(await api().get(`/db/${DB}/oauth/get_request_token`), 403, 'No consumer key submitted');
      expectError(
        await signedGet(
          `/db/${DB}/oauth/get_request_token`,
          { consumerKey: 'X'.repeat(24), consumerSecret: 's' },
          undefined,
          { oauth_callback: 'oob' },
        ),
        403,
        'Unrecognized client',
      );
      expectError(
        await signedGet(`/db/${DB}/oauth/get_request_token`, client),
        400,
        'Invalid token request. Missing required parameter: callback',
      );
      expectError(
        await signedGet(`/db/${DB}/oauth/get_request_token`, { ...client, consumerSecret: 'tampered' }, undefined, {
          oauth_callback: 'oob',
        }),
        401,
        'Signature verification failed',
      );
      const stale = Math.floor(Date.now() / 1000) - 601;
      expectError(
        await signedGet(
          `/db/${DB}/oauth/get_request_token`,
          client,
          undefined,
          { oauth_callback: 'oob' },
          { timestamp: stale },
        ),
        401,
        'Request timestamp more than 600 seconds from current time.',
      );
    });

    test('a replayed request (same nonce and timestamp) is refused, on token routes and protected calls', async () => {
      const fixed = { timestamp: Math.floor(Date.now() / 1000), nonce: randomBytes(8).toString('hex') };
      assert.equal(
        (await signedGet(`/db/${DB}/oauth/get_request_token`, client, undefined, { oauth_callback: 'oob' }, fixed))
          .status,
        200,
      );
      expectError(
        await signedGet(`/db/${DB}/oauth/get_request_token`, client, undefined, { oauth_callback: 'oob' }, fixed),
        401,
        'Request with same nonce and timestamp already made',
      );
      const session = await sessionToken(await accessToken());
      const call = { timestamp: Math.floor(Date.now() / 1000), nonce: randomBytes(8).toString('hex') };
      assert.equal((await whoami(session, call)).status, 200);
      expectError(await whoami(session, call), 401, 'Request with same nonce and timestamp already made');
    });

    test('an approved request token cannot be re-bound by another user', async () => {
      await api()
        .post('/admin/accounts')
        .auth('admin@example.org', PASSWORD)
        .send({ email: 'other@example.org', firstName: 'O', surname: 'Ther', password: PASSWORD });
      const rt = await requestToken();
      const verifier = await verifierFor(rt);
      const again = await api()
        .post('/auth/oauth/verifier')
        .auth('other@example.org', PASSWORD)
        .send({ database: DB, oauth_token: rt.key });
      expectError(again, 401, 'Invalid request token.  Generate new request token (/get_request_token).');
      const access = await signedGet(`/db/${DB}/oauth/get_access_token`, client, rt, { oauth_verifier: verifier });
      assert.equal(access.status, 200);
      const me = await whoami(
        await sessionToken({ key: access.body.oauth_token, secret: access.body.oauth_token_secret }),
      );
      assert.equal(me.body.email, 'user@example.org');
    });

    test('a realm in the query is signed like any parameter; one added after signing breaks the signature', async () => {
      const session = await sessionToken(await accessToken());
      const signed = await signedGet('/auth/whoami', client, session, { db: DB, realm: 'x' });
      assert.equal(signed.status, 200, signed.text);
      const oauth = signer(client);
      const data = oauth.authorize({ url: `${stack.baseUrl}/auth/whoami`, method: 'GET', data: { db: DB } }, session);
      const injected = await api()
        .get(`/auth/whoami?db=${DB}&realm=injected`)
        .set('Authorization', oauth.toHeader(data).Authorization);
      expectError(injected, 401, 'Signature verification failed.');
    });

    test('hostile input gets a 4xx, never a 500', async () => {
      assert.equal(
        (
          await api()
            .get('/auth/whoami')
            .auth(`${'a'.repeat(300)}@example.org`, PASSWORD)
        ).status,
        401,
      );
      assert.equal((await api().get('/auth/whoami').auth('user@example.org', 'p'.repeat(2000))).status, 401);
      assert.equal(
        (
          await api()
            .get('/api/v1')
            .set('Authorization', `${'a'.repeat(300)}@example.org ${'A'.repeat(40)}`)
        ).status,
        401,
      );
      const manyParams = Array.from({ length: 600 }, (_, i) => `p${i}=1`).join('&');
      expectError(
        await api().get(`/db/${DB}/oauth/get_request_token?oauth_consumer_key=${client.consumerKey}&${manyParams}`),
        400,
        'request.params: Array must contain at most 500 element(s)',
      );
      assert.equal(
        (
          await api()
            .post('/auth/oauth/verifier')
            .auth('user@example.org', PASSWORD)
            .send({ database: DB, oauth_token: 't'.repeat(500) })
        ).status,
        400,
      );
      assert.equal(
        (
          await api()
            .post('/auth/oauth/verifier')
            .auth('user@example.org', PASSWORD)
            .send({ database: 'bad name!', oauth_token: 't' })
        ).status,
        400,
      );
      assert.equal(
        (
          await api()
            .post('/auth/oauth/verifier')
            .auth('user@example.org', PASSWORD)
            .send({ database: { $ne: 1 }, oauth_token: { $gt: '' } })
        ).status,
        400,
      );
      expectError(await api().get(`/db/${DB}/oauth/get_request_token/`), 403, 'No consumer key submitted');
      expectError(await api().get(`/db/${DB}/oauth/GET_REQUEST_TOKEN`), 403, 'No consumer key submitted');
      const big = await api()
        .post(`/db/${DB}/oauth/get_request_token`)
        .send({ pad: 'x'.repeat(100 * 1024) });
      assert.equal(big.status, 413, 'token routes read small bodies only');
    });

    test('access tokens: bad request token, wrong verifier, redeemed token', async () => {
      expectError(
        await signedGet(
          `/db/${DB}/oauth/get_access_token`,
          client,
          { key: 'nope', secret: 'nope' },
          { oauth_verifier: 'ABCDEFGH' },
        ),
        401,
        'Invalid request token.  Generate new request token (/get_request_token).',
      );
      const rt = await requestToken();
      const verifier = await verifierFor(rt);
      expectError(
        await signedGet(`/db/${DB}/oauth/get_access_token`, client, rt, { oauth_verifier: 'WRONG123' }),
        401,
        'Invalid verifier code.',
      );
      assert.equal(
        (await signedGet(`/db/${DB}/oauth/get_access_token`, client, rt, { oauth_verifier: verifier })).status,
        200,
      );
      expectError(
        await signedGet(`/db/${DB}/oauth/get_access_token`, client, rt, { oauth_verifier: verifier }),
        401,
        'Request token has already been redeemed.  Generate new request token (/get_request_token).',
      );
    });

    test('session tokens: none, bad access token, tampered signature', async () => {
      expectError(await signedGet(`/db/${DB}/oauth/get_session_token`, client), 403, 'No access token submitted');
      expectError(
        await signedGet(`/db/${DB}/oauth/get_session_token`, client, { key: 'bogus', secret: 'bogus' }),
        401,
        'Invalid access token.  Generate new access token (/get_access_token).',
      );
      const access = await accessToken();
      expectError(
        await signedGet(`/db/${DB}/oauth/get_session_token`, client, { ...access, secret: 'tampered' }),
        401,
        'Signature verification failed.',
      );
    });

    test('protected calls: no key, bad session, tampered, revoked, expired, disabled account', async () => {
      expectError(
        await signedGet('/auth/whoami', client, { key: 'bogus', secret: 'x' }, { db: DB }),
        401,
        'Invalid session token.  Generate new token (/get_session_token).',
      );
      const access = await accessToken();
      const session = await sessionToken(access);
      expectError(await whoami({ ...session, secret: 'tampered' }), 401, 'Signature verification failed.');

      const listed = await api().get('/auth/oauth/authorizations').auth('user@example.org', PASSWORD);
      const mine = listed.body.authorizations.find(
        (a: { consumerKey: string }) => a.consumerKey === client.consumerKey,
      );
      assert.ok(mine, 'the user sees the client they authorised');
      assert.equal(
        (await api().delete(`/auth/oauth/authorizations/${mine.id}`).auth('user@example.org', PASSWORD)).status,
        200,
      );
      expectError(await whoami(session), 401, 'Invalid session token.  Generate new token (/get_session_token).');
      expectError(
        await signedGet(`/db/${DB}/oauth/get_session_token`, client, access),
        401,
        'Invalid access token.  Generate new access token (/get_access_token).',
      );

      const fresh = await sessionToken(await accessToken());
      assert.equal((await whoami(fresh)).status, 200);
      await expire(fresh.key);
      expectError(await whoami(fresh), 401, 'Invalid session token.  Generate new token (/get_session_token).');

      const live = await sessionToken(await accessToken());
      await admin('update-account', '--email', 'user@example.org', '--status', 'disabled');
      try {
        expectError(await whoami(live), 401, 'User account has been disabled.');
      } finally {
        await admin('update-account', '--email', 'user@example.org', '--status', 'active');
      }
    });

    test('an admin ends the access a user gave, over the API', async () => {
      const session = await sessionToken(await accessToken());
      assert.equal((await whoami(session)).status, 200);
      const res = await api()
        .delete('/admin/accounts/user@example.org/oauth-authorizations')
        .auth('admin@example.org', PASSWORD);
      assert.equal(res.status, 200, res.text);
      assert.ok(res.body.revoked >= 1);
      expectError(await whoami(session), 401, 'Invalid session token.  Generate new token (/get_session_token).');
    });

    test('the BIGSdb Perl client style: oauth_* in a JSON body, POST, no Content-Type', async () => {
      const access = await accessToken();
      const url = `${stack.baseUrl}/db/${DB}/oauth/get_session_token`;
      const oauth = signer(client);
      const data = oauth.authorize({ url, method: 'POST' }, access);
      const res = await request(stack.baseUrl)
        .post(`/db/${DB}/oauth/get_session_token`)
        .set('Content-Type', '')
        .send(JSON.stringify(data));
      assert.equal(res.status, 200, res.text);
      assert.match(res.body.oauth_token, /^[A-Za-z0-9]{32}$/);
    });

    test('secrets, tokens and passwords never appear in the logs', async () => {
      const logs = stack.process('auth').output() + stack.process('gateway').output();
      assert.ok(logs.length > 0);
      assert.ok(seen.length > 10);
      for (const secret of [client.consumerSecret, PASSWORD, ...seen])
        assert.equal(logs.includes(secret), false, 'a secret was logged');
    });
  });

  describe('request tokens expire', () => {
    let shortLived: Stack;
    before(async () => {
      shortLived = await startStack(['auth'], { auth: { OAUTH_REQUEST_TOKEN_TTL_SECONDS: '5' } });
    });
    after(async () => {
      await shortLived?.close();
    });

    test('an authorised request token exchanged after its hour (here: 5 s) is refused', async () => {
      const cli = (...args: string[]) =>
        run(process.execPath, [join(repoRoot(), 'services/auth/dist/src/cli.js'), ...args], {
          env: { ...process.env, ...shortLived.envOf('auth') },
        }).then((r) => JSON.parse(r.stdout));
      await cli(
        'create-account',
        '--email',
        'late@example.org',
        '--first-name',
        'L',
        '--surname',
        'Ate',
        '--password',
        PASSWORD,
      );
      const c: Client = await cli('create-client', '--name', 'Slow client', '--all-databases');
      const sign = (path: string, token?: Token, extra: Record<string, string> = {}) => {
        const oauth = signer(c);
        const data = oauth.authorize({ url: `${shortLived.baseUrl}${path}`, method: 'GET', data: extra }, token);
        return request(shortLived.baseUrl).get(path).set('Authorization', oauth.toHeader(data).Authorization);
      };
      const rt = (await sign(`/db/${DB}/oauth/get_request_token`, undefined, { oauth_callback: 'oob' })).body;
      // Issued before its answer arrived: on a busy machine, maybe long after the request was sent.
      const issued = Date.now();
      const verifier = (
        await request(shortLived.baseUrl)
          .post('/auth/oauth/verifier')
          .auth('late@example.org', PASSWORD)
          .send({ database: DB, oauth_token: rt.oauth_token })
      ).body.oauth_verifier;
      assert.match(verifier, /^[A-Za-z0-9]{8}$/);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, issued + 5_500 - Date.now())));
      const res = await sign(
        `/db/${DB}/oauth/get_access_token`,
        { key: rt.oauth_token, secret: rt.oauth_token_secret },
        { oauth_verifier: verifier },
      );
      expectError(res, 401, 'Request token has expired.  Generate new request token (/get_request_token).');
    });
  });
});
