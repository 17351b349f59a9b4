import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { type Stack, startStack } from '@helixgate/testing';
import request from 'supertest';

/**
 * The Cancer Genome Interpreter API through the gateway on the real stack (auth, jobs, jobs-worker, NATS,
 * the MongoDB-compatible server): the spec's curl commands and python requests snippets, run unchanged but for
 * the URL and credentials, from launch to delete.
 */
const run = promisify(execFile);
const PASSWORD = 'correct horse battery staple';
const MUTATIONS = 'sample\tprotein\tnote\nS1\tBRAF:p.V600E\tknown hotspot\nS1\tZZZ3:p.A10T\tunknown gene\n';
const CNAS = 'sample\tgene\tcna\nS1\tERBB2\tAMP\n';
const TRANSLOCATIONS = 'sample\tfus\nS1\tBCR__ABL1\n';

describe('Cancer Genome Interpreter API (/api/v1)', () => {
  let stack: Stack;
  let dir: string;
  let auth: string;
  let other: string;
  const api = () => request(stack.baseUrl);
  const python = async (script: string, ...args: string[]) =>
    (await run('/usr/bin/python3', ['-c', script, ...args], { cwd: dir })).stdout;
  const curl = async (...args: string[]) =>
    (await run('curl', ['-s', ...args], { cwd: dir, maxBuffer: 16 * 1024 ** 2 })).stdout;
  const cgiError = (res: request.Response, status: number, message: RegExp) => {
    assert.equal(res.status, status, res.text);
    assert.equal(res.body.error_code, status);
    assert.match(res.body.message, message);
  };
  const tokenFor = async (email: string) => {
    await stack.cli('auth', [
      'create-account',
      '--email',
      email,
      '--first-name',
      'Test',
      '--surname',
      'User',
      '--password',
      PASSWORD,
    ]);
    const created = await api().post('/auth/tokens').auth(email, PASSWORD).send({ label: 'cgi' });
    assert.equal(created.status, 201, created.text);
    return `${email} ${created.body.token}`;
  };
  const waitDone = async (id: string) => {
    for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
      const res = await api().get(`/api/v1/${id}`).set('Authorization', auth);
      if (res.body.status !== 'Running') return res.body;
      await sleep(100);
    }
    throw new Error(`job ${id} did not finish`);
  };

  before(async () => {
    stack = await startStack(['auth', 'jobs', 'jobs-worker']);
    dir = mkdtempSync(join(tmpdir(), 'cgi-'));
    writeFileSync(join(dir, 'mutations.tsv'), MUTATIONS);
    writeFileSync(join(dir, 'cnas.tsv'), CNAS);
    writeFileSync(join(dir, 'translocations.tsv'), TRANSLOCATIONS);
    auth = await tokenFor('ada@example.org');
    other = await tokenFor('grace@example.org');
  });
  after(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the spec's curl commands: launch, list, info, logs, download, delete", async () => {
    const launched = await curl(
      '--request',
      'POST',
      '--url',
      `${stack.baseUrl}/api/v1`,
      '--header',
      `Authorization: ${auth}`,
      '-F',
      'mutations=@mutations.tsv',
      '-F',
      'cnas=@cnas.tsv',
      '-F',
      'translocations=@translocations.tsv',
      '-F',
      'cancer_type=CM',
      '-F',
      'title=Melanoma WP1',
    );
    const id = JSON.parse(launched) as string;
    assert.match(id, /^[0-9a-f]{20}$/, launched);
    assert.deepEqual(
      JSON.parse(
        await curl('--request', 'GET', '--url', `${stack.baseUrl}/api/v1`, '--header', `Authorization: ${auth}`),
      ),
      [id],
    );
    const done = await waitDone(id);
    assert.equal(done.status, 'Done', JSON.stringify(done));
    const infoText = await curl(
      '--request',
      'GET',
      '--url',
      `${stack.baseUrl}/api/v1/${id}`,
      '--header',
      `Authorization: ${auth}`,
    );
    const info = JSON.parse(infoText);
    assert.deepEqual(Object.keys(info.metadata).sort(), [
      'cancertype',
      'dataset',
      'date',
      'id',
      'reference',
      'title',
      'user',
    ]);
    assert.deepEqual(
      [info.metadata.id, info.metadata.user, info.metadata.title, info.metadata.cancertype, info.metadata.reference],
      [id, 'ada@example.org', 'Melanoma WP1', 'CM', 'hg38'],
    );
    assert.match(info.metadata.date, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const logs = JSON.parse(
      await curl(
        '--request',
        'GET',
        '--url',
        `${stack.baseUrl}/api/v1/${id}`,
        '--header',
        `Authorization: ${auth}`,
        '-G',
        '--data',
        'action=logs',
      ),
    );
    assert.equal(logs.status, 'Done');
    assert.ok(
      logs.logs.some((l: string) => l.includes('Analysis done')),
      logs.logs.join('\n'),
    );
    await curl(
      '--request',
      'GET',
      '--url',
      `${stack.baseUrl}/api/v1/${id}`,
      '--header',
      `Authorization: ${auth}`,
      '-G',
      '--data',
      'action=download',
      '-o',
      'file.zip',
    );
    const listing = JSON.parse(
      await python(
        [
          'import json, zipfile',
          'z = zipfile.ZipFile("file.zip")',
          'files = {n: z.read(n).decode() for n in z.namelist()}',
          'print(json.dumps(files))',
        ].join('\n'),
      ),
    ) as Record<string, string>;
    assert.deepEqual(Object.keys(listing).sort(), [
      'alterations.tsv',
      'biomarkers.tsv',
      'cna_analysis.tsv',
      'input01.tsv',
      'input02.tsv',
      'input03.tsv',
      'summary.txt',
    ]);
    assert.equal(listing['input01.tsv'], MUTATIONS);
    assert.match(listing['alterations.tsv'].split('\n')[0], /\tCGI-Sample ID\tCGI-Gene\tCGI-Protein Change\t/);
    assert.match(listing['alterations.tsv'], /ZZZ3/, 'an alteration it cannot interpret is reported, not dropped');
    assert.match(listing['biomarkers.tsv'], /BRAF[^\n]*(Vemurafenib|Dabrafenib)/i);
    assert.match(listing['biomarkers.tsv'], /BCR__ABL1|ABL1/);
    assert.match(listing['cna_analysis.tsv'], /ERBB2\tAMP/);
    assert.match(listing['summary.txt'], /=== Summary of the analysis ===/);
    const deleted = JSON.parse(
      await curl('--request', 'DELETE', '--url', `${stack.baseUrl}/api/v1/${id}`, '--header', `Authorization: ${auth}`),
    );
    assert.equal(deleted.id, id);
    cgiError(await api().get(`/api/v1/${id}`).set('Authorization', auth), 404, /not found/i);
  });

  test("the spec's python requests snippets work unchanged but for URL and credentials", async () => {
    const base = `${stack.baseUrl}/api/v1`;
    const [email, token] = auth.split(' ');
    const script = `
import json, sys, time, requests
base, email, token = sys.argv[1], sys.argv[2], sys.argv[3]
headers = {'Authorization': email + ' ' + token}
payload = {'cancer_type': 'HEMATO', 'title': 'Title of the run'}
r = requests.post(base, headers=headers, files={'mutations': open('mutations.tsv', 'rb'), 'translocations': open('translocations.tsv', 'rb')}, data=payload)
job_id = r.json()
r = requests.get(base, headers=headers)
ids = r.json()
while True:
    r = requests.get(base + '/' + job_id, headers=headers)
    if r.json()['status'] != 'Running':
        break
    time.sleep(0.2)
info = r.json()
r = requests.get(base + '/' + job_id, headers=headers, params={'action': 'logs'})
logs = r.json()
r = requests.get(base + '/' + job_id, headers=headers, params={'action': 'download'})
with open('file2.zip', 'wb') as fd:
    fd.write(r._content)
import zipfile
names = sorted(zipfile.ZipFile('file2.zip').namelist())
r = requests.delete(base + '/' + job_id, headers=headers)
deleted = r.json()
print(json.dumps({'id': job_id, 'listed': job_id in ids, 'info': info, 'done': 'Analysis done' in ''.join(logs['logs']), 'names': names, 'deleted': deleted}))
`;
    const result = JSON.parse(await python(script, base, email, token));
    assert.match(result.id, /^[0-9a-f]{20}$/);
    assert.equal(result.listed, true);
    assert.equal(result.info.status, 'Done');
    assert.equal(result.info.metadata.cancertype, 'HEMATO');
    assert.equal(result.done, true);
    assert.deepEqual(result.names, ['alterations.tsv', 'biomarkers.tsv', 'input01.tsv', 'input02.tsv', 'summary.txt']);
    assert.equal(result.deleted.id, result.id);
  });

  test('bad launches get CGI errors naming the problem; other users see a 404; a wrong token is refused', async () => {
    const launch = (fields: Record<string, string>, files: Record<string, string> = { mutations: MUTATIONS }) => {
      let req = api().post('/api/v1').set('Authorization', auth);
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      for (const [k, v] of Object.entries(files)) req = req.attach(k, Buffer.from(v), `${k}.tsv`);
      return req;
    };
    cgiError(await launch({}), 400, /cancer_type is required/);
    cgiError(await launch({ cancer_type: 'NOT_A_TYPE' }), 400, /not one of CGI's cancer types/);
    cgiError(await launch({ cancer_type: 'CM', reference: 'hg18' }), 400, /reference must be hg19 or hg38/);
    cgiError(await launch({ cancer_type: 'CM' }, {}), 400, /At least one of the files/);
    cgiError(
      await launch({ cancer_type: 'CM' }, { mutations: 'protein\nBRAF:p.V600E\nBRAF:V600E;rm -rf\n' }),
      400,
      /^mutations, line 3: /,
    );
    cgiError(await launch({ cancer_type: 'CM' }, { cnas: 'gene\tcna\nERBB2\tBIG\n' }), 400, /^cnas, line 2: /);
    cgiError(await launch({ cancer_type: 'CM' }, { secrets: 'x' }), 400, /Unknown file/);
    cgiError(
      await api().post('/api/v1').set('Authorization', auth).send({ cancer_type: 'CM' }),
      400,
      /multipart\/form-data/,
    );
    const id = (await launch({ cancer_type: 'CM' })).body as string;
    cgiError(await api().get(`/api/v1/${id}`).set('Authorization', other), 404, /not found/i);
    cgiError(await api().delete(`/api/v1/${id}`).set('Authorization', other), 404, /not found/i);
    cgiError(await api().get('/api/v1/../../etc/passwd').set('Authorization', auth), 404, /not found/i);
    assert.deepEqual((await api().get('/api/v1').set('Authorization', other)).body, []);
    const wrong = await api().get('/api/v1').set('Authorization', 'ada@example.org not-the-token');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error_code, 401);
    await waitDone(id);
    assert.equal((await api().delete(`/api/v1/${id}`).set('Authorization', auth)).status, 200);
  });
});
