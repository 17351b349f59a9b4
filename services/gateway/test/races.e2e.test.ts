import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { JobSubjects } from '@helixgate/contracts';
import { RpcClient } from '@helixgate/platform';
import { type Stack, startStack } from '@helixgate/testing';
import { connect, type NatsConnection } from 'nats';
import request from 'supertest';

/**
 * Concurrent requests from one client against the real stack: the limits and the single outcomes they promise hold
 * however the requests interleave on a store where a filtered update is not atomic (FerretDB 1.x).
 */
const JOBS_YAML = `
- name: slow
  steps:
    - order: 1
      task: { kind: builtin, name: wait, builtin: sleep, parameters: [{ name: seconds }] }
`;

describe('races: concurrent requests from one client (real processes, NATS and database)', () => {
  let stack: Stack;
  let dir: string;
  let nats: NatsConnection;
  let rpc: RpcClient;
  const api = () => request(stack.baseUrl);

  before(async () => {
    stack = await startStack(['auth', 'jobs', 'jobs-worker', 'submissions'], { submissions: { AA_QUEUE_HARD_LIMIT: '15', AA_QUEUE_HOG_SIZE: '0' } });
    dir = mkdtempSync(join(tmpdir(), 'races-'));
    writeFileSync(join(dir, 'jobs.yaml'), JOBS_YAML);
    await stack.cli('jobs', ['load-definitions', '--file', join(dir, 'jobs.yaml')]);
    nats = await connect({ servers: stack.env.NATS_URL });
    rpc = new RpcClient(nats, { timeoutMs: 10_000, subjectPrefix: stack.env.NATS_SUBJECT_PREFIX });
  });
  after(async () => {
    await nats?.close();
    await stack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('20 concurrent A_A submissions with AA_QUEUE_HARD_LIMIT 15: exactly 15 get 201 and each has its run queued, 5 get 429', async () => {
    const post = (i: number) =>
      api()
        .post('/analytics_automated/submission.json')
        .field('job', 'slow')
        .field('submission_name', `race${i}`)
        .field('email', 'a@example.org')
        .field('wait_seconds', '120')
        .attach('input_data', Buffer.from(''), 'x.txt');
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(i)));
    const statuses = answers.map((res) => res.status).sort();
    assert.deepEqual(statuses, [...Array(15).fill(201), ...Array(5).fill(429)], answers.map((res) => `${res.status} ${res.text}`).join('\n'));
    for (const res of answers.filter((r) => r.status === 429)) {
      assert.match(res.body.error, /^You have no authority to post jobs\.Either you are not logged in you have too many, \d+, concurrent jobs running$/);
    }
    // A 201 means the run is queued: each accepted batch's run exists at once, and none ended unqueued.
    const runIds: string[] = [];
    for (const res of answers.filter((r) => r.status === 201)) {
      const batch = (await api().get(`/analytics_automated/submission/${res.body.UUID}.json`)).body;
      assert.equal(batch.submissions.length, 1);
      const submission = batch.submissions[0];
      assert.notEqual(submission.state, 'Error', JSON.stringify(submission));
      const run = await rpc.request(JobSubjects.getRun, { runId: submission.UUID });
      assert.ok(['Submitted', 'Running'].includes(run.state), `${run.state}: ${run.message}`);
      runIds.push(run.id);
    }
    assert.equal(new Set(runIds).size, 15);
    for (const runId of runIds) await rpc.request(JobSubjects.cancelRun, { runId });
  });

  test('five concurrent DELETEs of one CGI job: exactly one "Deleted", four 404 "Job not found."', async () => {
    const email = 'ada@example.org';
    const password = 'correct horse battery staple';
    await stack.cli('auth', ['create-account', '--email', email, '--first-name', 'Ada', '--surname', 'L', '--password', password]);
    const token = await api().post('/auth/tokens').auth(email, password).send({ label: 'cgi' });
    assert.equal(token.status, 201, token.text);
    const auth = `${email} ${token.body.token}`;
    // Three jobs, each deleted five times at once: a race lost once is not a race won.
    for (let round = 0; round < 3; round++) {
      const launched = await api()
        .post('/api/v1')
        .set('Authorization', auth)
        .field('cancer_type', 'CANCER')
        .attach('mutations', Buffer.from('sample\tprotein\nS1\tBRAF:p.V600E\n'), 'mutations.tsv');
      assert.equal(launched.status, 200, launched.text);
      const id = launched.body as string;
      const answers = await Promise.all(Array.from({ length: 5 }, () => api().delete(`/api/v1/${id}`).set('Authorization', auth)));
      const deleted = answers.filter((res) => res.status === 200);
      assert.equal(deleted.length, 1, answers.map((res) => `${res.status} ${res.text}`).join('\n'));
      assert.deepEqual(deleted[0]!.body, { status: 'Deleted', id });
      for (const res of answers.filter((r) => r.status !== 200)) {
        assert.equal(res.status, 404, res.text);
        assert.deepEqual(res.body, { error_code: 404, message: 'Job not found.' });
      }
      // After the delete, every route of the job answers CGI's 404 too.
      for (const path of [`/api/v1/${id}`, `/api/v1/${id}?action=logs`, `/api/v1/${id}?action=download`]) {
        const res = await api().get(path).set('Authorization', auth);
        assert.deepEqual([res.status, res.body], [404, { error_code: 404, message: 'Job not found.' }]);
      }
    }
  });
});
