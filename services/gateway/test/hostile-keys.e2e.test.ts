import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { JSON_MAX_DEPTH } from '@helixgate/contracts';
import { repoRoot, type Stack, startStack } from '@helixgate/testing';
import request from 'supertest';

/**
 * Issue 14, items 2 and 5, on the real stack: request-derived names never become plain-object keys (the
 * `scheme.__proto__` search that polluted typing-db's Object.prototype and stopped it), and NULs and over-deep JSON
 * are refused at the edge with a 400 in the family's format. Every request is the hostile one as first sent.
 */
const SEQDEF = 'pubmlst_neisseria_seqdef';
const ISOLATES = 'pubmlst_neisseria_isolates';
const SHARED = join(repoRoot(), '..', 'shared', 'data');
const SEED = join(repoRoot(), 'deploy', 'local', 'seed', ISOLATES);
const PASSWORD = 'correct horse battery staple';
/** ~30,000 levels of arrays: 60 KB, under every route's size limit. */
const DEEP = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;

type Response = request.Response;

const bigsdbError = (res: Response, message?: RegExp) => {
  assert.equal(res.status, 400, res.text);
  assert.match(res.headers['content-type'], /^application\/json/);
  assert.deepEqual(Object.keys(res.body).sort(), ['message', 'status', 'title']);
  assert.equal(res.body.status, 400);
  assert.equal(res.body.title, 'Error 400 - Bad Request');
  if (message) assert.match(res.body.message, message);
};
const patlasError = (res: Response, message?: RegExp) => {
  assert.equal(res.status, 400, res.text);
  assert.match(res.headers['content-type'], /^text\/plain/);
  if (message) assert.match(res.text, message);
};
const aaError = (res: Response, message?: RegExp) => {
  assert.equal(res.status, 400, res.text);
  assert.deepEqual(Object.keys(res.body), ['error']);
  if (message) assert.match(String(res.body.error), message);
};
const cgiError = (res: Response, message?: RegExp) => {
  assert.equal(res.status, 400, res.text);
  assert.deepEqual(Object.keys(res.body).sort(), ['error_code', 'message']);
  assert.equal(res.body.error_code, 400);
  if (message) assert.match(res.body.message, message);
};
const NUL = /NUL|control character/;
const TOO_DEEP = new RegExp(`nested more than ${JSON_MAX_DEPTH} levels`);

describe('hostile keys, NULs and deep JSON (issue 14, items 2 and 5)', () => {
  let stack: Stack;
  let cgiAuth: string;
  const api = () => request(stack.baseUrl);
  const json = (path: string, body: string) => api().post(path).set('Content-Type', 'application/json').send(body);
  const search = (body: string) => json(`/db/${ISOLATES}/isolates/search`, body);
  /** typing-db still running and answering its /healthz. */
  const typingAlive = async () => {
    assert.equal(stack.process('typing-db').child.exitCode, null, 'typing-db exited');
    const health = await fetch(`http://127.0.0.1:${stack.process('typing-db').opsPort}/healthz`);
    assert.equal(health.status, 200);
  };

  before(async () => {
    stack = await startStack(['auth', 'typing-db', 'results-import', 'jobs', 'submissions']);
    await stack.cli('typing-db', [
      'import-scheme',
      '--database',
      SEQDEF,
      '--dir',
      join(SHARED, 'pubmlst', 'neisseria'),
      '--group',
      'neisseria',
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'hostile-keys-'));
    const isolates = join(dir, 'isolates.tsv');
    writeFileSync(
      isolates,
      'isolate\tspecies\tcountry\tyear\tabcZ\nX1\tNeisseria meningitidis\tUK\t2001\t1\nX2\tNeisseria meningitidis\tFrance\t2002\t2\n',
    );
    await stack.cli('typing-db', [
      'import-isolates',
      '--database',
      ISOLATES,
      '--seqdef',
      SEQDEF,
      '--group',
      'neisseria',
      '--fields',
      join(SEED, 'fields.json'),
      '--file',
      isolates,
    ]);
    await stack.cli('auth', [
      'create-account',
      '--email',
      'ada@example.org',
      '--first-name',
      'Ada',
      '--surname',
      'L',
      '--password',
      PASSWORD,
    ]);
    const created = await api().post('/auth/tokens').auth('ada@example.org', PASSWORD).send({ label: 'cgi' });
    assert.equal(created.status, 201, created.text);
    cgiAuth = `ada@example.org ${created.body.token}`;
  });
  after(async () => {
    await stack?.close();
  });

  test('the __proto__ search of the report is a 400, and typing-db serves on with a clean Object.prototype', async () => {
    bigsdbError(await search('{"scheme.__proto__.hgPolluted":"yes"}'), /^Scheme id must be an integer$/);
    // Polluted, the next search's plain objects would carry hgPolluted and a library call would throw.
    const next = await search('{"field.country":"UK"}');
    assert.equal(next.status, 200, next.text);
    assert.equal(next.body.records, 1);
    await typingAlive();
  });

  test('prototype names in BIGSdb search terms name nothing: 400s in BIGSdb words', async () => {
    bigsdbError(await search('{"field.__proto__":"x"}'), /^__proto__ is not a valid field\.$/);
    bigsdbError(await search('{"field.constructor":"x"}'), /^constructor is not a valid field\.$/);
    bigsdbError(await search('{"locus.constructor":"1"}'), /^constructor is not a valid locus$/);
    bigsdbError(await search('{"scheme.prototype.ST":"11"}'), /^Scheme id must be an integer$/);
    bigsdbError(await search('{"scheme.1.__proto__":"11"}'), /^Scheme 1 field __proto__ does not exist$/);
    bigsdbError(await search('{"scheme.1.constructor":"11"}'), /^Scheme 1 field constructor does not exist$/);
    // A prototype name as a JSON key is refused before any service sees the body.
    bigsdbError(await search('{"__proto__":{"field.country":"UK"}}'), /"__proto__" is not accepted/);
    bigsdbError(await search('{"field.country":{"constructor":1}}'), /"constructor" is not accepted/);
    bigsdbError(
      await json(`/db/${SEQDEF}/schemes/1/designations`, '{"designations":{"__proto__":[{"allele":1}]}}'),
      /"__proto__" is not accepted/,
    );
    const next = await search('{"locus.abcZ":"2"}');
    assert.equal(next.status, 200, next.text);
    await typingAlive();
  });

  test('pATLAS results: prototype names as samples or accessions are refused in plain text', async () => {
    patlasError(
      await json('/results/', '{"type":"mapping","samples":{"__proto__":{"NZ_CP015088_1":0.5}}}'),
      /"__proto__" is not accepted/,
    );
    patlasError(
      await json('/results/', '{"type":"mapping","samples":{"s1":{"constructor":0.5}}}'),
      /"constructor" is not accepted/,
    );
    patlasError(
      await json('/results/', '{"type":"mapping","samples":{"prototype":{"A_1":0.5}}}'),
      /"prototype" is not accepted/,
    );
    const ok = await json('/results/', '{"type":"mapping","samples":{"s1":{"NZ_CP015088_1":0.5}}}');
    assert.equal(ok.status, 200, ok.text);
  });

  test('analytics_automated: a form field named __proto__ or constructor is refused with {"error": …}', async () => {
    const form = (name: string) =>
      api()
        .post('/analytics_automated/submission.json')
        .type('form')
        .send(`${name}=1&job=job1&submission_name=x&email=ada%40example.org`);
    aaError(await form('__proto__'), /__proto__/);
    aaError(await form('constructor'), /constructor/);
    const multipart = await api()
      .post('/analytics_automated/submission.json')
      .field('prototype', '1')
      .field('job', 'job1')
      .field('submission_name', 'x')
      .field('email', 'ada@example.org');
    aaError(multipart, /prototype/);
  });

  test('CGI: an input column named __proto__ or constructor is refused in CGI format', async () => {
    const launch = (mutations: string) =>
      api()
        .post('/api/v1')
        .set('Authorization', cgiAuth)
        .field('cancer_type', 'CM')
        .attach('mutations', Buffer.from(mutations), 'mutations.tsv');
    cgiError(
      await launch('sample\tprotein\t__proto__\nS1\tBRAF:p.V600E\tx\n'),
      /'__proto__' is not accepted as a column name/,
    );
    cgiError(
      await launch('#CHROM\tPOS\tID\tREF\tALT\tconstructor\nchr1\t100\t.\tA\tT\tx\n'),
      /'constructor' is not accepted as a column name/,
    );
  });

  test('a NUL in a path parameter, anywhere in the path or in a query parameter: 400 in each family', async () => {
    bigsdbError(await api().get(`/db/${SEQDEF}/loci/abcZ/alleles/2%00`), NUL);
    bigsdbError(await api().get(`/db/${SEQDEF}%00/loci`), NUL);
    bigsdbError(await api().get(`/db/${SEQDEF}/loci?page=1%00`), NUL);
    bigsdbError(await api().get(`/db/${SEQDEF}/loci?pa%00ge=1`), NUL);
    bigsdbError(await api().get(`/db/${SEQDEF}/loci/abc%01Z`), NUL); // another C0 control
    patlasError(await api().get('/results?query=1%00'), NUL);
    aaError(await api().get('/analytics_automated/job/job1%00.json'), NUL);
    cgiError(await api().get('/api/v1/0123456789abcdef0123%00').set('Authorization', cgiAuth), NUL);
    cgiError(await api().get('/api/v1?x=%00').set('Authorization', cgiAuth), NUL);
    const fine = await api().get(`/db/${SEQDEF}/loci/abcZ/alleles/2`);
    assert.equal(fine.status, 200, fine.text);
  });

  test('a NUL in JSON strings or keys, raw or escaped: 400 before any service sees it', async () => {
    bigsdbError(await search('{"field.country":"U\\u0000K"}'), NUL);
    bigsdbError(await search('{"field.coun\\u0000try":"UK"}'), NUL);
    bigsdbError(await search('{"field.country":"U\u0000K"}'), NUL);
    bigsdbError(
      await json(`/db/${SEQDEF}/schemes/1/designations`, '{"designations":{"abcZ":[{"allele":"1\\u0000"}]}}'),
      NUL,
    );
    bigsdbError(await json(`/db/${SEQDEF}/sequence`, '{"sequence":"ACGT\\u0000"}'), NUL);
    patlasError(await json('/results/', '{"type":"mapping","samples":{"s\\u0000":{"A_1":0.5}}}'), NUL);
    bigsdbError(
      await api()
        .post('/auth/tokens')
        .auth('ada@example.org', PASSWORD)
        .set('Content-Type', 'application/json')
        .send('{"label":"a\\u0000"}'),
      NUL,
    );
    // An escaped backslash before u0000 is text, not a NUL.
    const text = await search('{"field.country":"U\\\\u0000K"}');
    assert.equal(text.status, 200, text.text);
    assert.equal(text.body.records, 0);
    await typingAlive();
  });

  test('a NUL in credentials, headers used as data and form fields: 400 in the family format', async () => {
    const basic = (email: string) => `Basic ${Buffer.from(`${email}:${PASSWORD}`).toString('base64')}`;
    bigsdbError(await api().get('/auth/tokens').set('Authorization', basic('ada\u0000@example.org')), NUL);
    bigsdbError(await api().get('/auth/tokens').set('Authorization', basic('ada@example.org\u0000')), NUL);
    bigsdbError(
      await api().get('/auth/whoami').set('Authorization', 'OAuth oauth_consumer_key="a%00b", oauth_nonce="1"'),
      NUL,
    );
    bigsdbError(await api().get(`/db/${SEQDEF}/loci`).set('X-PER-PAGE', '1\t0'), NUL);
    bigsdbError(await api().get(`/db/${SEQDEF}/loci`).set('X-OFFSET', '0\t1'), NUL);
    cgiError(await api().get('/api/v1').set('Authorization', 'ada@example.org\tAAAAAAAAAAAAAAAAAAAAAAAA'), NUL);
    bigsdbError(await api().post('/auth/login').type('form').send('email=ada%00%40example.org&password=x'), NUL);
    const multipart = await api()
      .post('/analytics_automated/submission.json')
      .field('job', 'job1')
      .field('submission_name', 'a\u0000b')
      .field('email', 'ada@example.org');
    aaError(multipart, NUL);
    const cgi = await api()
      .post('/api/v1')
      .set('Authorization', cgiAuth)
      .field('cancer_type', 'CM')
      .field('title', 't\u0000')
      .attach('mutations', Buffer.from('protein\nBRAF:p.V600E\n'), 'm.tsv');
    cgiError(cgi, NUL);
    const listed = await api().get('/auth/tokens').auth('ada@example.org', PASSWORD);
    assert.equal(listed.status, 200, listed.text);
  });

  test('JSON nested 30,000 deep is a 400 on designations, isolates/search, submissions, sequence queries and POST /results/', async () => {
    bigsdbError(await json(`/db/${SEQDEF}/schemes/1/designations`, `{"designations":${DEEP}}`), TOO_DEEP);
    bigsdbError(await search(`{"field.country":${DEEP}}`), TOO_DEEP);
    bigsdbError(await json(`/db/${SEQDEF}/submissions`, `{"type":"alleles","sequences":${DEEP}}`), TOO_DEEP);
    bigsdbError(await json(`/db/${SEQDEF}/loci/abcZ/sequence`, `{"sequence":${DEEP}}`), TOO_DEEP);
    patlasError(await json('/results/', `{"type":"mapping","samples":{"s":{"A_1":${DEEP}}}}`), TOO_DEEP);
    patlasError(await json('/results/', `{"type":"mapping","samples":{"s":{"A_1":0.5}},"extra":${DEEP}}`), TOO_DEEP);
    // 64 deep is still read (and answered by the route's own checks).
    const legal = `${'['.repeat(JSON_MAX_DEPTH - 1)}${']'.repeat(JSON_MAX_DEPTH - 1)}`;
    bigsdbError(await search(`{"field.country":${legal}}`), /^Malformed request$/);
    await typingAlive();
    for (const name of ['gateway', 'auth', 'results-import', 'jobs', 'submissions'])
      assert.equal(stack.process(name).child.exitCode, null, `${name} exited`);
  });

  test('refused at the edge: with the owning services stopped, the same requests are still 400s, not 503s', async () => {
    for (const name of ['typing-db', 'results-import', 'submissions']) await stack.stop(name);
    bigsdbError(await json(`/db/${SEQDEF}/schemes/1/designations`, `{"designations":${DEEP}}`), TOO_DEEP);
    bigsdbError(await search(`{"field.country":${DEEP}}`), TOO_DEEP);
    bigsdbError(await search('{"__proto__":{}}'), /"__proto__" is not accepted/);
    bigsdbError(await search('{"field.country":"U\\u0000K"}'), NUL);
    bigsdbError(await json(`/db/${SEQDEF}/submissions`, `{"type":"alleles","sequences":${DEEP}}`), TOO_DEEP);
    bigsdbError(await api().get(`/db/${SEQDEF}/loci/abcZ/alleles/2%00`), NUL);
    patlasError(await json('/results/', `{"type":"mapping","samples":{"s":{"A_1":${DEEP}}}}`), TOO_DEEP);
    patlasError(await json('/results/', '{"type":"mapping","samples":{"s\\u0000":{"A_1":0.5}}}'), NUL);
    // The control: what passes the edge needs the service, now stopped.
    assert.equal((await search('{"field.country":"UK"}')).status, 503);
  });
});
