import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { JobSubjects } from '@helixgate/contracts';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { RpcClient, TransferStore } from '@helixgate/platform';
import { freePort, repoRoot, type Stack, startServiceProcess, startStack } from '@helixgate/testing';
import { connect, type NatsConnection } from 'nats';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';

/**
 * analytics_automated through the gateway on the real stack (typing-db, jobs, jobs-worker, submissions, NATS,
 * the MongoDB-compatible server, a local SMTP server): A_A's example clients run unchanged but for the URL,
 * the shipped jobs (mlst types ../shared/data/genomes/example.fna as ST-184), and each of A_A's refusals with
 * its status code and message.
 */
const run = promisify(execFile);
const SHARED = join(repoRoot(), '..', 'shared', 'data');
const SEPI = 'pubmlst_sepidermidis_seqdef';
const EXAMPLE = join(SHARED, 'genomes', 'example.fna');
/** A protein that passes A_A's seq validator (30–1,500 residues, not nucleotides). */
const PROTEIN = `>test protein\n${'MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRVGDGTQDNLSGAEKAVQVKVKALPDAQFEVVHSLAKWKRQTLGQHDFSAGEGLYTHMKALRPDEDRLSPLHSVYVDQWDWERVMGDGERQFSTLKSTVEAIWAGIKATEAAVSEEFGLAPFLPDQIHFVHSQELLSRYPDLDAKGRERAIAKDLGAVFLVGIGGKLSDGHRHDVRAPDYDDWAAEVGQNAPVTV'.repeat(2)}\n`;
const JOBS_YAML = `
- name: job1
  steps:
    - order: 1
      task: { kind: executable, name: task1, command: "sort $P1 $I1 -o $O1", inGlobs: [.txt], outGlobs: [.sorted], parameters: [{ name: all, flag: -r, boolValued: true }] }
    - order: 2
      task: { kind: executable, name: task2, command: "head $P1 $I1", inGlobs: [.sorted], stdoutGlob: .head, parameters: [{ name: number, flag: -n }] }
- name: broken
  steps:
    - order: 1
      task: { kind: executable, name: fails, command: "false" }
- name: retired
  runnable: false
  steps:
    - order: 1
      task: { kind: builtin, name: nothing, builtin: noop }
- name: slow
  steps:
    - order: 1
      task: { kind: builtin, name: wait, builtin: sleep, parameters: [{ name: seconds }] }
`;

interface Mail {
  to: string[];
  raw: string;
}

describe('analytics_automated (/analytics_automated)', () => {
  let stack: Stack;
  let dir: string;
  let smtp: SMTPServer;
  let nats: NatsConnection;
  let rpc: RpcClient;
  const mails: Mail[] = [];
  const api = () => request(stack.baseUrl);
  const aaError = (res: request.Response, status: number, error: unknown) => {
    assert.equal(res.status, status, res.text);
    assert.deepEqual(res.body, { error });
  };
  const submit = (fields: Record<string, string>, file?: { name: string; content: string | Buffer }) => {
    let req = api().post('/analytics_automated/submission.json');
    for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
    if (file) req = req.attach('input_data', Buffer.from(file.content), file.name);
    return req;
  };
  const waitBatch = async (uuid: string) => {
    for (const deadline = Date.now() + 180_000; Date.now() < deadline;) {
      const res = await api().get(`/analytics_automated/submission/${uuid}.json`);
      assert.equal(res.status, 200, res.text);
      if (res.body.state === 'Complete' || res.body.state === 'Error') return res.body;
      await sleep(100);
    }
    throw new Error(`batch ${uuid} did not end`);
  };
  const waitMail = async (uuid: string) => {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
      const mail = mails.find((m) => m.raw.includes(uuid));
      if (mail) return mail;
      await sleep(100);
    }
    throw new Error(`no e-mail for ${uuid}`);
  };

  before(async () => {
    const smtpPort = await freePort();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          // Headers unfolded and quoted-printable soft breaks joined: the message as a reader sees it.
          const raw = Buffer.concat(chunks)
            .toString('utf8')
            .replace(/\r\n[ \t]+/g, ' ')
            .replace(/=\r\n/g, '');
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));
    stack = await startStack(['typing-db', 'jobs', 'jobs-worker', 'submissions'], {
      submissions: {
        AA_SYNC_INTERVAL_SECONDS: '1',
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        AA_EMAIL_FROM: 'helixgate@example.org',
        AA_QUEUE_HOG_SIZE: '3',
        AA_QUEUE_HARD_LIMIT: '4',
      },
    });
    await stack.cli('typing-db', [
      'import-scheme',
      '--database',
      SEPI,
      '--dir',
      join(SHARED, 'pubmlst', 'sepidermidis'),
      '--group',
      'sepidermidis',
    ]);
    dir = mkdtempSync(join(tmpdir(), 'aa-'));
    writeFileSync(join(dir, 'jobs.yaml'), JOBS_YAML);
    await stack.cli('jobs', ['load-definitions', '--file', join(dir, 'jobs.yaml')]);
    mkdirSync(join(dir, 'submissions', 'files'), { recursive: true });
    writeFileSync(join(dir, 'submissions', 'files', 'prot.txt'), PROTEIN);
    mkdirSync(join(dir, 'static', 'files'), { recursive: true });
    writeFileSync(join(dir, 'static', 'files', 'file1.txt'), 'pear\napple\nfig\nkiwi\n');
    nats = await connect({ servers: stack.env.NATS_URL });
    rpc = new RpcClient(nats, { timeoutMs: 10_000, subjectPrefix: stack.env.NATS_SUBJECT_PREFIX });
  });
  after(async () => {
    await nats?.close();
    await stack?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('endpoints/ lists every A_A job with its parameters in A_A words; JSON by suffix, ?format=json or Accept, the browsable page otherwise', async () => {
    const res = await api().get('/analytics_automated/endpoints.json');
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers['content-type'], /^application\/json/);
    const jobs = res.body.jobs as string[];
    assert.ok(
      jobs.includes(
        '/submission/&job=job1&submission_name=[STRING]&email=[EMAIL_STRING]&input_data=[FILE]&task1_all=[TRUE/FALSE]&task2_number=[VALUE]',
      ),
      jobs.join('\n'),
    );
    assert.ok(
      jobs.includes(
        '/submission/&job=mlst&submission_name=[STRING]&email=[EMAIL_STRING]&input_data=[FILE]&mlst_species=[VALUE]',
      ),
    );
    assert.ok(
      jobs.includes('/submission/&job=psipred&submission_name=[STRING]&email=[EMAIL_STRING]&input_data=[FILE]'),
    );
    assert.ok(
      jobs.some((j) => j.includes('job=retired')),
      'A_A lists disabled jobs too',
    );
    assert.ok(!jobs.some((j) => j.includes('job=cgi&')), 'the CGI job is not an A_A job');
    assert.deepEqual((await api().get('/analytics_automated/endpoints/?format=json')).body, res.body);
    assert.deepEqual(
      (await api().get('/analytics_automated/endpoints/').set('Accept', 'application/json')).body,
      res.body,
    );
    const page = await api().get('/analytics_automated/endpoints/').set('Accept', '*/*');
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'], /^text\/html/);
    assert.match(page.text, /task1_all=\[TRUE\/FALSE\]/);
    const refused = await api().get('/analytics_automated/endpoints/').set('Accept', 'text/csv');
    assert.deepEqual([refused.status, refused.body], [406, { detail: 'Could not satisfy the request Accept header.' }]);
  });

  test('job/ pages {pk, name} by ten with absolute links; job/<name> is its steps; jobtimes/ is an object', async () => {
    const first = await api().get('/analytics_automated/job/?format=json');
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(Object.keys(first.body), ['count', 'next', 'previous', 'results']);
    assert.ok(first.body.count >= 7);
    assert.deepEqual(Object.keys(first.body.results[0]), ['pk', 'name']);
    assert.equal(first.body.previous, null);
    const psipred = await api().get('/analytics_automated/job/psipred.json');
    assert.deepEqual(psipred.body, { name: 'psipred', steps: [{ task: { configuration: [] }, ordering: 1 }] });
    const invalid = await api().get('/analytics_automated/job/?format=json&page=99');
    assert.deepEqual([invalid.status, invalid.body], [404, { detail: 'Invalid page.' }]);
    const missing = await api().get('/analytics_automated/job/nope.json');
    assert.deepEqual([missing.status, missing.body], [404, { detail: 'Not found.' }]);
    const times = await api().get('/analytics_automated/jobtimes.json');
    assert.equal(times.status, 200);
    assert.equal(typeof times.body, 'object');
  });

  test("A_A's send_fasta.py runs unchanged but for its URL: psipred answers 201 {UUID, submission_name}, then the batch, its results and their files", async () => {
    // send_fasta.py as the research notes describe it (A_A's example_scripts/), its URL pointed at this stack.
    const script = [
      'import requests',
      `url = '${stack.baseUrl}/analytics_automated/submission.json'`,
      "data = {'job': 'psipred', 'submission_name': 'testing', 'email': 'daniel.buchan@ucl.ac.uk'}",
      "files = {'input_data': ('prot.txt', open('./submissions/files/prot.txt', 'rb'))}",
      'r = requests.post(url, data=data, files=files)',
      'print(r.text)',
    ].join('\n');
    writeFileSync(join(dir, 'send_fasta.py'), script);
    const { stdout } = await run('/usr/bin/python3', ['send_fasta.py'], { cwd: dir });
    const answer = JSON.parse(stdout);
    assert.deepEqual(Object.keys(answer), ['UUID', 'submission_name']);
    assert.equal(answer.submission_name, 'testing');
    const batch = await waitBatch(answer.UUID);
    assert.equal(batch.state, 'Complete', JSON.stringify(batch));
    assert.deepEqual(Object.keys(batch), ['UUID', 'state', 'submissions']);
    const [submission] = batch.submissions;
    assert.deepEqual(Object.keys(submission), [
      'submission_name',
      'job_name',
      'UUID',
      'state',
      'last_message',
      'email',
      'input_file',
      'modified',
      'results',
    ]);
    assert.equal(submission.job_name, 'psipred');
    assert.equal(submission.last_message, 'Completed job at step #1');
    assert.equal(submission.email, 'daniel.buchan@ucl.ac.uk');
    assert.match(submission.modified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.deepEqual(submission.results.map((r: { data_path: string }) => r.data_path).sort(), [
      `/submissions/${submission.UUID}.horiz`,
      `/submissions/${submission.UUID}.ss2`,
    ]);
    assert.deepEqual(Object.keys(submission.results[0]), ['task', 'name', 'message', 'step', 'data_path']);
    assert.deepEqual(
      [
        submission.results[0].task,
        submission.results[0].name,
        submission.results[0].message,
        submission.results[0].step,
      ],
      [1, 'psipred', 'Result', 1],
    );
    const ss2 = await api().get(`/analytics_automated/submissions/${submission.UUID}.ss2`);
    assert.equal(ss2.status, 200);
    assert.match(ss2.text, /^# PSIPRED VFORMAT/);
    assert.equal(ss2.text.trim().split('\n').length, 2 + PROTEIN.split('\n')[1].length);
    assert.equal(
      (await api().get(`/submissions/${submission.UUID}.ss2`)).text,
      ss2.text,
      'also at the site root, as A_A’s web server serves MEDIA_URL',
    );
    const input = await api().get(`/analytics_automated${submission.input_file}`);
    assert.equal(input.text, PROTEIN);
    const single = await api().get(`/analytics_automated/submission/single/${submission.UUID}.json`);
    assert.deepEqual(single.body, submission);
    const html = await api().get(`/analytics_automated/submission/${answer.UUID}`);
    assert.match(
      html.headers['content-type'],
      /^text\/html/,
      'python-requests and browsers get the browsable page without .json',
    );
  });

  test("send_file.py's form at submission/.json: A_A refuses True as a Python keyword; TRUE runs both steps with the parameters", async () => {
    const script = [
      'import requests',
      `url = '${stack.baseUrl}/analytics_automated/submission/.json'`,
      "payload = {'input_data': ('input.txt', open('static/files/file1.txt', 'rb'))}",
      "data = {'job': 'job1', 'submission_name': 'test', 'email': 'daniel.buchan@ucl.ac.uk', 'task1_all': TRUTH, 'task2_number': '2'}",
      'r = requests.post(url, data=data, files=payload)',
      'print(r.status_code)',
      'print(r.text)',
    ].join('\n');
    const send = async (truth: string) => {
      const { stdout } = await run('/usr/bin/python3', ['-c', script.replace('TRUTH', `'${truth}'`)], { cwd: dir });
      const [status, body] = stdout.split('\n');
      return { status: Number(status), body: JSON.parse(body) };
    };
    assert.deepEqual(await send('True'), {
      status: 400,
      body: {
        error:
          'Required Parameter for job1 Missing.Incoming data can not contain python keyords: True. GET /analytics_automated/endpoints to discover all required options',
      },
    });
    const accepted = await send('TRUE');
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    const batch = await waitBatch(accepted.body.UUID);
    assert.equal(batch.state, 'Complete', JSON.stringify(batch));
    const head = batch.submissions[0].results.find((r: { data_path: string }) => r.data_path.endsWith('.head'));
    assert.deepEqual([head.name, head.step, head.task], ['task2', 2, 2]);
    assert.equal(
      await (await fetch(`${stack.baseUrl}/analytics_automated${head.data_path}`)).text(),
      'pear\nkiwi\n',
      'sort -r, then head -n 2',
    );
  });

  test('mlst types example.fna as ST-184 (JSON and TSV), fasta_stats in the same batch; the submitter gets an e-mail when the batch ends', async () => {
    const res = await api()
      .post('/analytics_automated/submission/?format=json')
      .field('job', 'mlst,fasta_stats')
      .field('submission_name', 'epidermidis')
      .field('email', 'ada@example.org')
      .field('mlst_species', 'sepidermidis')
      .attach('input_data', EXAMPLE);
    assert.equal(res.status, 201, res.text);
    const batch = await waitBatch(res.body.UUID);
    assert.equal(batch.state, 'Complete', JSON.stringify(batch));
    assert.deepEqual(
      batch.submissions.map((s: { job_name: string }) => s.job_name),
      ['mlst', 'fasta_stats'],
    );
    const [mlst, stats] = batch.submissions;
    const json = await api().get(
      `/analytics_automated${mlst.results.find((r: { data_path: string }) => r.data_path.endsWith('.mlst.json')).data_path}`,
    );
    assert.equal(json.body.ST, '184', json.text);
    assert.deepEqual(json.body.alleles, {
      arcC: '16',
      aroE: '1',
      gtr: '2',
      mutS: '1',
      pyrR: '2',
      tpiA: '1',
      yqiL: '1',
    });
    const tsv = (
      await api().get(
        `/analytics_automated${mlst.results.find((r: { data_path: string }) => r.data_path.endsWith('.mlst.tsv')).data_path}`,
      )
    ).text.split('\n');
    assert.deepEqual(tsv[0].split('\t').slice(0, 3), ['sample', 'database', 'ST']);
    assert.deepEqual(tsv[1].split('\t').slice(1, 3), [SEPI, '184']);
    const genome = readFileSync(EXAMPLE, 'utf8');
    const contigs = genome.split('\n').filter((l) => l.startsWith('>')).length;
    const length = genome
      .split('\n')
      .filter((l) => !l.startsWith('>'))
      .join('')
      .replace(/\s/g, '').length;
    const numbers = (
      await api().get(
        `/analytics_automated${stats.results.find((r: { data_path: string }) => r.data_path.endsWith('.json')).data_path}`,
      )
    ).body;
    assert.deepEqual([numbers.contigs, numbers.total_length], [contigs, length]);
    assert.ok(numbers.n50 > 0 && numbers.gc_percent > 25 && numbers.gc_percent < 40, JSON.stringify(numbers));
    const mail = await waitMail(res.body.UUID);
    assert.deepEqual(mail.to, ['ada@example.org']);
    assert.match(mail.raw, new RegExp(`Subject: mlst,fasta_stats : A_A Job Completion: ${res.body.UUID}`));
    assert.match(mail.raw, new RegExp(`/analytics_automated/submission/${res.body.UUID}`));
  });

  test('two submissions replicas: each ended batch is e-mailed once', async () => {
    const second = await startServiceProcess('submissions', stack.envOf('submissions'));
    try {
      const uuids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await submit(
          { job: 'psipred', submission_name: `twice${i}`, email: 'grace@example.org' },
          { name: 'prot.txt', content: PROTEIN },
        );
        assert.equal(res.status, 201, res.text);
        uuids.push(res.body.UUID);
      }
      for (const uuid of uuids) assert.equal((await waitBatch(uuid)).state, 'Complete');
      for (const uuid of uuids) await waitMail(uuid);
      await sleep(3000); // both replicas have synced a few more times
      for (const uuid of uuids)
        assert.equal(mails.filter((m) => m.raw.includes(`Completion: ${uuid}`)).length, 1, uuid);
    } finally {
      await second.stop();
    }
  });

  test('a failing job ends in Error with its reason, and the e-mail says so', async () => {
    const res = await submit(
      { job: 'broken', submission_name: 'x', email: 'grace@example.org' },
      { name: 'a.txt', content: 'x' },
    );
    assert.equal(res.status, 201, res.text);
    const batch = await waitBatch(res.body.UUID);
    assert.equal(batch.state, 'Error');
    assert.match(batch.submissions[0].last_message, /exited with status 1/);
    assert.match((await waitMail(res.body.UUID)).raw, /ended with an error/);
  });

  test("A_A's refusals, in A_A's order, with its codes and messages", async () => {
    const file = { name: 'prot.txt', content: PROTEIN };
    const base = { job: 'psipred', submission_name: 'n', email: 'a@example.org' };
    aaError(
      await submit({ job: 'psipred', email: 'a@example.org' }, file),
      400,
      'Input does not contain all required fields',
    );
    aaError(await submit({ ...base, job: 'nope' }, file), 400, 'Job name supplied does not exist');
    aaError(await submit({ ...base, job: 'psipred,cgi' }, file), 400, 'Job name supplied does not exist');
    aaError(await submit({ ...base, job: 'retired' }, file), 403, 'retired is present but currently disabled.');
    const missing =
      'Required Parameter for job1 Missing.You are missing a required parameter in your web form submission. GET /analytics_automated/endpoints to discover all required options';
    aaError(await submit({ ...base, job: 'job1', task1_all: 'TRUE' }, file), 400, missing);
    const value = (detail: string) =>
      `Required Parameter for job1 Missing.${detail}. GET /analytics_automated/endpoints to discover all required options`;
    aaError(
      await submit({ ...base, job: 'job1', task1_all: 'TRUE', task2_number: '-5' }, file),
      400,
      value('Incoming data can not contain punctuation: '),
    );
    aaError(
      await submit({ ...base, job: 'job1', task1_all: 'TRUE', task2_number: 'mean' }, file),
      400,
      value('Incoming data can not contain R keywords: mean'),
    );
    aaError(
      await submit({ ...base, job: 'job1', task1_all: 'TRUE', task2_number: 'sed' }, file),
      400,
      value('Incoming data can not contain unix commands: sed'),
    );
    aaError(
      await submit({ ...base, job: 'job1', task1_all: 'TRUE', task2_number: '2; rm -rf /' }, file),
      400,
      value('Incoming data can not contain punctuation: '),
    );
    aaError(await submit({ ...base, email: 'not-an-address' }, file), 400, { email: ['Enter a valid email address.'] });
    aaError(await submit({ ...base, submission_name: 'x'.repeat(65) }, file), 400, {
      submission_name: ['Ensure this value has at most 64 characters (it has 65).'],
    });
    aaError(await submit(base), 400, { input_data: ['This field is required.'] });
    aaError(await submit(base, { name: 'dna.fa', content: `>dna\n${'ACGT'.repeat(50)}\n` }), 400, {
      input_data: ['Input data could not be validated'],
    });
    aaError(
      await submit(
        { ...base, job: 'mlst', mlst_species: 'sepidermidis' },
        { name: 'x.fa', content: 'not fasta at all' },
      ),
      400,
      { input_data: ['Input data could not be validated'] },
    );
    const json = await api()
      .post('/analytics_automated/submission.json')
      .set('Content-Type', 'application/json')
      .send('{"job":"psipred"}');
    assert.deepEqual(
      [json.status, json.body],
      [415, { detail: 'Unsupported media type "application/json" in request.' }],
    );
    const badEscape = await api().get('/analytics_automated/job/%E0%A4%A.json');
    assert.equal(badEscape.status, 400, badEscape.text);
    assert.match(badEscape.body.error, /decode/);
    const longName = await submit({ ...base, ['x'.repeat(2000)]: '1' }, file);
    assert.equal(longName.status, 400, longName.text);
    const longValue = await submit({ ...base, psipred_x: 'y'.repeat(200_000) }, file);
    assert.equal(longValue.status, 413, longValue.text);
    const wide: Record<string, string> = { ...base };
    for (let i = 0; i < 12; i++) wide[`f${i}`] = 'y'.repeat(99_000);
    const tooWide = await submit(wide, file);
    assert.equal(tooWide.status, 413, tooWide.text);
    assert.match(tooWide.body.error, /fields are larger than/);
    const broken = await api()
      .post('/analytics_automated/submission.json')
      .set('Content-Type', 'multipart/form-data; boundary=xyz')
      .send('--xyz\r\nContent-Disposition: form-data; name="job"\r\n\r\npsip');
    assert.equal(broken.status, 400, broken.text);
    assert.ok(broken.body.error);
    for (const path of [
      'submission/00000000-0000-0000-0000-000000000000.json',
      'submission/single/00000000-0000-0000-0000-000000000000.json',
      'submissions/..%2F..%2Fetc%2Fpasswd',
      'nothing-here.json',
    ]) {
      const res = await api().get(`/analytics_automated/${path}`);
      assert.deepEqual([res.status, res.body], [404, { detail: 'Not found.' }], path);
    }
  });

  test('a batch whose queueing was cut off (its replica died) was given to no client: the sync withdraws it, its queued run cancelled', async () => {
    const transfers = await TransferStore.open(nats, stack.env.TRANSFER_BUCKET, { maxBytes: 512 * 1024 ** 2 });
    const upload = await transfers.put(Readable.from([PROTEIN]), 1024 ** 2, 'too large');
    const batch = randomUUID();
    const [queuedId, strandedId] = [randomUUID(), randomUUID()];
    const past = new Date(Date.now() - 60_000);
    // The first submission's run was queued, then the replica died before queueing the second and answering.
    await rpc.request(JobSubjects.submitRun, {
      id: queuedId,
      job: 'slow',
      owner: 'analytics_automated:10.0.0.9',
      parameters: { seconds: '60' },
    });
    const submission = (id: string, queued: boolean) => ({
      _id: id as never,
      batch,
      name: 'stranded',
      job: 'slow',
      email: 'ada@example.org',
      client: '10.0.0.9',
      state: 'Submitted',
      lastMessage: 'Submitted',
      inputName: `${id}.txt`,
      taskNumbers: { wait: 1 },
      results: [],
      queued,
      ...(queued
        ? {}
        : {
            queue: {
              upload,
              priority: 'normal',
              parameters: { seconds: '60' },
              unfinishedLimit: 100,
              claimUntil: past,
            },
          }),
      createdAt: past,
      modified: past,
    });
    await stack.database('submissions', async (db) => {
      await db.collection('aa_submissions').insertMany([submission(queuedId, true), submission(strandedId, false)]);
      await db.collection('aa_batches').insertOne({
        _id: batch as never,
        submissions: [queuedId, strandedId],
        state: 'Submitted',
        email: 'ada@example.org',
        jobs: ['slow', 'slow'],
        baseUri: `${stack.baseUrl}/analytics_automated`,
        notification: 'pending',
        createdAt: past,
      });
    });
    const ended = await waitBatch(batch);
    assert.equal(ended.state, 'Error', JSON.stringify(ended));
    assert.deepEqual(
      ended.submissions.map((s: { state: string }) => s.state),
      ['Error', 'Error'],
    );
    assert.match(ended.submissions[1].last_message, /^Unable to queue the job: its submission was cut off/);
    const run = await rpc.request(JobSubjects.getRun, { runId: queuedId });
    assert.deepEqual([run.state, run.message], ['Error', 'Cancelled']);
    await assert.rejects(rpc.request(JobSubjects.getRun, { runId: strandedId }), /does not exist/);
    // No e-mail for it, and its upload is removed.
    await stack.database('submissions', async (db) => {
      assert.equal((await db.collection('aa_batches').findOne({ _id: batch as never }))?.notification, 'none');
    });
    await assert.rejects(async () => {
      for await (const _ of transfers.stream(upload)) {
        // read to the end
      }
    });
  });

  test('per-client queue limits: from AA_QUEUE_HOG_SIZE runs go to the low-priority queue, a batch under AA_QUEUE_HARD_LIMIT is queued whole, at the limit a 429', async () => {
    const slow = (job: string, name: string) =>
      submit(
        { job, submission_name: name, email: 'a@example.org', wait_seconds: '30' },
        { name: 'x.txt', content: '' },
      );
    const batches: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await slow('slow', `slow${i}`);
      assert.equal(res.status, 201, res.text);
      batches.push(res.body.UUID);
    }
    // 3 unfinished, under the hard limit of 4: a batch of two is accepted and both its runs queued (A_A checks once per POST).
    const pair = await slow('slow,slow', 'pair');
    assert.equal(pair.status, 201, pair.text);
    batches.push(pair.body.UUID);
    aaError(
      await slow('slow', 'one more'),
      429,
      'You have no authority to post jobs.Either you are not logged in you have too many, 5, concurrent jobs running',
    );
    const priorities: string[] = [];
    for (const uuid of batches) {
      for (const submission of (await api().get(`/analytics_automated/submission/${uuid}.json`)).body.submissions) {
        let run;
        for (const deadline = Date.now() + 60_000; !run && Date.now() < deadline;) {
          run = await rpc.request(JobSubjects.getRun, { runId: submission.UUID }).catch(() => undefined);
          if (!run) await sleep(100);
        }
        assert.ok(run, `the run of ${submission.UUID} was queued`);
        priorities.push(run.priority);
      }
    }
    assert.deepEqual(priorities, ['normal', 'normal', 'normal', 'low', 'low']);
    // The first one is being worked on: A_A's running message names the step.
    for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
      const running = (await api().get(`/analytics_automated/submission/${batches[0]}.json`)).body;
      if (running.submissions[0].last_message === 'Running step: 1') {
        assert.deepEqual([running.state, running.submissions[0].state], ['Running', 'Running']);
        return;
      }
      await sleep(100);
    }
    assert.fail('the running submission never said "Running step: 1"');
  });
});
