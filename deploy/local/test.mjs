#!/usr/bin/env node
// `npm test`: installs what is missing, builds every project through Nx, finds or starts the real NATS and
// MongoDB-compatible server (deploy/local/infra.sh), then runs every compiled test file and the packaging checks
// in deploy/**/*.test.mjs with node's test runner, each file its own `node --test` process, several at once: every
// test stack (libs/testing startStack) has its own subject prefix, databases, buckets and ports, so files do not
// see each other. A file's output is printed whole when it ends, so files' logs never interleave.
// Prettier's check and ESLint run first. Extra arguments filter test files by path substring (and skip those two):
// `npm test -- results`.
// TEST_CONCURRENCY sets how many files run at once (default 3).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { infrastructureEnv, installAndBuild, root, step } from './workspace.mjs';

/**
 * Files at once. Much of a file's time is spent waiting (processes starting, NATS, FerretDB, the sleeps of job
 * tests), so on 2 CPUs three files at once keep both busy; each more adds a stack of CPU-hungry processes.
 */
const CONCURRENCY = Math.max(1, Number(process.env.TEST_CONCURRENCY ?? 3));

/** Files that run with no other file running. */
const RUN_ALONE = new Set([
  // SIGKILLs each process of a supervised stack in turn and bounds every request at 8 s and each recovery at 5 s:
  // the bounds are what it checks, and other files' CPU load would stretch a restart past them.
  'deploy/local/fault.test.mjs',
  // A lock it leaves behind expires after 500 ms, and the test must find it still held before then: with other
  // files' stacks on the same FerretDB, the few queries in between took longer.
  'libs/platform/dist/test/locks.test.js',
  // Counts on a child that exits at once being up less than 300 ms (else the backoff resets): a node start took
  // longer beside other files. When it fails, the child it leaves running keeps the file from ending.
  'deploy/local/supervisor.test.mjs',
]);

/**
 * Files that never run at the same time as each other: each loads the 19,242 neisseria profiles and queries them
 * hard, and every stack's databases are on the one MongoDB-compatible server (FerretDB); two of them at once made it
 * answer an isolate record or a profile search later than the gateway's RPC timeout.
 */
const ONE_AT_A_TIME = new Set([
  'services/gateway/dist/test/bigsdb-isolates.e2e.test.js',
  'services/gateway/dist/test/bigsdb-submissions.e2e.test.js',
  'services/gateway/dist/test/hostile-input.e2e.test.js',
]);

/** The longest files, longest first (each 2-10 minutes on 2 CPUs; every other file is under 2). */
const SLOWEST = [
  'services/gateway/dist/test/bigsdb-submissions.e2e.test.js',
  'deploy/local/image-check.test.mjs', // npm ci of every component's image folder
  'services/gateway/dist/test/bigsdb-isolates.e2e.test.js',
  'services/gateway/dist/test/bigsdb-all-schemes.e2e.test.js', // imports all 166 PubMLST schemes (2-3 minutes of it)
  'deploy/helm/chart.test.mjs', // builds helm and kubeconform on a clean clone
  'services/gateway/dist/test/hostile-input.e2e.test.js',
  'services/gateway/dist/test/bigsdb-sequence-query.e2e.test.js',
  'services/gateway/dist/test/auth.e2e.test.js',
  'services/gateway/dist/test/analytics-automated.e2e.test.js',
];

installAndBuild();
const filters = process.argv.slice(2);
// The whole suite starts with formatting and lint (a filtered run is for iterating, and skips them).
if (filters.length === 0) {
  step('npx', ['prettier', '--check', '--log-level', 'warn', '.']);
  step('npx', ['eslint', '--max-warnings', '0', '.']);
}
step('bash', [join(root, 'deploy/local/system-packages.sh')]);
// Started once here, before any file runs: every file then finds the servers answering instead of racing to start them.
const env = infrastructureEnv();

const testFiles = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path);
    else if (entry.endsWith('.test.js') || entry.endsWith('.test.mjs')) testFiles.push(relative(root, path));
  }
};
for (const group of ['libs', 'services']) {
  for (const project of readdirSync(join(root, group))) {
    const tests = join(root, group, project, 'dist', 'test');
    if (existsSync(tests)) walk(tests);
  }
}
// packaging checks written as plain ES modules (image contents, Helm chart): deploy/**/*.test.mjs
walk(join(root, 'deploy'));
const selected = testFiles.filter((file) => filters.length === 0 || filters.some((f) => file.includes(f))).sort();
if (selected.length === 0) {
  console.error('test: no test files matched');
  process.exit(1);
}
console.log(
  `test: ${selected.length} test files, ${CONCURRENCY} at once:\n${selected.map((f) => `  ${f}`).join('\n')}`,
);

const taps = mkdtempSync(join(tmpdir(), 'helixgate-test-'));
const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Runs one file in its own `node --test`; resolves with its exit code, its whole output and its TAP summary. */
function runFile(file, index) {
  const tap = join(taps, `${index}.tap`);
  const child = spawn(
    process.execPath,
    [
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      file,
    ],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const fileStarted = Date.now();
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      const summary = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
      resolve({ file, code: code ?? signal, output, summary, ms: Date.now() - fileStarted });
    });
  });
}

const results = [];
const report = (result) => {
  results.push(result);
  const status = result.code === 0 ? 'ok' : `FAILED (exit ${result.code})`;
  console.log(`\n━━ ${result.file}: ${status}, ${seconds(result.ms)}\n${result.output.trimEnd()}`);
};
/** Runs the files, `concurrency` at a time, in the order given but for the ONE_AT_A_TIME files, which wait their turn. */
async function runAll(files, concurrency) {
  const queue = [...files];
  let oneAtATimeRunning = false;
  // The first file that may start now; none when only ONE_AT_A_TIME files are left and one of them runs (the worker
  // running it then starts the others in turn).
  const next = () => {
    const at = queue.findIndex((file) => !(oneAtATimeRunning && ONE_AT_A_TIME.has(file)));
    return at < 0 ? undefined : queue.splice(at, 1)[0];
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let file = next(); file; file = next()) {
        const exclusive = ONE_AT_A_TIME.has(file);
        if (exclusive) oneAtATimeRunning = true;
        report(await runFile(file, selected.indexOf(file)));
        if (exclusive) oneAtATimeRunning = false;
      }
    }),
  );
}

await runAll(
  selected.filter((file) => RUN_ALONE.has(file)),
  1,
);
// The long files begin first, so that none of them is left to end the run alone: the longest as measured, then the
// other files that start stacks of processes (e2e, browser, deploy checks), then the rest.
const together = selected.filter((file) => !RUN_ALONE.has(file));
const rank = (file) => {
  const slowest = SLOWEST.indexOf(file);
  if (slowest >= 0) return slowest;
  return /\.(e2e|browser)\.test\.|^deploy\//.test(file) ? SLOWEST.length : SLOWEST.length + 1;
};
await runAll(
  together.sort((a, b) => rank(a) - rank(b)),
  CONCURRENCY,
);

const count = (summary, name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(summary)?.[1] ?? 0);
const total = (...names) => results.reduce((sum, r) => sum + names.reduce((s, n) => s + count(r.summary, n), 0), 0);
const failed = results.filter((r) => r.code !== 0);
console.log('\ntest: the slowest files:');
for (const r of [...results].sort((a, b) => b.ms - a.ms).slice(0, 10))
  console.log(`  ${seconds(r.ms).padStart(8)}  ${r.file}`);
for (const r of failed) {
  // The spec reporter ends with the failing tests and their errors; a file that crashed has no such section.
  const at = r.output.lastIndexOf('✖ failing tests:');
  console.log(
    `\ntest: FAILED ${r.file} (exit ${r.code}):\n${(at >= 0 ? r.output.slice(at) : r.output.slice(-8000)).trimEnd()}`,
  );
}
console.log(
  `\n${total('pass')} passed, ${total('fail', 'cancelled')} failed, ${total('skipped', 'todo')} skipped` +
    ` in ${results.length} files (${failed.length} failed), ${seconds(Date.now() - started)}`,
);
process.exit(failed.length === 0 ? 0 : 1);
