#!/usr/bin/env node
// `npm run bench:soak`: a mixed workload across the four API families at many connections for a minute, to see
// that nothing a normal crowd of clients does costs a 5xx or more memory than the Helm chart gives each process.
// A benchmark to read, not a test: it exits non-zero on a 5xx, a wrong answer or a process that died, never on a
// slow number.
//
// It builds the workspace, starts an isolated stack of every service (libs/testing startStack: real processes on
// the real NATS and MongoDB-compatible server, their own databases and subject prefix), loads the neisseria
// scheme and the seed isolates with the CLI a user runs, makes an account with a CGI token and an OAuth client,
// then keeps BENCH_CONCURRENCY keep-alive connections busy for BENCH_DURATION_SECONDS (closed loop), each
// request drawn from the mix below by weight. It samples every process's resident memory (VmRSS) every 250 ms:
// before the load (idle, after a warm-up), its peak during the load, and after BENCH_IDLE_SECONDS of quiet, next
// to that component's memory limit in helm/helixgate/values.yaml. The reference beside the throughput is the
// gateway's own /healthz (its ops port) measured in the same run with the same connections.
//
// Environment: BENCH_DURATION_SECONDS (60), BENCH_CONCURRENCY (100), BENCH_IDLE_SECONDS (15),
// BENCH_LOG_LEVEL (warn), BENCH_SKIP_BUILD=1, BENCH_STOP_INFRA=1 (as for the other benchmarks),
// HELIXGATE_SEED_DIR (the folder of PubMLST schemes, default ../shared/data/pubmlst).
import { readFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { installAndBuild, root } from './workspace.mjs';
import { benchStack, percentileOfSorted } from './bench-support.mjs';

const DURATION_S = Number(process.env.BENCH_DURATION_SECONDS ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
const IDLE_S = Number(process.env.BENCH_IDLE_SECONDS ?? 15);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const SEED_DIR = process.env.HELIXGATE_SEED_DIR ?? join(root, '..', 'shared', 'data', 'pubmlst');
const SCHEME = join(SEED_DIR, 'neisseria');
const GENOMES = join(SEED_DIR, '..', 'genomes');
const SEQDEF = 'pubmlst_neisseria_seqdef';
const ISOLATES = 'pubmlst_neisseria_isolates';
const SERVICES = ['auth', 'results-import', 'typing-db', 'jobs', 'jobs-worker', 'submissions'];
const PASSWORD = 'a perfectly long password';
const say = (message) => console.error(`soak: ${message}`);

if (process.env.BENCH_SKIP_BUILD !== '1') installAndBuild();
if (!existsSync(SCHEME)) {
  say(
    `no PubMLST Neisseria scheme at ${SCHEME} (HELIXGATE_SEED_DIR names the folder holding neisseria/; see ../shared/data/README.md)`,
  );
  process.exit(1);
}
const require = createRequire(import.meta.url);
const { startStack } = require(join(root, 'libs/testing/dist/src/index.js'));
const YAML = require('yaml');

/** Each component's memory limit in the chart's default values, in MiB. */
function chartMemoryLimits() {
  const values = YAML.parse(readFileSync(join(root, 'helm/helixgate/values.yaml'), 'utf8'));
  const mib = (quantity) => {
    const match = /^(\d+(?:\.\d+)?)(Mi|Gi|M|G)$/.exec(String(quantity));
    if (!match) return undefined;
    const n = Number(match[1]);
    return { Mi: n, Gi: n * 1024, M: (n * 1e6) / 2 ** 20, G: (n * 1e9) / 2 ** 20 }[match[2]];
  };
  return new Map(
    Object.entries(values.components ?? {}).map(([name, component]) => [
      name,
      mib(component?.resources?.limits?.memory),
    ]),
  );
}

const rssMib = (pid) => {
  try {
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return kb / 1024;
  } catch {
    return undefined;
  }
};

const lifecycle = benchStack(root, say);
const { shutdown } = lifecycle;
let stack;

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
/** One request on the keep-alive agent: status, latency (ms) and body. */
function send(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          body: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', () => resolve({ status: 0, ms: 0, body: '' }));
    });
    req.on('error', (error) => resolve({ status: 0, ms: 0, body: error.message }));
    req.setTimeout(30_000, () => req.destroy(new Error('no answer in 30 s')));
    if (body) req.end(body);
    else req.end();
  });
}

const expectOk = (res, what) => {
  if (res.status < 200 || res.status >= 300) throw new Error(`${what}: ${res.status} ${res.body.slice(0, 300)}`);
  return res;
};

try {
  say(`starting an isolated stack (${SERVICES.join(', ')}, gateway)…`);
  const env = { LOG_LEVEL };
  stack = await lifecycle.start(
    startStack(
      SERVICES,
      Object.fromEntries(
        [...SERVICES, 'gateway'].map((name) => [
          name,
          name === 'gateway' ? { ...env, RATE_LIMIT_PER_MINUTE: '1000000000' } : env,
        ]),
      ),
    ),
  );
  const base = stack.baseUrl;
  say('loading the neisseria scheme and the seed isolates…');
  await stack.cli('typing-db', ['import-scheme', '--database', SEQDEF, '--dir', SCHEME, '--group', 'neisseria']);
  const seed = join(root, 'deploy/local/seed', ISOLATES);
  await stack.cli('typing-db', [
    'import-isolates',
    '--database',
    ISOLATES,
    '--seqdef',
    SEQDEF,
    '--group',
    'neisseria',
    '--fields',
    join(seed, 'fields.json'),
    '--file',
    join(seed, 'isolates.tsv'),
    ...(existsSync(GENOMES) ? ['--contigs-dir', GENOMES] : []),
  ]);
  await stack.cli('auth', [
    'create-account',
    '--email',
    'soak@example.org',
    '--first-name',
    'Soak',
    '--surname',
    'Test',
    '--password',
    PASSWORD,
  ]);
  const basic = `Basic ${Buffer.from(`soak@example.org:${PASSWORD}`).toString('base64')}`;
  const token = JSON.parse(
    expectOk(
      await send(`${base}/auth/tokens`, {
        method: 'POST',
        headers: { Authorization: basic, 'Content-Type': 'application/json' },
        body: '{"label":"soak"}',
      }),
      'token',
    ).body,
  ).token;
  const cgiAuth = `soak@example.org ${token}`;
  const posted = expectOk(
    await send(`${base}/results/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'mapping', samples: { s1: { NZ_CP015088_1: 0.68 } } }),
    }),
    'results',
  );
  const link = new URL(posted.body.trim()).search;
  const allele2 = JSON.parse(expectOk(await send(`${base}/db/${SEQDEF}/loci/abcZ/alleles/2`), 'allele').body).sequence;

  let counter = 0;
  /** The mix: family, name, weight, and the request (a fresh one each time where the body must differ). */
  const mix = [
    [
      'pATLAS',
      'POST /results/ (new document)',
      10,
      () => ({
        method: 'POST',
        path: '/results/',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'mapping', samples: { [`soak${counter++}`]: { NZ_CP015088_1: Math.random() } } }),
      }),
    ],
    ['pATLAS', 'GET /results?query=… (JSON)', 10, () => ({ path: `/results${link}&format=json` })],
    ['BIGSdb', 'GET loci', 8, () => ({ path: `/db/${SEQDEF}/loci` })],
    [
      'BIGSdb',
      'GET allele record',
      10,
      () => ({ path: `/db/${SEQDEF}/loci/abcZ/alleles/${1 + Math.floor(Math.random() * 500)}` }),
    ],
    [
      'BIGSdb',
      'GET profile record',
      8,
      () => ({ path: `/db/${SEQDEF}/schemes/1/profiles/${1 + Math.floor(Math.random() * 1000)}` }),
    ],
    [
      'BIGSdb',
      'GET profiles page',
      4,
      () => ({ path: `/db/${SEQDEF}/schemes/1/profiles?page=${1 + Math.floor(Math.random() * 50)}` }),
    ],
    [
      'BIGSdb',
      'GET isolate (provenance only)',
      4,
      () => ({ path: `/db/${ISOLATES}/isolates/${1 + Math.floor(Math.random() * 6)}?provenance_only=1` }),
    ],
    [
      'BIGSdb',
      'POST schemes/1/designations',
      4,
      () => ({
        method: 'POST',
        path: `/db/${SEQDEF}/schemes/1/designations`,
        headers: { 'Content-Type': 'application/json' },
        body: '{"designations":{"abcZ":[{"allele":"2"}],"adk":[{"allele":"3"}],"aroE":[{"allele":"4"}],"fumC":[{"allele":"3"}],"gdh":[{"allele":"8"}],"pdhC":[{"allele":"4"}],"pgm":[{"allele":"6"}]}}',
      }),
    ],
    [
      'BIGSdb',
      'POST loci/abcZ/sequence',
      2,
      () => ({
        method: 'POST',
        path: `/db/${SEQDEF}/loci/abcZ/sequence`,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ sequence: allele2 }),
      }),
    ],
    [
      'A_A',
      'GET endpoints/',
      4,
      () => ({ path: '/analytics_automated/endpoints/', headers: { Accept: 'application/json' } }),
    ],
    ['A_A', 'GET job/', 4, () => ({ path: '/analytics_automated/job/?format=json' })],
    ['CGI', 'GET /api/v1 (token)', 6, () => ({ path: '/api/v1', headers: { Authorization: cgiAuth } })],
    [
      'CGI',
      'GET /api/v1/unknown (404)',
      2,
      () => ({ path: '/api/v1/00000000000000000000', headers: { Authorization: cgiAuth }, expect: 404 }),
    ],
    [
      'hostile',
      'malformed JSON and NUL bytes (400s)',
      4,
      () =>
        counter++ % 2
          ? {
              method: 'POST',
              path: '/results/',
              headers: { 'Content-Type': 'application/json' },
              body: '{"type":',
              expect: 400,
            }
          : { path: `/db/${SEQDEF}/loci/abcZ/alleles/2%00`, expect: 400 },
    ],
  ];
  const totalWeight = mix.reduce((sum, [, , weight]) => sum + weight, 0);
  const draw = () => {
    let at = Math.random() * totalWeight;
    for (const entry of mix) if ((at -= entry[2]) < 0) return entry;
    return mix[0];
  };
  for (const [, name, , make] of mix) {
    const r = make();
    const res = await send(`${base}${r.path}`, r);
    if (res.status !== (r.expect ?? res.status) || (!r.expect && (res.status < 200 || res.status >= 300)))
      throw new Error(`${name} answered ${res.status}: ${res.body.slice(0, 300)}`);
  }

  const processes = [...SERVICES, 'gateway'].map((name) => ({ name, pid: stack.process(name).child.pid }));
  const sample = () => new Map(processes.map(({ name, pid }) => [name, rssMib(pid)]));
  /** closed-loop load: `connections` clients, each sending its next request when the last one is answered. */
  async function load(seconds, next) {
    const deadline = performance.now() + seconds * 1000;
    const byName = new Map();
    const peak = sample();
    const sampler = setInterval(() => {
      for (const [name, mib] of sample()) if (mib !== undefined && mib > (peak.get(name) ?? 0)) peak.set(name, mib);
    }, 250);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < deadline) {
          const [family, name, request] = next();
          const res = await send(`${base}${request.path}`, request);
          const entry = byName.get(name) ?? {
            family,
            name,
            latencies: [],
            serverErrors: 0,
            unexpected: 0,
            failures: 0,
            samples: [],
          };
          byName.set(name, entry);
          if (res.status === 0) entry.failures += 1;
          else if (res.status >= 500) entry.serverErrors += 1;
          else if (request.expect ? res.status !== request.expect : res.status >= 300) entry.unexpected += 1;
          if (res.status >= 500 && entry.samples.length < 3)
            entry.samples.push(`${res.status} ${res.body.slice(0, 160)}`);
          if (res.status !== 0) entry.latencies.push(res.ms);
        }
      }),
    );
    clearInterval(sampler);
    return { seconds: (performance.now() - started) / 1000, byName, peak };
  }

  const healthz = `http://127.0.0.1:${stack.process('gateway').opsPort}/healthz`;
  say(`reference: the gateway's /healthz at ${CONCURRENCY} connections for 5 s…`);
  const reference = await (async () => {
    const deadline = performance.now() + 5000;
    const latencies = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < deadline) latencies.push((await send(healthz)).ms);
      }),
    );
    return { rps: latencies.length / ((performance.now() - started) / 1000), sorted: latencies.sort((a, b) => a - b) };
  })();
  say('warm-up: 5 s of the mix…');
  await load(5, () => {
    const [family, name, , make] = draw();
    return [family, name, make()];
  });
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const before = sample();
  say(`soak: ${CONCURRENCY} connections for ${DURATION_S} s…`);
  const run = await load(DURATION_S, () => {
    const [family, name, , make] = draw();
    return [family, name, make()];
  });
  say(`idle for ${IDLE_S} s…`);
  await new Promise((resolve) => setTimeout(resolve, IDLE_S * 1000));
  const afterIdle = sample();
  const limits = chartMemoryLimits();

  const num = (n) => n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 2 : n < 100 ? 1 : 0 });
  const all = [...run.byName.values()];
  const allLatencies = all.flatMap((e) => e.latencies).sort((a, b) => a - b);
  const serverErrors = all.reduce((sum, e) => sum + e.serverErrors, 0);
  const failures = all.reduce((sum, e) => sum + e.failures, 0);
  const unexpected = all.reduce((sum, e) => sum + e.unexpected, 0);
  const pad = (cells, widths) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' ');
  const w = [44, 8, 9, 9, 6, 6];
  console.log(`
Soak: ${CONCURRENCY} keep-alive connections, closed loop, ${DURATION_S} s, the mix drawn by weight per request
(client, gateway, ${SERVICES.length} services, NATS, FerretDB and PostgreSQL share this machine's ${cpus().length} CPUs)

${pad(['request', 'req/s', 'p50 ms', 'p99 ms', '5xx', 'other'], w)}
${pad(['gateway /healthz (reference, 5 s)', num(reference.rps), num(percentileOfSorted(reference.sorted, 0.5)), num(percentileOfSorted(reference.sorted, 0.99)), '', ''], w)}
${all
  .sort((a, b) => a.family.localeCompare(b.family) || a.name.localeCompare(b.name))
  .map((e) => {
    const sorted = e.latencies.sort((a, b) => a - b);
    return pad(
      [
        `${e.family}: ${e.name}`,
        num(sorted.length / run.seconds),
        num(percentileOfSorted(sorted, 0.5) ?? 0),
        num(percentileOfSorted(sorted, 0.99) ?? 0),
        e.serverErrors,
        e.unexpected + e.failures,
      ],
      w,
    );
  })
  .join('\n')}
${pad(['all', num(allLatencies.length / run.seconds), num(percentileOfSorted(allLatencies, 0.5)), num(percentileOfSorted(allLatencies, 0.99)), serverErrors, unexpected + failures], w)}

5xx: ${serverErrors} (target 0); unexpected statuses: ${unexpected}; no answer: ${failures}

${pad(['process RSS (MiB)', 'before', 'peak', `+${IDLE_S}s idle`, 'limit', ''], [20, 8, 8, 10, 8, 0])}
${processes.map(({ name }) => pad([name, num(before.get(name) ?? 0), num(run.peak.get(name) ?? 0), num(afterIdle.get(name) ?? 0), limits.get(name) ? num(limits.get(name)) : '?', (run.peak.get(name) ?? 0) > (limits.get(name) ?? Infinity) ? 'OVER' : ''], [20, 8, 8, 10, 8, 0])).join('\n')}
`);
  const dead = processes.filter(
    ({ name }) => stack.process(name).child.exitCode !== null || stack.process(name).child.signalCode !== null,
  );
  for (const e of all) for (const s of e.samples) say(`5xx on ${e.name}: ${s}`);
  if (dead.length) say(`died during the soak: ${dead.map((p) => p.name).join(', ')}`);
  await shutdown(serverErrors || dead.length || unexpected || failures ? 1 : 0);
} catch (error) {
  say(error.stack ?? String(error));
  await shutdown(1);
}
