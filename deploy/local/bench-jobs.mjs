#!/usr/bin/env node
// `npm run bench:jobs`: what the job engine itself costs — services/jobs (definitions and runs, over NATS
// request/reply, kept in the MongoDB-compatible server) and services/jobs-worker (runs taken from the JetStream
// work queue) — on a job that does nothing: one step, the built-in task `noop`. Whatever a run takes here is
// the engine's overhead: the submission (definition read, per-owner count, insert, publish), the worker
// noticing the message, startRun, the run directory, the log flush, finishRun, the acknowledgement. A
// benchmark to read, not a test: it exits non-zero when a run ends in Error or does not end in time, never on
// a slow number.
//
// It builds (tsc -b services/jobs services/jobs-worker services/gateway), starts an isolated stack (libs/testing
// startStack: jobs, one jobs-worker and the gateway as real processes, their own databases, NATS subject prefix
// and work-queue stream), loads the definition with the same admin command a user runs, warms up, and measures
// first with the stack's one worker, then with two (one more jobs-worker process on the same queue). Each worker
// takes one run at a time (JOBS_WORKER_CONCURRENCY=1, the default). For each:
//   sequential  BENCH_SEQUENTIAL_RUNS runs one after the other: submit, then getRun every POLL_MS until the run
//               has ended. "client" is submit-sent to Complete-seen (so it includes up to POLL_MS of polling
//               and the getRun round trip); "server" is the run's own createdAt → finishedAt, split into the
//               queue (createdAt → startedAt: publish, the worker noticing, startRun) and the run (startedAt →
//               finishedAt: run directory, noop, log flush, finishRun). The timestamps are the jobs service's
//               clock, to the millisecond.
//   batch       BENCH_RUNS runs submitted as fast as the jobs service accepts them (BENCH_SUBMIT_CONCURRENCY
//               requests in flight; JOBS_MAX_UNFINISHED_PER_OWNER raised so none is refused), then listRuns
//               every 200 ms until all have ended. Runs per second = runs / (first submit sent → the last
//               finishedAt); submit/s is how fast the submissions alone were answered. The batch's created →
//               finished percentiles are mostly time spent waiting in the queue behind the others.
// The reference rows give the numbers a scale: the NATS server's PING/PONG (nc.rtt()), a bare request/reply
// to a responder in this process on the same server (what any RPC costs at least), and jobs' getRun (the
// Nest microservice plus one read by id from the database). The ratios divide run latency by them.
//
// Every process (this client, jobs, the workers, the gateway, NATS, FerretDB and its PostgreSQL) shares this
// machine's CPUs; compare ratios between machines rather than raw numbers.
//
// Environment: BENCH_RUNS (200 per batch), BENCH_SEQUENTIAL_RUNS (50), BENCH_SUBMIT_CONCURRENCY (8),
// BENCH_LOG_LEVEL (warn: the services' per-run info lines would be piped into this process),
// BENCH_SKIP_BUILD=1 (use the dist/ folders as they are), BENCH_STOP_INFRA=1 (stop NATS/FerretDB if this run
// started them; by default they stay up, shared, as after `npm test`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { root } from './workspace.mjs';
import { benchStack, percentileOfSorted } from './bench-support.mjs';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 200));
const SEQUENTIAL_RUNS = Math.max(1, Number(process.env.BENCH_SEQUENTIAL_RUNS ?? 50));
const SUBMIT_CONCURRENCY = Math.max(1, Number(process.env.BENCH_SUBMIT_CONCURRENCY ?? 8));
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const WARMUP_RUNS = 5;
const REFERENCE_SAMPLES = 300;
const POLL_MS = 5; // sequential: getRun this often while waiting for a run
const BATCH_POLL_MS = 200; // batch: listRuns this often (its end time comes from finishedAt, not from the poll)
const RUN_TIMEOUT_MS = 30_000; // a sequential run not ended by then has timed out
const BATCH_TIMEOUT_MS = 120_000 + RUNS * 500; // a batch not ended by then has timed out
const JOB = 'bench-noop';
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
const { JobSubjects } = require(join(root, 'libs/contracts/dist/src/index.js'));
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
const submit = (owner) => rpc.request(JobSubjects.submitRun, { job: JOB, owner });

/** One run on its own: submitted, then polled until it has ended. Client and server latencies (ms). */
async function single(owner) {
  const sent = performance.now();
  const submitted = await submit(owner);
  const deadline = sent + RUN_TIMEOUT_MS;
  for (;;) {
    const run = await rpc.request(JobSubjects.getRun, { runId: submitted.id });
    if (run.state === 'Complete' || run.state === 'Error') {
      const seen = performance.now();
      if (run.state === 'Error') failures.push(`run ${run.id} ended in Error: ${run.message}`);
      return {
        client: seen - sent,
        server: time(run.finishedAt) - time(run.createdAt),
        queue: time(run.startedAt ?? run.finishedAt) - time(run.createdAt),
        run: time(run.finishedAt) - time(run.startedAt ?? run.finishedAt),
      };
    }
    if (performance.now() > deadline) {
      failures.push(`run ${run.id} still ${run.state} after ${RUN_TIMEOUT_MS / 1000} s`);
      return undefined;
    }
    await sleep(POLL_MS);
  }
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

/** RUNS runs submitted as fast as they are accepted, then waited for. */
async function batch(owner) {
  const firstSent = Date.now();
  const sendStarted = performance.now();
  let next = 0;
  const submitter = async () => {
    while (next < RUNS) {
      next += 1;
      await submit(owner);
    }
  };
  await Promise.all(Array.from({ length: SUBMIT_CONCURRENCY }, submitter));
  const submitSeconds = (performance.now() - sendStarted) / 1000;
  const deadline = performance.now() + BATCH_TIMEOUT_MS;
  let runs;
  for (;;) {
    runs = await rpc.request(JobSubjects.listRuns, { owner, job: JOB });
    const unfinished = runs.filter((r) => r.state !== 'Complete' && r.state !== 'Error');
    if (runs.length >= RUNS && !unfinished.length) break;
    if (performance.now() > deadline) {
      failures.push(
        `batch of ${owner}: ${unfinished.length} of ${RUNS} runs not ended after ${(BATCH_TIMEOUT_MS / 1000).toFixed(0)} s`,
      );
      break;
    }
    await sleep(BATCH_POLL_MS);
  }
  for (const run of runs.filter((r) => r.state === 'Error'))
    failures.push(`run ${run.id} ended in Error: ${run.message}`);
  const ended = runs.filter((r) => r.finishedAt);
  const lastFinished = Math.max(...ended.map((r) => time(r.finishedAt)));
  const seconds = (lastFinished - firstSent) / 1000;
  return {
    runs: ended.length,
    seconds,
    rps: ended.length / seconds,
    submitRps: RUNS / submitSeconds,
    latency: stats(ended.map((r) => time(r.finishedAt) - time(r.createdAt))),
    queue: stats(ended.map((r) => time(r.startedAt ?? r.finishedAt) - time(r.createdAt))),
    perWorker: await workersOf(ended),
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
  ];
  echo.unsubscribe();
  const [, rawRpc, getRun] = references;

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
    `\nsequential: ${SEQUENTIAL_RUNS} runs one after the other, ms (client: submit sent → Complete seen, getRun every ${POLL_MS} ms;`,
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
