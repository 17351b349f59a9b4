import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { JobSubjects } from '@helixgate/contracts';
import { RpcClient, TransferStore } from '@helixgate/platform';
import { type Stack, startServiceProcess, startStack } from '@helixgate/testing';
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
    stack = await startStack(['auth', 'jobs', 'jobs-worker', 'submissions'], {
      submissions: { AA_QUEUE_HARD_LIMIT: '15', AA_QUEUE_HOG_SIZE: '0' },
    });
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

  /** A POST of the slow job(s), with a little upload. */
  const postSlow = (jobs: string, name: string) =>
    api()
      .post('/analytics_automated/submission.json')
      .field('job', jobs)
      .field('submission_name', name)
      .field('email', 'a@example.org')
      .field('wait_seconds', '120')
      .attach('input_data', Buffer.from('the upload'), 'x.txt');
  /** The objects left in the transfer bucket (uploads parked by the gateway and not yet taken). */
  const parkedUploads = async () => {
    const store = await nats.jetstream().views.os(stack.env.TRANSFER_BUCKET);
    return (await store.list()).filter((info) => !info.deleted).length;
  };

  test('a batch one of whose runs cannot be queued: 503, and nothing of it runs or counts (its queued run cancelled)', async () => {
    // The jobs service's owner of this client's runs, from a submission withdrawn at once.
    const probe = await postSlow('slow', 'probe');
    assert.equal(probe.status, 201, probe.text);
    const probeRun = (await api().get(`/analytics_automated/submission/${probe.body.UUID}.json`)).body.submissions[0]
      .UUID;
    const { owner } = await rpc.request(JobSubjects.getRun, { runId: probeRun });
    await rpc.request(JobSubjects.cancelRun, { runId: probeRun });
    assert.equal((await api().get(`/analytics_automated/submission/${probe.body.UUID}.json`)).body.state, 'Error');
    // 16 runs of the owner that are no submissions: a batch of two has room for one more (15 + 2 in all).
    const others: string[] = [];
    for (let i = 0; i < 16; i++) {
      others.push(
        (
          await rpc.request(JobSubjects.submitRun, {
            job: 'slow',
            owner,
            parameters: { seconds: '120' },
            unfinishedLimit: 100,
          })
        ).id,
      );
    }
    const before = await parkedUploads();
    try {
      const res = await postSlow('slow,slow', 'half-queued');
      assert.equal(res.status, 503, res.text);
      assert.match(res.body.error, /^Unable to queue the job: Too many unfinished jobs/);
      // The first run was queued, then cancelled; both submissions are in Error, the batch withdrawn with no e-mail.
      const runs = (await rpc.request(JobSubjects.listRuns, { owner })).filter(
        (r) => r.metadata.submission_name === 'half-queued',
      );
      assert.equal(runs.length, 1, JSON.stringify(runs));
      assert.deepEqual([runs[0].state, runs[0].message], ['Error', 'Cancelled']);
      const batchId = runs[0].metadata.batch as string;
      await stack.database('submissions', async (db) => {
        const batch = await db.collection('aa_batches').findOne({ _id: batchId as never });
        assert.deepEqual([batch?.withdrawn, batch?.state, batch?.notification], [true, 'Error', 'none']);
        const submissions = await db.collection('aa_submissions').find({ batch: batchId }).toArray();
        assert.deepEqual(
          submissions.map((s) => [s.state, s.queued, s.queue]),
          [
            ['Error', true, undefined],
            ['Error', true, undefined],
          ],
        );
      });
      // The upload is gone from the shared bucket, not left there per job.
      assert.equal(await parkedUploads(), before);
    } finally {
      for (const runId of others) await rpc.request(JobSubjects.cancelRun, { runId });
    }
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
    assert.deepEqual(
      statuses,
      [...Array(15).fill(201), ...Array(5).fill(429)],
      answers.map((res) => `${res.status} ${res.text}`).join('\n'),
    );
    for (const res of answers.filter((r) => r.status === 429)) {
      assert.match(
        res.body.error,
        /^You have no authority to post jobs\.Either you are not logged in you have too many, \d+, concurrent jobs running$/,
      );
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
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => api().delete(`/api/v1/${id}`).set('Authorization', auth)),
      );
      const deleted = answers.filter((res) => res.status === 200);
      assert.equal(deleted.length, 1, answers.map((res) => `${res.status} ${res.text}`).join('\n'));
      assert.deepEqual(deleted[0].body, { status: 'Deleted', id });
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
  test("AA_QUEUE_HARD_LIMIT=0 is no limit: 12 POSTs of one client (more than the jobs service's own 10) and a batch of 3 all get 201", async () => {
    // A submissions replica with no hard limit in place of the stack's.
    await stack.stop('submissions');
    const unlimited = await startServiceProcess('submissions', {
      ...stack.envOf('submissions'),
      AA_QUEUE_HARD_LIMIT: '0',
    });
    const runIds: string[] = [];
    try {
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => postSlow('slow', `unlimited${i}`)));
      answers.push(await postSlow('slow,slow,slow', 'three'));
      assert.deepEqual(
        answers.map((res) => res.status),
        Array(13).fill(201),
        answers.map((res) => `${res.status} ${res.text}`).join('\n'),
      );
      for (const res of answers) {
        for (const submission of (await api().get(`/analytics_automated/submission/${res.body.UUID}.json`)).body
          .submissions) {
          assert.notEqual(submission.state, 'Error', JSON.stringify(submission));
          const run = await rpc.request(JobSubjects.getRun, { runId: submission.UUID });
          assert.equal(run.inputs.length, 1);
          runIds.push(run.id);
        }
      }
      assert.equal(new Set(runIds).size, 15);
      // The batch of three stores the upload once: its runs share the first one's copy, and no upload is left over.
      assert.equal(await parkedUploads(), 0);
      const three = await Promise.all(runIds.slice(12).map((runId) => rpc.request(JobSubjects.getRun, { runId })));
      assert.equal(new Set(three.map((run) => run.inputs[0].ref.name)).size, 1);
      const inputFile = async (index: number) =>
        (await fetch(`${stack.baseUrl}/analytics_automated/submissions/${three[index].inputs[0].name}`)).text();
      assert.equal(await inputFile(2), 'the upload');
      // Removed with the last run that holds it.
      for (const run of three.slice(0, 2)) await rpc.request(JobSubjects.deleteRun, { runId: run.id });
      assert.equal(await inputFile(2), 'the upload');
      await rpc.request(JobSubjects.deleteRun, { runId: three[2].id });
      const files = await TransferStore.open(nats, `${stack.env.TRANSFER_BUCKET}-jobs`, {
        ttlMs: 0,
        maxBytes: 4 * 1024 ** 3,
      });
      await assert.rejects(async () => {
        for await (const _ of files.stream(three[2].inputs[0].ref)) {
          // read to the end
        }
      });
      runIds.splice(12);
    } finally {
      for (const runId of runIds) await rpc.request(JobSubjects.cancelRun, { runId });
      await unlimited.stop('SIGTERM');
    }
  });
});
