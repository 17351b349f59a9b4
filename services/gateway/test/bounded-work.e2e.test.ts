import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Stack, startStack } from '@helixgate/testing';
import request from 'supertest';

const MB = 1024 * 1024;

const JOBS_YAML = `
- name: quick
  steps:
    - order: 1
      task: { kind: builtin, name: nothing, builtin: noop }
`;

/**
 * What one request can make the services hold or do is bounded whatever it sends. The worker's CGI analysis holds its inputs, their rows and every output file at once: three files of 47 MB took it
 * past 1 GB (its pod's limit is 1 Gi). The files of one launch are limited in all, not only each.
 */
describe('work one request makes is bounded (real processes)', () => {
  let stack: Stack;
  let dir: string;
  let auth: string;
  const api = () => request(stack.baseUrl);
  const launch = (files: Record<string, Buffer>) => {
    let req = api().post('/api/v1').set('Authorization', auth).field('cancer_type', 'CANCER');
    for (const [kind, content] of Object.entries(files)) req = req.attach(kind, content, `${kind}.tsv`);
    return req;
  };

  before(async () => {
    stack = await startStack(['auth', 'jobs', 'submissions']);
    dir = mkdtempSync(join(tmpdir(), 'bounded-'));
    writeFileSync(join(dir, 'jobs.yaml'), JOBS_YAML);
    await stack.cli('jobs', ['load-definitions', '--file', join(dir, 'jobs.yaml')]);
    const email = 'ada@example.org';
    const password = 'correct horse battery staple';
    await stack.cli('auth', [
      'create-account',
      '--email',
      email,
      '--first-name',
      'Ada',
      '--surname',
      'L',
      '--password',
      password,
    ]);
    const token = await api().post('/auth/tokens').auth(email, password).send({ label: 'cgi' });
    assert.equal(token.status, 201, token.text);
    auth = `${email} ${token.body.token}`;
  });
  after(async () => {
    await stack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('CGI: files over 50 MB in all are a 413 in CGI format, though each is under the 50 MB a file may have', async () => {
    const half = Buffer.alloc(26 * MB, 'x');
    const res = await launch({ mutations: half, cnas: half });
    assert.equal(res.status, 413, res.text);
    assert.deepEqual(res.body, { error_code: 413, message: 'The files are larger than 50 MB in all (52.0 MB).' });
  });

  test('A_A: a POST naming more than 20 jobs is a 400 in A_A format; 20 make one batch of 20', async () => {
    const post = (jobs: number) =>
      api()
        .post('/analytics_automated/submission.json')
        .field('job', Array(jobs).fill('quick').join(','))
        .field('submission_name', `jobs${jobs}`)
        .field('email', 'a@example.org')
        .attach('input_data', Buffer.from('x'), 'x.txt');
    for (const jobs of [21, 16_000]) {
      const res = await post(jobs);
      assert.deepEqual([res.status, res.body], [400, { error: 'A submission may name at most 20 jobs.' }]);
    }
    const accepted = await post(20);
    assert.equal(accepted.status, 201, accepted.text);
    const batch = await api().get(`/analytics_automated/submission/${accepted.body.UUID}.json`);
    assert.equal(batch.body.submissions.length, 20);
  });
});
