#!/usr/bin/env node
// `npm run bench:isolates`: an isolates database at PubMLST scale, as a user would load and read it. Starts an
// isolated stack (libs/testing startStack), imports the PubMLST Neisseria scheme, writes BENCH_ISOLATES made-up
// isolates with `npm run typing -- generate-isolates` and loads them with `import-isolates`, then reads through the
// gateway, one request at a time: isolate records, searches on three provenance fields of different types, and
// pages of the isolates list with and without date filters. Each figure is printed beside its target and beside
// the gateway's /healthz measured in the same run (the machine's floor for one HTTP round trip). A benchmark to
// read, not a test: it fails on a wrong answer, never on a slow number.
//
// Environment: BENCH_ISOLATES (default 100000), BENCH_SEED (1), BENCH_SAMPLES (200 record reads), BENCH_SKIP_BUILD=1,
// BENCH_STOP_INFRA=1 (as the other benchmarks), BENCH_LOG_LEVEL (warn).
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchStack, percentileOfSorted } from './bench-support.mjs';
import { installAndBuild, root } from './workspace.mjs';

const COUNT = Number(process.env.BENCH_ISOLATES ?? 100_000);
const SEED = Number(process.env.BENCH_SEED ?? 1);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const SEQDEF = 'pubmlst_neisseria_seqdef';
const ISOLATES = 'bench_neisseria_isolates';
const say = (message) => console.error(`bench: ${message}`);

if (process.env.BENCH_SKIP_BUILD !== '1') installAndBuild();
const testing = createRequire(import.meta.url)(join(root, 'libs/testing/dist/src/index.js'));
const dir = mkdtempSync(join(tmpdir(), 'bench-isolates-'));
const lifecycle = benchStack(root, say, { after: () => rmSync(dir, { recursive: true, force: true }) });

/** Milliseconds of one GET or POST through the gateway; fails on anything but 200. */
async function timed(stack, path, body) {
  const started = performance.now();
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text.slice(0, 200)}`);
  return { ms, json: JSON.parse(text) };
}

/** p50 and p99 of n runs of a request (after one unmeasured run). */
async function latency(stack, n, request) {
  await request(0);
  const times = [];
  for (let i = 1; i <= n; i += 1) times.push((await request(i)).ms);
  times.sort((a, b) => a - b);
  return { p50: percentileOfSorted(times, 0.5), p99: percentileOfSorted(times, 0.99) };
}

const rows = [];
const line = (figure, target, measured) => rows.push([figure, target, measured]);
const ms = (v) => `${v.toFixed(1)} ms`;

try {
  const stack = await lifecycle.start(
    testing.startStack(['typing-db'], {
      'typing-db': { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' },
      gateway: { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', RPC_TIMEOUT_MS: '120000' },
    }),
  );
  await testing.importPubmlstScheme(stack, 'neisseria', SEQDEF);
  say(`generating ${COUNT} isolates (seed ${SEED})…`);
  const generated = await testing.generateIsolates(stack, { count: COUNT, seed: SEED, dir });
  say('importing them with import-isolates…');
  let started = performance.now();
  const report = await stack.cli('typing-db', [
    'import-isolates',
    '--database',
    ISOLATES,
    '--seqdef',
    SEQDEF,
    '--fields',
    generated.fields,
    '--file',
    generated.file,
  ]);
  const importSeconds = (performance.now() - started) / 1000;
  say(`imported in ${importSeconds.toFixed(1)} s: ${JSON.stringify(report)}`);
  if (report.isolates.inserted !== COUNT) throw new Error(`imported ${JSON.stringify(report.isolates)}`);
  started = performance.now();
  await stack.cli('typing-db', [
    'import-isolates',
    '--database',
    ISOLATES,
    '--seqdef',
    SEQDEF,
    '--file',
    generated.file,
  ]);
  const againSeconds = (performance.now() - started) / 1000;
  say(`imported again in ${againSeconds.toFixed(1)} s`);

  const db = `/db/${ISOLATES}`;
  // The first read after an import loads the catalogue, the scheme's profiles and the classification groups; it
  // may outlast the gateway's HTTP timeouts, so it is asked again until it answers.
  started = performance.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      await timed(stack, `${db}/isolates/1`);
      break;
    } catch (error) {
      if (attempt >= 20) throw error;
      say(`first read, attempt ${attempt}: ${error.cause?.message ?? error.message}`);
    }
  }
  const firstRead = performance.now() - started;
  const health = await latency(stack, SAMPLES, async () => {
    const t = performance.now();
    const res = await fetch(`${stack.baseUrl}/healthz`);
    await res.text();
    return { ms: performance.now() - t };
  });
  const id = (i) => 1 + ((i * 7919) % COUNT);
  const record = await latency(stack, SAMPLES, (i) => timed(stack, `${db}/isolates/${id(i)}`));
  const sample = generated.rows[COUNT >> 1];
  const searches = [
    ['country (text)', { 'field.country': sample.country || 'UK' }],
    ['year (int)', { 'field.year': Number(sample.year || 1990) }],
    ['date_sampled (date)', { 'field.date_sampled': generated.rows.find((r) => r.date_sampled).date_sampled }],
  ].map(([name, terms]) => [name, () => timed(stack, `${db}/isolates/search`, terms)]);
  const searchTimes = [];
  for (const [name, run] of searches) searchTimes.push([name, await latency(stack, 10, run)]);
  const pages = [
    ['isolates page 1', `${db}/isolates`],
    ['isolates page 500', `${db}/isolates?page=500`],
    ['isolates added_after=2000-01-01, page 3', `${db}/isolates?added_after=2000-01-01&page=3`],
    ['isolates updated_on=today', `${db}/isolates?updated_on=today`],
  ];
  const pageTimes = [];
  for (const [name, path] of pages) pageTimes.push([name, await latency(stack, 20, () => timed(stack, path))]);

  line('reference: gateway /healthz p50 / p99', '-', `${ms(health.p50)} / ${ms(health.p99)}`);
  line(`import-isolates, ${COUNT} isolates (new database)`, 'reasonable', `${importSeconds.toFixed(1)} s`);
  line('import-isolates again, nothing changed', '-', `${againSeconds.toFixed(1)} s`);
  line('first isolate record after import (loads the read models)', '-', ms(firstRead));
  line('isolate record p50 / p99', 'p50 ≤ 20 ms', `${ms(record.p50)} / ${ms(record.p99)}`);
  for (const [name, t] of searchTimes)
    line(`isolates/search ${name} p50 / p99`, '≤ 200 ms', `${ms(t.p50)} / ${ms(t.p99)}`);
  for (const [name, t] of pageTimes) line(`${name} p50 / p99`, 'p99 ≤ 100 ms', `${ms(t.p50)} / ${ms(t.p99)}`);
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\nisolates at ${COUNT} (one client, sequential requests)`);
  console.log(`${'figure'.padEnd(width)}  ${'target'.padEnd(14)}  measured`);
  for (const [figure, target, measured] of rows)
    console.log(`${figure.padEnd(width)}  ${target.padEnd(14)}  ${measured}`);
  await lifecycle.shutdown(0);
} catch (error) {
  say(error.stack ?? String(error));
  await lifecycle.shutdown(1);
}
