#!/usr/bin/env node
// `npm run bench:bigsdb`: throughput and latency of the BIGSdb REST API as a client sees it — through the
// gateway, over NATS to typing-db, and from there to the MongoDB-compatible server (FerretDB) — on the real
// PubMLST Neisseria MLST scheme (9,565 alleles, 19,242 profiles). A benchmark to read, not a test: it fails
// on a wrong answer or an error under load, never on a slow number.
//
// It builds the workspace, starts an isolated stack (libs/testing startStack: the gateway and typing-db as
// real processes with their own databases and NATS subject prefix), imports the scheme with the same CLI a
// user runs, then for each target keeps BENCH_CONCURRENCY keep-alive connections busy (closed loop: each
// connection sends its next request when the last one is answered) for BENCH_DURATION_SECONDS after a
// warm-up, and prints requests per second and p50/p99 latency. Requests still in flight at the deadline are
// waited for and counted, so a target slower than the window runs longer than the window.
//
// Why the ratios: the gateway's own /healthz (its ops port, a bare node:http handler) is the ceiling of what
// this machine and this client can do at all. Dividing each target's rps and p50 by it takes the machine and
// the load generator out of the picture and leaves what the Express/Nest layer costs (the no-NATS route) and
// then what the NATS hop plus typing-db plus the database cost. Compare ratios between runs and machines
// rather than raw rps: every process here (the client included) shares this machine's CPUs.
//
// Environment: BENCH_DURATION_SECONDS (default 8), BENCH_WARMUP_SECONDS (2), BENCH_CONCURRENCY (100),
// BENCH_STRICT_CONCURRENCY=1 (slow targets too, see measure()), BENCH_CSV_RUNS (3 timed downloads of
// profiles_csv and of the largest locus's alleles_fasta, after one cold one; each prints its time to the first
// byte and its total beside the issue's targets), BENCH_EXPORTS_ONLY=1 (only the /healthz reference and the
// downloads), BENCH_LOG_LEVEL (warn: per-request access logs would be piped into this process and cost the
// client CPU), BENCH_RPC_TIMEOUT_MS (gateway RPC timeout, 120000; the gateway's default is 10000),
// BENCH_SKIP_BUILD=1 (use the dist/ folders as they are), BENCH_STOP_INFRA=1 (stop NATS/FerretDB if this run
// started them; by default they stay up, shared, as after `npm test`), HELIXGATE_SEED_DIR (the folder of
// PubMLST schemes, default ../shared/data/pubmlst, as for npm start).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { installAndBuild, root } from './workspace.mjs';
import { benchStack, percentileOfSorted } from './bench-support.mjs';

const DURATION_S = Number(process.env.BENCH_DURATION_SECONDS ?? 8);
const WARMUP_S = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
const STRICT = process.env.BENCH_STRICT_CONCURRENCY === '1';
const CSV_RUNS = Math.max(1, Number(process.env.BENCH_CSV_RUNS ?? 3));
const EXPORTS_ONLY = process.env.BENCH_EXPORTS_ONLY === '1'; // only the /healthz reference and the downloads
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const RPC_TIMEOUT_MS = Number(process.env.BENCH_RPC_TIMEOUT_MS ?? 120_000); // record pages can need more than 10 s cold
const DEFAULT_RPC_TIMEOUT_MS = 10_000; // the gateway's default (services/gateway/src/config.ts)
const RATE_LIMIT = '1000000000'; // RATE_LIMIT_PER_MINUTE: the per-client throttler stays in the path, never trips
const DB = 'pubmlst_neisseria_seqdef';
const DATA = join(process.env.HELIXGATE_SEED_DIR ?? join(root, '..', 'shared', 'data', 'pubmlst'), 'neisseria');
const PROFILES = 19_242;
const begun = performance.now();
const say = (message) => console.error(`bench: ${message}`);

if (process.env.BENCH_SKIP_BUILD !== '1') installAndBuild();
if (!existsSync(DATA)) {
  say(`no PubMLST Neisseria scheme at ${DATA} (HELIXGATE_SEED_DIR names the folder holding neisseria/)`);
  process.exit(1);
}
const { startStack } = createRequire(import.meta.url)(join(root, 'libs/testing/dist/src/index.js'));

const lifecycle = benchStack(root, say);
const { shutdown } = lifecycle;
let stack;

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** One GET on the keep-alive agent: status, bytes, latency and time to the first byte (ms), body if asked. */
function get(url, { keepBody = false, body } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
    const payload = typeof body === 'function' ? body() : body;
    const options = payload
      ? {
          agent,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        }
      : { agent };
    const request = http
      .request(url, options, (res) => {
        const firstByteMs = elapsed();
        const chunks = [];
        let bytes = 0;
        res.on('data', (chunk) => {
          bytes += chunk.length;
          if (keepBody) chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            bytes,
            ms: elapsed(),
            firstByteMs,
            body: keepBody ? Buffer.concat(chunks).toString() : '',
          }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
    request.end(payload);
  });
}

/** `connections` closed-loop clients on one URL, sending until `seconds` have passed: latencies, bytes, failures. */
async function load(url, seconds, connections = CONCURRENCY, body = undefined) {
  const deadline = performance.now() + seconds * 1000;
  const run = { latencies: [], bytes: 0, errors: 0 };
  const client = async () => {
    while (performance.now() < deadline) {
      const res = await get(url, { body }).catch(() => ({ status: 0, bytes: 0, ms: 0 }));
      if (res.status === 200) run.latencies.push(res.ms);
      else run.errors += 1;
      run.bytes += res.bytes;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, client));
  return { ...run, seconds: (performance.now() - started) / 1000 };
}

const percentile = percentileOfSorted;

async function measure(target) {
  // The first request of a route may build what the service holds in memory (a scheme's profiles): it is timed
  // and reported as `first`, then requests are sent until one is quick or three were tried.
  let check = await get(target.url, { keepBody: true, body: target.body });
  const first = check.ms;
  for (let i = 0; i < 3 && check.status === 200 && check.ms >= 1000; i += 1)
    check = await get(target.url, { keepBody: true, body: target.body });
  if (check.status !== 200) throw new Error(`${target.path} answered ${check.status}: ${check.body.slice(0, 300)}`);
  target.verify?.(target.body ? check.body : JSON.parse(check.body));
  // A target whose single request takes a second or more is warm after it. With CONCURRENCY connections
  // its queue would take minutes to drain (every request in flight at the deadline is awaited), so it gets
  // as many connections as requests of that length fit in the window, at least 2 — enough to keep busy a
  // database that works through them one or two at a time. BENCH_STRICT_CONCURRENCY=1 keeps CONCURRENCY.
  const slow = check.ms >= 1000;
  const connections =
    slow && !STRICT ? Math.min(CONCURRENCY, Math.max(2, Math.floor((DURATION_S * 1000) / check.ms))) : CONCURRENCY;
  say(
    `GET ${target.path}: ${slow ? `one request took ${(check.ms / 1000).toFixed(1)} s, no further warm-up` : `${WARMUP_S} s warm-up`}, then ${DURATION_S} s with ${connections} connection${connections === 1 ? '' : 's'}…`,
  );
  if (!slow) await load(target.url, WARMUP_S, CONCURRENCY, target.body);
  const run = await load(target.url, DURATION_S, connections, target.body);
  const sorted = run.latencies.sort((a, b) => a - b);
  return {
    ...target,
    ...run,
    connections,
    single: check.ms,
    first,
    requests: sorted.length,
    rps: sorted.length / run.seconds,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    kb: run.bytes / Math.max(1, sorted.length) / 1024,
  };
}

/** One whole download: seconds to the first and the last byte, bytes, lines, checked against the expected lines. */
async function download(name, url, expectedLines) {
  const res = await get(url, { keepBody: true });
  if (res.status !== 200)
    throw new Error(`${name} answered ${res.status} after ${(res.ms / 1000).toFixed(1)} s: ${res.body.slice(0, 300)}`);
  const lines = res.body.endsWith('\n') ? res.body.split('\n').length - 1 : res.body.split('\n').length;
  if (lines !== expectedLines) throw new Error(`wrong answer: ${name} has ${lines} lines, not ${expectedLines}`);
  return { seconds: res.ms / 1000, firstByte: res.firstByteMs / 1000, bytes: res.bytes, lines };
}

/** The largest locus of the scheme folder (by FASTA size) and its FASTA lines once unwrapped (2 per allele). */
function largestLocus() {
  const [file] = readdirSync(DATA)
    .filter((f) => f.endsWith('.tfa'))
    .sort((a, b) => statSync(join(DATA, b)).size - statSync(join(DATA, a)).size);
  const alleles = readFileSync(join(DATA, file), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('>')).length;
  return { locus: file.replace(/\.tfa$/, ''), lines: 2 * alleles };
}

const expect = (condition, message) => {
  if (!condition) throw new Error(`wrong answer: ${message}`);
};
const num = (n) => n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 2 : n < 100 ? 1 : 0 });

try {
  say('starting an isolated stack (gateway + typing-db; NATS and FerretDB found or started by infra.sh)…');
  const serviceEnv = { LOG_LEVEL };
  stack = await lifecycle.start(
    startStack(['typing-db', 'results-import'], {
      gateway: { ...serviceEnv, RATE_LIMIT_PER_MINUTE: RATE_LIMIT, RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS) },
      'typing-db': serviceEnv,
      'results-import': serviceEnv,
    }),
  );

  say(`importing ${DATA} into ${DB}…`);
  const importStarted = performance.now();
  const cli = [
    join(root, 'services/typing-db/dist/src/cli.js'),
    'import-scheme',
    '--database',
    DB,
    '--dir',
    DATA,
    '--group',
    'neisseria',
    '--description',
    'neisseria sequence/profile definitions',
  ];
  const imported = spawnSync(process.execPath, cli, {
    cwd: root,
    env: { ...process.env, ...stack.envOf('typing-db') },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const importSeconds = (performance.now() - importStarted) / 1000;
  if (imported.status !== 0) throw new Error(`import-scheme failed (exit ${imported.status ?? imported.signal})`);
  const report = JSON.parse(imported.stdout);
  expect(
    report.alleles.seen === 9_565 && report.profiles.seen === PROFILES,
    `import saw ${report.alleles.seen} alleles, ${report.profiles.seen} profiles`,
  );

  const targets = [
    {
      name: 'gateway /healthz (ops port; reference)',
      path: '/healthz',
      url: `http://127.0.0.1:${stack.process('gateway').opsPort}/healthz`,
    },
    { name: 'gateway Nest route, no NATS', path: '/results/page.js', url: `${stack.baseUrl}/results/page.js` },
    {
      name: 'locus record',
      path: `/db/${DB}/loci/abcZ`,
      verify: (b) => expect(b.id === 'abcZ', 'locus abcZ'),
    },
    {
      name: 'allele record',
      path: `/db/${DB}/loci/abcZ/alleles/5`,
      verify: (b) => expect(b.allele_id === '5' && /^[ACGT]+$/.test(b.sequence), 'abcZ_5'),
    },
    {
      name: 'scheme record',
      path: `/db/${DB}/schemes/1`,
      verify: (b) => expect(b.records === PROFILES, `scheme 1 has ${b.records} profiles`),
    },
    {
      name: 'profile record',
      path: `/db/${DB}/schemes/1/profiles/11`,
      verify: (b) => expect(b.ST === 11, 'profile 11 is not ST 11'),
    },
    {
      name: 'loci list',
      path: `/db/${DB}/loci`,
      verify: (b) => expect(b.records === report.loci, 'loci'),
    },
    {
      name: 'alleles page (100 records)',
      path: `/db/${DB}/loci/abcZ/alleles?page=2`,
      verify: (b) => expect(b.alleles.length === 100, 'alleles page 2'),
    },
    {
      name: 'alleles page, date filter',
      path: `/db/${DB}/loci/abcZ/alleles?added_after=2000-01-01&page=2`,
      verify: (b) => expect(b.alleles.length === 100, 'dated alleles page 2'),
    },
    {
      name: 'profiles page (100 records)',
      path: `/db/${DB}/schemes/1/profiles?page=2`,
      verify: (b) => expect(b.records === PROFILES && b.profiles.length === 100, 'page 2'),
    },
    {
      name: 'profiles page, date filter',
      path: `/db/${DB}/schemes/1/profiles?added_after=2000-01-01&page=2`,
      verify: (b) => expect(b.profiles.length === 100, 'dated profiles page 2'),
    },
    {
      name: 'POST /results/ (one document)',
      path: '/results/',
      body: JSON.stringify({ type: 'mapping', samples: { sample_1: { NZ_CP015088_1: 0.68, NZ_CP019048_1: 0.64 } } }),
      verify: (text) => expect(/\/results\?query=\d+$/.test(text), `POST /results/ answered ${text.slice(0, 80)}`),
    },
    {
      name: 'POST /results/ (a new document each)',
      path: '/results/',
      body: () =>
        JSON.stringify({
          type: 'mapping',
          samples: { [`s${process.hrtime.bigint()}${Math.random()}`]: { NZ_CP015088_1: 0.5 } },
        }),
      verify: (text) => expect(/\/results\?query=\d+$/.test(text), `POST /results/ answered ${text.slice(0, 80)}`),
    },
  ].map((t) => ({ url: `${stack.baseUrl}${t.path}`, ...t }));
  const results = [];
  for (const target of EXPORTS_ONLY ? targets.slice(0, 1) : targets) results.push(await measure(target));

  const fasta = largestLocus();
  const downloads = [
    { name: 'profiles_csv', path: `/db/${DB}/schemes/1/profiles_csv`, lines: PROFILES + 1, unit: 'profiles' },
    {
      name: `alleles_fasta (${fasta.locus}, the largest locus)`,
      path: `/db/${DB}/loci/${fasta.locus}/alleles_fasta`,
      lines: fasta.lines,
      unit: 'alleles',
    },
  ];
  for (const d of downloads) {
    say(`GET ${d.path}: one cold download, then ${CSV_RUNS} timed…`);
    d.cold = await download(d.name, `${stack.baseUrl}${d.path}`, d.lines);
    d.runs = [];
    for (let i = 0; i < CSV_RUNS; i += 1) d.runs.push(await download(d.name, `${stack.baseUrl}${d.path}`, d.lines));
    d.runs.sort((a, b) => a.seconds - b.seconds);
  }

  const [ref] = results;
  const widths = [38, 5, 9, 10, 10, 7, 8, 10, 9, 6, 8];
  const row = (cells) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' ');
  console.log(`
BIGSdb API through the gateway — ${DB}: ${num(report.alleles.seen)} alleles, ${num(report.profiles.seen)} profiles, ${report.loci} loci
import-scheme CLI into FerretDB: ${importSeconds.toFixed(1)} s
load: ${CONCURRENCY} keep-alive connections per target, closed loop, ${DURATION_S} s window + ${WARMUP_S} s warm-up; a target whose lone
      request takes ≥ 1 s gets as many connections as such requests fit in the window (conns; at least 2), no warm-up
      client, gateway, typing-db, results-import, NATS and FerretDB all share this machine's ${cpus().length} CPUs
target (issue 16): every record read, paged list and POST /results/ ≥ 1,000 req/s with p99 ≤ 100 ms at 100 connections
gateway: RATE_LIMIT_PER_MINUTE=${RATE_LIMIT} (throttler in the path, never trips), RPC_TIMEOUT_MS=${RPC_TIMEOUT_MS}; LOG_LEVEL=${LOG_LEVEL}
`);
  console.log(
    row([
      'target',
      'conns',
      'req/s',
      'p50 ms',
      'p99 ms',
      'KB/req',
      'requests',
      'rps/ref',
      'p50/ref',
      'errors',
      'target',
    ]),
  );
  console.log('-'.repeat(widths.reduce((a, b) => a + b + 1, -1)));
  for (const r of results) {
    const ratios = [`${(r.rps / ref.rps).toPrecision(2)}x`, `${num(r.p50 / ref.p50)}x`];
    console.log(
      row([
        r.name,
        r.connections,
        num(r.rps),
        r.p50.toFixed(2),
        r.p99.toFixed(2),
        r.kb.toFixed(1),
        r.requests,
        ...ratios,
        r.errors,
        r.name.startsWith('gateway') ? 'ref' : r.rps >= 1000 && r.p99 <= 100 ? 'met' : 'not met',
      ]),
    );
    const notes = [
      r.seconds > DURATION_S * 1.5 && `window ran ${r.seconds.toFixed(0)} s`,
      r.single >= 1000 && `a lone request took ${(r.single / 1000).toFixed(1)} s`,
      r.first >= 1000 &&
        r.single < 1000 &&
        `the first took ${(r.first / 1000).toFixed(1)} s (building what the service holds)`,
    ];
    console.log(
      `  ${r.body ? 'POST' : 'GET'} ${r.path}${notes.some(Boolean) ? `  (${notes.filter(Boolean).join('; ')})` : ''}`,
    );
  }
  const mbps = (run) => run.bytes / 1e6 / run.seconds;
  const refMs = ref.p50;
  for (const d of downloads) {
    const median = d.runs[Math.floor((d.runs.length - 1) / 2)];
    const records = d.unit === 'profiles' ? d.lines - 1 : d.lines / 2;
    const line = (label, run) =>
      `  ${label.padEnd(10)} first byte ${(run.firstByte * 1000).toFixed(0).padStart(5)} ms (target ≤ 200; ${num((run.firstByte * 1000) / refMs)}x ref)  total ${(run.seconds * 1000).toFixed(0).padStart(5)} ms${d.unit === 'profiles' ? ' (target ≤ 1000)' : ''}  ${mbps(run).toFixed(2).padStart(6)} MB/s  ${num(records / run.seconds).padStart(7)} ${d.unit}/s`;
    console.log(`
${d.name}: GET ${d.path} — ${num(median.lines)} lines, ${(median.bytes / 1e6).toFixed(2)} MB
${line('cold', d.cold)}
${line(`median/${d.runs.length}`, median)}
${line('best', d.runs[0])}`);
    if ([d.cold, ...d.runs].some((run) => run.seconds * 1000 >= DEFAULT_RPC_TIMEOUT_MS)) {
      console.log(
        `  NOTE: longer than the gateway's default RPC_TIMEOUT_MS (${DEFAULT_RPC_TIMEOUT_MS} ms), which a streamed export is not bound by.`,
      );
    }
  }
  console.log(`  (reference: gateway /healthz p50 ${ref.p50.toFixed(2)} ms in this run)`);
  console.log(
    `\ntotal wall time ${((performance.now() - begun) / 1000).toFixed(0)} s (build, stack start, import, measurements)\n`,
  );
  const failed = results.filter((r) => r.errors > 0);
  if (failed.length) say(`errors under load on ${failed.map((r) => r.path).join(', ')}`);
  await shutdown(failed.length ? 1 : 0);
} catch (error) {
  say(error.stack ?? String(error));
  await shutdown(1);
}
