import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Stack, startStack } from '@helixgate/testing';
import request from 'supertest';

const MB = 1024 * 1024;

/**
 * The worker's CGI analysis holds its inputs, their rows and every output file at once: three files of 47 MB took it
 * past 1 GB (its pod's limit is 1 Gi). The files of one launch are limited in all, not only each.
 */
describe('CGI launches: what an analysis holds is bounded by the total of its files (real processes)', () => {
  let stack: Stack;
  let auth: string;
  const api = () => request(stack.baseUrl);
  const launch = (files: Record<string, Buffer>) => {
    let req = api().post('/api/v1').set('Authorization', auth).field('cancer_type', 'CANCER');
    for (const [kind, content] of Object.entries(files)) req = req.attach(kind, content, `${kind}.tsv`);
    return req;
  };

  before(async () => {
    stack = await startStack(['auth', 'jobs']);
    const email = 'ada@example.org';
    const password = 'correct horse battery staple';
    await stack.cli('auth', ['create-account', '--email', email, '--first-name', 'Ada', '--surname', 'L', '--password', password]);
    const token = await api().post('/auth/tokens').auth(email, password).send({ label: 'cgi' });
    assert.equal(token.status, 201, token.text);
    auth = `${email} ${token.body.token}`;
  });
  after(async () => {
    await stack?.close();
  });

  test('files over 50 MB in all are a 413 in CGI format, though each is under the 50 MB a file may have', async () => {
    const half = Buffer.alloc(26 * MB, 'x');
    const res = await launch({ mutations: half, cnas: half });
    assert.equal(res.status, 413, res.text);
    assert.deepEqual(res.body, { error_code: 413, message: 'The files are larger than 50 MB in all (52.0 MB).' });
  });
});
