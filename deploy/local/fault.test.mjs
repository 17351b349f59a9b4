// The fault test: the whole stack (every service and the gateway, each its own process) run by the supervisor that
// `npm start` runs (deploy/local/supervisor.mjs), isolated from any other stack (its own subject prefix, databases
// and buckets: libs/testing's stackEnvironment), under light load from every family. Each process in turn is killed
// with SIGKILL. The clients of that moment get a 503 or their answer, never a hang (each request is bounded at 8 s,
// under the gateway's 10 s RPC_TIMEOUT_MS) and never a failure of a family whose services are alive; the supervisor
// restarts the process and its routes answer again within 5 s of the kill; an A_A job running when its worker was
// killed completes exactly once.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { JobSubjects } from '@helixgate/contracts';
import { RpcClient } from '@helixgate/platform';
import { freePort, stackEnvironment } from '@helixgate/testing';
import { connect } from 'nats';
import { Supervisor } from './supervisor.mjs';
import { root } from './workspace.mjs';

const SHARED = join(root, '..', 'shared', 'data');
const SEPI = 'pubmlst_sepidermidis_seqdef';
const GENOME = readFileSync(join(SHARED, 'genomes', 'example.fna'), 'utf8');
const SERVICES = ['auth', 'results-import', 'typing-db', 'jobs', 'jobs-worker', 'submissions'];
const PASSWORD = 'correct horse battery staple';
const EMAIL = 'fault@example.org';
/** No request may take longer: the gateway's own timeout (RPC_TIMEOUT_MS, 10 s) is what a hang looked like. */
const REQUEST_BOUND_MS = 8_000;
/** The killed process's routes answer again within this of the kill. */
const RECOVERY_MS = 5_000;
const JOBS_YAML = `
- name: slow
  steps:
    - order: 1
      task: { kind: builtin, name: wait, builtin: sleep, parameters: [{ name: seconds }] }
`;

describe('faults: each process killed in turn under load, supervised as by npm start', () => {
  let stack;
  let supervisor;
  let nats;
  let rpc;
  let base;
  let canary;
  let cgiAuth;
  let dir;
  const logLines = [];
  const outputs = new Map();
  const basic = `Basic ${Buffer.from(`${EMAIL}:${PASSWORD}`).toString('base64')}`;

  /** One request, bounded: its status, or why there was none ('hang' when the bound ran out). */
  const call = async (path, init = {}) => {
    try {
      const res = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(REQUEST_BOUND_MS) });
      const text = await res.text();
      return { status: res.status, text: text.slice(0, 300) };
    } catch (error) {
      return { error: error.name === 'TimeoutError' ? 'hang' : `network: ${error.cause?.code ?? error.message}` };
    }
  };
  /** The light load: a request a few times a second per family, each naming the services it needs. */
  const probes = [
    { family: 'accounts', needs: ['auth'], run: () => call('/auth/tokens', { headers: { Authorization: basic } }) },
    { family: 'pATLAS', needs: ['results-import'], run: () => call(`/results?query=${canary}&format=json`) },
    { family: 'BIGSdb', needs: ['typing-db'], run: () => call(`/db/${SEPI}/loci`) },
    { family: 'CGI', needs: ['auth', 'jobs'], run: () => call('/api/v1', { headers: { Authorization: cgiAuth } }) },
    { family: 'A_A', needs: ['submissions', 'jobs'], run: () => call('/analytics_automated/endpoints.json') },
  ];
  const records = [];
  let loading = false;
  const loops = [];
  const ok = (result) => result.status >= 200 && result.status < 300;
  const describeRecord = (r) =>
    `${r.family} at +${r.startedAt - r.phaseStart} ms: ${r.error ?? `${r.status} ${r.text}`}`;

  const startService = (name, opsPort, env) => {
    supervisor.start(name, {
      script: join(root, 'services', name, 'dist', 'src', 'main.js'),
      cwd: root,
      env: { ...process.env, ...env },
      opsPort,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: false,
    });
  };

  before(async () => {
    stack = await stackEnvironment({
      'jobs-worker': { JOBS_ACK_WAIT_SECONDS: '3' },
      submissions: { AA_SYNC_INTERVAL_SECONDS: '1' },
    });
    supervisor = new Supervisor({ log: (line) => logLines.push(`${new Date().toISOString()} ${line}`) });
    supervisor.on('start', (name, child) => {
      const keep = (chunk) => outputs.set(name, ((outputs.get(name) ?? '') + chunk).slice(-20_000));
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
    });
    for (const name of SERVICES) startService(name, await freePort(), stack.envOf(name));
    for (const name of SERVICES) await supervisor.waitReady(name);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    startService('gateway', await freePort(), stack.gatewayEnv(port));
    await supervisor.waitReady('gateway');

    await stack.cli('typing-db', [
      'import-scheme',
      '--database',
      SEPI,
      '--dir',
      join(SHARED, 'pubmlst', 'sepidermidis'),
      '--group',
      'sepidermidis',
    ]);
    dir = mkdtempSync(join(tmpdir(), 'fault-'));
    writeFileSync(join(dir, 'jobs.yaml'), JOBS_YAML);
    await stack.cli('jobs', ['load-definitions', '--file', join(dir, 'jobs.yaml')]);
    await stack.cli('auth', [
      'create-account',
      '--email',
      EMAIL,
      '--first-name',
      'Fault',
      '--surname',
      'Test',
      '--password',
      PASSWORD,
    ]);
    const token = await fetch(`${base}/auth/tokens`, {
      method: 'POST',
      headers: { Authorization: basic, 'Content-Type': 'application/json' },
      body: '{"label":"cgi"}',
    });
    assert.equal(token.status, 201);
    cgiAuth = `${EMAIL} ${(await token.json()).token}`;
    const link = await (
      await fetch(`${base}/results/`, {
        method: 'POST',
        body: JSON.stringify({ type: 'mapping', samples: { canary: { NC_1: 0.9 } } }),
      })
    ).text();
    canary = /query=(\d+)/.exec(link)?.[1];
    assert.ok(canary, link);
    for (const probe of probes) assert.ok(ok(await probe.run()), `${probe.family} answers before any kill`);

    nats = await connect({ servers: stack.env.NATS_URL });
    rpc = new RpcClient(nats, { timeoutMs: 10_000, subjectPrefix: stack.env.NATS_SUBJECT_PREFIX });
    loading = true;
    for (const probe of probes) {
      loops.push(
        (async () => {
          while (loading) {
            const record = { family: probe.family, needs: probe.needs, startedAt: Date.now() };
            record.done = probe.run().then((result) => Object.assign(record, result));
            records.push(record);
            await record.done;
            await sleep(250);
          }
        })(),
      );
    }
  });

  after(async () => {
    loading = false;
    await Promise.all(loops);
    await nats?.close();
    await supervisor?.stop();
    await stack?.dispose(SERVICES);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const diagnostics = (name) =>
    `\nsupervisor:\n${logLines.join('\n')}\n${name} output (tail):\n${(outputs.get(name) ?? '').slice(-3000)}`;

  /** The routes of a service answer (for jobs-worker, which has none, its readiness). */
  const serves = async (name) => {
    if (name === 'jobs-worker')
      return supervisor.waitReady(name, 100).then(
        () => true,
        () => false,
      );
    const mine = probes.filter((p) => name === 'gateway' || p.needs.includes(name));
    return (await Promise.all(mine.map((p) => p.run()))).every(ok);
  };

  /** SIGKILLs the process, checks it came back within RECOVERY_MS, and checks every client of that time. */
  const killInTurn = async (name, inFlight = () => [], killAfterMs = 300) => {
    const phaseStart = Date.now();
    const victim = supervisor.child(name);
    assert.ok(victim?.pid, `${name} runs`);
    const extra = inFlight();
    await sleep(killAfterMs);
    const killedAt = Date.now();
    process.kill(victim.pid, 'SIGKILL');
    let back = false;
    while (!back && Date.now() - killedAt < RECOVERY_MS) {
      back = (supervisor.child(name)?.pid ?? victim.pid) !== victim.pid && (await serves(name));
      if (!back) await sleep(100);
    }
    const recoveredMs = Date.now() - killedAt;
    assert.ok(
      back && recoveredMs <= RECOVERY_MS,
      `${name}'s routes answer again within ${RECOVERY_MS} ms of the kill${diagnostics(name)}`,
    );
    assert.equal(supervisor.restarts(name), 1, `the supervisor restarted ${name} once`);
    await sleep(1_000); // the load goes on past the recovery
    const phaseEnd = Date.now();
    const during = records.filter((r) => r.startedAt >= phaseStart && r.startedAt < phaseEnd);
    await Promise.all(during.map((r) => r.done));
    during.forEach((r) => (r.phaseStart = phaseStart));
    const inFlightResults = (await Promise.all(extra)).map((r) => ({
      ...r,
      family: 'typing',
      needs: ['typing-db'],
      startedAt: killedAt,
      phaseStart,
    }));
    for (const r of [...during, ...inFlightResults]) {
      assert.notEqual(r.error, 'hang', `no client hangs when ${name} dies: ${describeRecord(r)}`);
      if (name !== 'gateway' && !r.needs.includes(name)) {
        assert.ok(ok(r), `${r.family} needs no ${name}: it serves on: ${describeRecord(r)}`);
      } else if (!ok(r)) {
        // A dead gateway cannot answer at all: its clients see the connection refused or reset, at once.
        if (name === 'gateway') assert.match(r.error ?? String(r.status), /^network: |^503$/, describeRecord(r));
        else assert.equal(r.status, 503, `the clients of a dead ${name} get a 503: ${describeRecord(r)}`);
      }
    }
    const inFlightOutcomes = inFlightResults.map(
      (r) => r.error ?? (ok(r) ? r.status : `${r.status} ${/"message":"([^"]*)/.exec(r.text)?.[1] ?? r.text}`),
    );
    return {
      recoveredMs,
      refused: during.filter((r) => !ok(r)).length,
      requests: during.length,
      ...(extra.length ? { inFlightOutcomes } : {}),
    };
  };

  test('SIGKILL of each process in turn: a 503 or the answer, never a hang, back within 5 s; a running job completes once', async () => {
    const report = {};
    report.auth = await killInTurn('auth');
    report['results-import'] = await killInTurn('results-import');
    // The case that was seen: three genomes being typed when typing-db dies.
    const typing = () =>
      Array.from({ length: 3 }, () =>
        call(`/db/${SEPI}/schemes/1/sequence`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ sequence: GENOME }),
        }),
      );
    // Killed halfway through the typing: how long three take here, measured first.
    const started = Date.now();
    for (const typed of await Promise.all(typing())) assert.equal(typed.status, 200, JSON.stringify(typed));
    const typingMs = Date.now() - started;
    report['typing-db'] = { typingMs, ...(await killInTurn('typing-db', typing, Math.max(300, typingMs / 2))) };

    // An A_A job that is running while jobs and then its worker are killed.
    const form = new FormData();
    for (const [key, value] of Object.entries({
      job: 'slow',
      submission_name: 'fault',
      email: EMAIL,
      wait_seconds: '20',
    }))
      form.set(key, value);
    form.set('input_data', new Blob(['']), 'x.txt');
    const submitted = await fetch(`${base}/analytics_automated/submission.json`, { method: 'POST', body: form });
    assert.equal(submitted.status, 201, await submitted.clone().text());
    const batch = (await submitted.json()).UUID;
    const runId = await (async () => {
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(200)) {
        const [submission] =
          (await (await fetch(`${base}/analytics_automated/submission/${batch}.json`)).json()).submissions ?? [];
        const logs = submission
          ? await rpc.request(JobSubjects.getLogs, { runId: submission.UUID }).catch(() => ({ lines: [] }))
          : { lines: [] };
        if (logs.lines.some((line) => / attempt 1 on /.test(line))) return submission.UUID;
      }
      assert.fail('the A_A job did not start');
    })();
    report.jobs = await killInTurn('jobs');
    const before = await rpc.request(JobSubjects.getRun, { runId });
    assert.equal(before.state, 'Running', 'the job still runs when its worker is killed');
    report['jobs-worker'] = await killInTurn('jobs-worker');
    report.submissions = await killInTurn('submissions');
    report.gateway = await killInTurn('gateway');
    loading = false;

    let run;
    for (
      const deadline = Date.now() + 60_000;
      Date.now() < deadline && !['Complete', 'Error'].includes(run?.state);
      await sleep(250)
    ) {
      run = await rpc.request(JobSubjects.getRun, { runId });
    }
    assert.equal(run?.state, 'Complete', run?.message);
    const { lines } = await rpc.request(JobSubjects.getLogs, { runId });
    assert.equal(
      lines.filter((l) => / attempt \d+ on /.test(l)).length,
      2,
      `started by the killed worker, then by its restart:\n${lines.join('\n')}`,
    );
    assert.equal(lines.filter((l) => /Complete: /.test(l)).length, 1, `completed exactly once:\n${lines.join('\n')}`);
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(250)) {
      if ((await (await fetch(`${base}/analytics_automated/submission/${batch}.json`)).json()).state === 'Complete')
        break;
    }
    assert.equal(
      (await (await fetch(`${base}/analytics_automated/submission/${batch}.json`)).json()).state,
      'Complete',
    );
    console.log(`fault test: ${JSON.stringify(report)}`);
  });
});
