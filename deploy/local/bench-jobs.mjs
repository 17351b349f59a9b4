#!/usr/bin/env node
// `npm run bench:jobs`: what the job engine itself costs — services/jobs (definitions and runs, over NATS
// request/reply, kept in the MongoDB-compatible server) and services/jobs-worker (runs taken from the JetStream
// work queue) — on a job that does nothing: one step, the built-in task `noop`. Whatever a run takes here is
// the engine's overhead: the submission (definition read, insert, per-owner count, publish), the worker
// noticing the message, startRun (one write), the run directory, finishRun with the log's lines (one write), the
// ended event, the acknowledgement. A
// benchmark to read, not a test: it exits non-zero when a run ends in Error or does not end in time, never on
// a slow number.
//
// It builds (tsc -b services/jobs services/jobs-worker services/gateway), starts an isolated stack (libs/testing
// startStack: jobs, one jobs-worker and the gateway as real processes, their own databases, NATS subject prefix
// and work-queue stream), loads the definition with the same admin command a user runs, warms up, and measures
// first with the stack's one worker, then with two (one more jobs-worker process on the same queue). Each worker
// takes one run at a time (JOBS_WORKER_CONCURRENCY=1, the default). For each:
//   sequential  BENCH_SEQUENTIAL_RUNS runs one after the other: submit, then wait for the jobs service's ended
//               event (runEndedSubject, published once the outcome is stored: no polling). "client" is submit sent →
//               ended heard; "server" is the run's own createdAt → finishedAt (read afterwards), split into the
//               queue (createdAt → startedAt: publish, the worker noticing, startRun) and the run (startedAt →
//               finishedAt: run directory, noop, log flush, finishRun). The timestamps are the jobs service's
//               clock, to the millisecond.
//   batch       BENCH_RUNS runs submitted as fast as the jobs service accepts them (BENCH_SUBMIT_CONCURRENCY
//               requests in flight; JOBS_MAX_UNFINISHED_PER_OWNER raised so none is refused), then waited for by
//               their ended events, then read with one listRuns. Runs per second = runs / (first submit sent → the last
//               finishedAt); submit/s is how fast the submissions alone were answered. The batch's created →
//               finished percentiles are mostly time spent waiting in the queue behind the others.
// The reference rows give the numbers a scale: the NATS server's PING/PONG (nc.rtt()), a bare request/reply
// to a responder in this process on the same server (what any RPC costs at least), jobs' getRun (the
// Nest microservice plus one read by id from the database), and one write by _id straight to the database (the
// unit a run's state changes are made of). The ratios divide run latency by them. The targets of issue 16 (2
// workers: ≥ 200 runs/s, submit → Complete p50 ≤ 20 ms) are printed last, beside the figures and references.
//
// Every process (this client, jobs, the workers, the gateway, NATS, FerretDB and its PostgreSQL) shares this
// machine's CPUs; compare ratios between machines rather than raw numbers.
//
// Environment: BENCH_RUNS (200 per batch), BENCH_SEQUENTIAL_RUNS (50), BENCH_SUBMIT_CONCURRENCY (8),
// BENCH_LOG_LEVEL (warn: the services' per-run info lines would be piped into this process),
// BENCH_SKIP_BUILD=1 (use the dist/ folders as they are), BENCH_STOP_INFRA=1 (stop NATS/FerretDB if this run
// started them; by default they stay up, shared, as after `npm test`).
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './workspace.mjs';
import { benchStack, percentileOfSorted } from './bench-support.mjs';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 200));
const SEQUENTIAL_RUNS = Math.max(1, Number(process.env.BENCH_SEQUENTIAL_RUNS ?? 50));
const SUBMIT_CONCURRENCY = Math.max(1, Number(process.env.BENCH_SUBMIT_CONCURRENCY ?? 8));
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const WARMUP_RUNS = 5;
const REFERENCE_SAMPLES = 300;
const RUN_TIMEOUT_MS = 30_000; // a sequential run not ended by then has timed out
const BATCH_TIMEOUT_MS = 120_000 + RUNS * 500; // a batch not ended by then has timed out
const JOB = 'bench-noop';
/** Issue 16's targets, with 2 workers. */
const TARGET_RUNS_PER_SECOND = 200;
const TARGET_P50_MS = 20;
const DEFINITIONS = `
- name: ${JOB}
  description: does nothing; the job engine's own overhead (deploy/local/bench-jobs.mjs)
  steps:
    - order: 1
      task: { kind: builtin, name: nothing, builtin: noop }
`;
const begun = performance.now();
const say = (message) => console.error(`bench: ${message}`);

if (process.env.BENCH_SKIP_BUILD !== '1') {
  say('building services/jobs, services/jobs-worker and services/gateway (tsc -b)…');
  const built = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'services/jobs', 'services/jobs-worker', 'services/gateway'],
    { cwd: root, stdio: 'inherit' },
  );
  if (built.status !== 0) {
    say(`the build failed (exit ${built.status ?? built.signal})`);
    process.exit(1);
  }
}
const require = createRequire(import.meta.url);
const { startStack, startServiceProcess } = require(join(root, 'libs/testing/dist/src/index.js'));
const { RpcClient } = require(join(root, 'libs/platform/dist/src/index.js'));
const { JobSubjects, runEndedSubject } = require(join(root, 'libs/contracts/dist/src/index.js'));
const { connect } = require('nats');

let stack;
let nats;
let dir;
const extraWorkers = [];
/** Stops the extra worker and the stack's processes, drops its databases and streams (also on Ctrl-C and errors), then exits. */
const lifecycle = benchStack(root, say, {
  before: async () => {
    for (const worker of extraWorkers)
      await worker.stop('SIGTERM').catch((error) => say(`stopping the extra worker: ${error.message}`));
    await nats?.drain().catch(() => undefined);
  },
  after: () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
});
const { shutdown } = lifecycle;

const percentile = (values, p) =>
  values.length
    ? percentileOfSorted(
        [...values].sort((a, b) => a - b),
        p,
      )
    : NaN;
const stats = (values) => ({
  p50: percentile(values, 0.5),
  p99: percentile(values, 0.99),
  max: values.length ? Math.max(...values) : NaN,
  n: values.length,
});
const ms = (n) => (!Number.isFinite(n) ? '-' : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
const time = (iso) => Date.parse(iso);

/** Runs that ended in Error, or did not end in time; any makes the exit status 1. */
const failures = [];

/** The reference round trips: p50/p99 in ms of `samples` sequential calls of `call`, after a few unmeasured ones. */
async function roundTrips(call, samples = REFERENCE_SAMPLES) {
  for (let i = 0; i < 20; i++) await call();
  const latencies = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await call();
    latencies.push(performance.now() - started);
  }
  return stats(latencies);
}

let rpc;
const submit = (owner, id) => rpc.request(JobSubjects.submitRun, { job: JOB, owner, ...(id ? { id } : {}) });

/** The jobs service's ended events, by run: heard ones, and the waiters of ones not heard yet. */
const ended = new Map();
const waiters = new Map();
function listenForEnds() {
  const subscription = nats.subscribe(runEndedSubject(stack.env.NATS_SUBJECT_PREFIX), {
    callback: (error, message) => {
      if (error) return;
      const event = JSON.parse(message.string());
      const at = performance.now();
      const waiter = waiters.get(event.runId);
      if (waiter) {
        waiters.delete(event.runId);
        waiter({ ...event, at });
      } else ended.set(event.runId, { ...event, at });
    },
  });
  return subscription;
}
/** Resolves with the run's ended event ({ state, at: performance.now() when heard }), or undefined after timeoutMs. */
function endOf(runId, timeoutMs) {
  const heard = ended.get(runId);
  if (heard) {
    ended.delete(runId);
    return Promise.resolve(heard);
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiters.delete(runId);
      resolve(undefined);
    }, timeoutMs);
    waiters.set(runId, (event) => {
      clearTimeout(timer);
      resolve(event);
    });
  });
}

/** One run on its own: submitted (with an id of this client's, so its end is awaited before the reply), then its end heard. */
async function single(owner) {
  const id = randomUUID();
  const sent = performance.now();
  const end = endOf(id, RUN_TIMEOUT_MS);
  await submit(owner, id);
  const event = await end;
  if (!event) {
    failures.push(`run ${id} not ended after ${RUN_TIMEOUT_MS / 1000} s`);
    return undefined;
  }
  const run = await rpc.request(JobSubjects.getRun, { runId: id });
  if (run.state !== 'Complete') failures.push(`run ${run.id} ended in ${run.state}: ${run.message}`);
  return {
    client: event.at - sent,
    server: time(run.finishedAt) - time(run.createdAt),
    queue: time(run.startedAt ?? run.finishedAt) - time(run.createdAt),
    run: time(run.finishedAt) - time(run.startedAt ?? run.finishedAt),
  };
}

async function sequential(owner) {
  const results = [];
  for (let i = 0; i < SEQUENTIAL_RUNS; i++) {
    const result = await single(owner);
    if (!result) break;
    results.push(result);
  }
  const of = (key) => stats(results.map((r) => r[key]));
  return { n: results.length, client: of('client'), server: of('server'), queue: of('queue'), run: of('run') };
}

/** Which worker took each run, from the "attempt 1 on <worker>" line of its log. */
async function workersOf(runs) {
  const counts = new Map();
  for (const run of runs) {
    const { lines } = await rpc.request(JobSubjects.getLogs, { runId: run.id });
    const workers = lines.map((l) => / attempt \d+ on (\S+)$/.exec(l)?.[1]).filter(Boolean);
    for (const worker of workers) counts.set(worker, (counts.get(worker) ?? 0) + 1);
  }
  return [...counts.values()].sort((a, b) => b - a);
}

/** RUNS runs submitted as fast as they are accepted, then waited for (their ended events), then read once. */
async function batch(owner) {
  const ids = Array.from({ length: RUNS }, () => randomUUID());
  const ends = ids.map((id) => endOf(id, BATCH_TIMEOUT_MS));
  const firstSent = Date.now();
  const sendStarted = performance.now();
  let next = 0;
  const submitter = async () => {
    while (next < RUNS) {
      next += 1;
      await submit(owner, ids[next - 1]);
    }
  };
  await Promise.all(Array.from({ length: SUBMIT_CONCURRENCY }, submitter));
  const submitSeconds = (performance.now() - sendStarted) / 1000;
  const unheard = (await Promise.all(ends)).filter((event) => !event).length;
  if (unheard)
    failures.push(
      `batch of ${owner}: ${unheard} of ${RUNS} runs not ended after ${(BATCH_TIMEOUT_MS / 1000).toFixed(0)} s`,
    );
  const runs = await rpc.request(JobSubjects.listRuns, { owner, job: JOB });
  for (const run of runs.filter((r) => r.state === 'Error'))
    failures.push(`run ${run.id} ended in Error: ${run.message}`);
  const finished = runs.filter((r) => r.finishedAt);
  const lastFinished = Math.max(...finished.map((r) => time(r.finishedAt)));
  const seconds = (lastFinished - firstSent) / 1000;
  return {
    runs: finished.length,
    seconds,
    rps: finished.length / seconds,
    submitRps: RUNS / submitSeconds,
    latency: stats(finished.map((r) => time(r.finishedAt) - time(r.createdAt))),
    queue: stats(finished.map((r) => time(r.startedAt ?? r.finishedAt) - time(r.createdAt))),
    perWorker: await workersOf(finished),
  };
}

try {
  say('starting an isolated stack (jobs, jobs-worker, gateway; NATS and FerretDB found or started by infra.sh)…');
  const serviceEnv = { LOG_LEVEL };
  stack = await lifecycle.start(
    startStack(['jobs', 'jobs-worker'], {
      jobs: { ...serviceEnv, JOBS_MAX_UNFINISHED_PER_OWNER: String(Math.max(100, RUNS * 2)) },
      'jobs-worker': serviceEnv,
      gateway: serviceEnv,
    }),
  );
  dir = mkdtempSync(join(tmpdir(), 'bench-jobs-'));
  writeFileSync(join(dir, 'jobs.yaml'), DEFINITIONS);
  const loaded = await stack.cli('jobs', ['load-definitions', '--file', join(dir, 'jobs.yaml')]);
  say(`definitions loaded: ${JSON.stringify(loaded)}`);

  nats = await connect({ servers: stack.env.NATS_URL });
  rpc = new RpcClient(nats, { timeoutMs: 30_000, subjectPrefix: stack.env.NATS_SUBJECT_PREFIX });
  listenForEnds();
  await nats.flush(); // the server knows of the subscription before the first run ends

  say(`${WARMUP_RUNS} warm-up runs…`);
  for (let i = 0; i < WARMUP_RUNS; i++) await single('warm-up@example.org');
  if (failures.length) throw new Error(`the warm-up runs failed: ${failures.join('; ')}`);

  say(`reference round trips (${REFERENCE_SAMPLES} each)…`);
  const echoSubject = `${stack.env.NATS_SUBJECT_PREFIX}.bench.echo`;
  const echo = nats.subscribe(echoSubject, { callback: (_error, message) => message.respond(message.data) });
  const payload = new TextEncoder().encode(JSON.stringify({ runId: '00000000-0000-0000-0000-000000000000' }));
  const [anyRun] = await rpc.request(JobSubjects.listRuns, { owner: 'warm-up@example.org' });
  const references = [
    { name: 'NATS PING/PONG (nc.rtt)', ...(await roundTrips(() => nats.rtt())) },
    {
      name: 'NATS request/reply, echo in this process',
      ...(await roundTrips(() => nats.request(echoSubject, payload, { timeout: 5000 }))),
    },
    {
      name: 'jobs getRun RPC (Nest + one DB read)',
      ...(await roundTrips(() => rpc.request(JobSubjects.getRun, { runId: anyRun.id }))),
    },
    {
      name: 'one write by _id, straight to the database',
      ...(await stack.database('jobs', (db) =>
        roundTrips(() =>
          db.collection('bench_writes').updateOne({ _id: 'bench' }, { $inc: { writes: 1 } }, { upsert: true }),
        ),
      )),
    },
  ];
  echo.unsubscribe();
  const [, rawRpc, getRun, dbWrite] = references;

  const results = [];
  for (const workers of [1, 2]) {
    if (workers === 2) {
      say('starting a second jobs-worker process…');
      extraWorkers.push(await startServiceProcess('jobs-worker', stack.envOf('jobs-worker')));
      for (let i = 0; i < WARMUP_RUNS; i++) await single('warm-up@example.org');
    }
    say(`${workers} worker${workers > 1 ? 's' : ''}: ${SEQUENTIAL_RUNS} sequential runs…`);
    const seq = await sequential(`sequential-${workers}@example.org`);
    say(`${workers} worker${workers > 1 ? 's' : ''}: a batch of ${RUNS} runs…`);
    const bat = await batch(`batch-${workers}@example.org`);
    results.push({ workers, seq, bat });
  }

  const table = (widths, header, rows) => {
    const row = (cells) =>
      cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' ');
    console.log(row(header));
    console.log('-'.repeat(widths.reduce((a, b) => a + b + 1, -1)));
    for (const r of rows) console.log(row(r));
  };
  console.log(`
Job engine overhead — job ${JOB}: one step, built-in task noop (does nothing)
stack: jobs, jobs-worker ×1 then ×2 (JOBS_WORKER_CONCURRENCY=1 each), gateway (idle); LOG_LEVEL=${LOG_LEVEL}
       client, services, NATS, FerretDB and PostgreSQL all share this machine's ${cpus().length} CPUs
`);
  console.log('reference round trips, sequential, ms');
  table(
    [42, 8, 8, 8],
    ['', 'p50', 'p99', 'max'],
    references.map((r) => [r.name, ms(r.p50), ms(r.p99), ms(r.max)]),
  );

  console.log(
    `\nsequential: ${SEQUENTIAL_RUNS} runs one after the other, ms (client: submit sent → ended event heard, no polling;`,
  );
  console.log('server: createdAt → finishedAt = queue (→ startedAt) + run (→ finishedAt))');
  table(
    [8, 13, 13, 13, 12, 12, 11, 11],
    ['workers', 'client p50', 'client p99', 'server p50', 'server p99', 'queue p50', 'run p50', 'runs'],
    results.map(({ workers, seq }) => [
      workers,
      ms(seq.client.p50),
      ms(seq.client.p99),
      ms(seq.server.p50),
      ms(seq.server.p99),
      ms(seq.queue.p50),
      ms(seq.run.p50),
      seq.n,
    ]),
  );
  console.log(
    `  ratios of the client p50 to the references: ${results.map(({ workers, seq }) => `${workers} worker${workers > 1 ? 's' : ''}: ${(seq.client.p50 / getRun.p50).toFixed(0)}× a getRun, ${(seq.client.p50 / rawRpc.p50).toFixed(0)}× a bare NATS request`).join('; ')}`,
  );

  console.log(
    `\nbatch: ${RUNS} runs submitted ${SUBMIT_CONCURRENCY} at a time (runs/s = runs / first submit → last finishedAt; latency = createdAt → finishedAt, ms)`,
  );
  table(
    [8, 9, 10, 10, 13, 13, 11, 10, 14],
    ['workers', 'runs/s', 'submit/s', 'wall s', 'latency p50', 'latency p99', 'queue p50', 'ended', 'runs/worker'],
    results.map(({ workers, bat }) => [
      workers,
      bat.rps.toFixed(1),
      bat.submitRps.toFixed(0),
      bat.seconds.toFixed(2),
      ms(bat.latency.p50),
      ms(bat.latency.p99),
      ms(bat.queue.p50),
      bat.runs,
      bat.perWorker.join('/'),
    ]),
  );
  const [one, two] = results;
  console.log(
    `  2 workers / 1 worker: ${(two.bat.rps / one.bat.rps).toFixed(2)}× the runs per second; one run's engine time at 1 worker ≈ ${(1000 / one.bat.rps).toFixed(1)} ms (${(1000 / one.bat.rps / getRun.p50).toFixed(0)}× a getRun)`,
  );
  const pass = (ok) => (ok ? 'met' : 'NOT met');
  console.log(
    `\nissue 16 targets, 2 workers (references measured in this run: getRun p50 ${ms(getRun.p50)} ms, one database write by _id p50 ${ms(dbWrite.p50)} ms, bare NATS request p50 ${ms(rawRpc.p50)} ms)`,
  );
  table(
    [36, 10, 10, 8, 44],
    ['', 'target', 'measured', '', 'same run, for scale'],
    [
      [
        'runs/s, batch of ' + RUNS,
        `≥ ${TARGET_RUNS_PER_SECOND}`,
        two.bat.rps.toFixed(1),
        pass(two.bat.rps >= TARGET_RUNS_PER_SECOND),
        `1 worker ${one.bat.rps.toFixed(1)}; ${(1000 / two.bat.rps / dbWrite.p50).toFixed(1)} database writes' time per run`,
      ],
      [
        'submit → Complete p50, ms (sequential)',
        `≤ ${TARGET_P50_MS}`,
        ms(two.seq.client.p50),
        pass(two.seq.client.p50 <= TARGET_P50_MS),
        `${(two.seq.client.p50 / getRun.p50).toFixed(1)}× a getRun, ${(two.seq.client.p50 / dbWrite.p50).toFixed(1)}× a database write`,
      ],
    ],
  );
  console.log(
    `\ntotal wall time ${((performance.now() - begun) / 1000).toFixed(0)} s (build, stack start, warm-up, measurements)\n`,
  );
  if (failures.length) for (const failure of failures.slice(0, 20)) say(failure);
  await shutdown(failures.length ? 1 : 0);
} catch (error) {
  say(error.stack ?? String(error));
  if (failures.length) for (const failure of failures.slice(0, 20)) say(failure);
  await shutdown(1);
}
