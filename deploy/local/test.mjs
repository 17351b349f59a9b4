#!/usr/bin/env node
// `npm test`: installs what is missing, builds every project through Nx, finds or starts the real NATS and
// MongoDB-compatible server (deploy/local/infra.sh), then runs every compiled test file with node's test
// runner, one file at a time, and the packaging checks in deploy/**/*.test.mjs. Extra arguments filter test files by path substring: `npm test -- results`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { infrastructureEnv, installAndBuild, root, step } from './workspace.mjs';

installAndBuild();
step('bash', [join(root, 'deploy/local/system-packages.sh')]);
const env = infrastructureEnv();

const testFiles = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path);
    else if (entry.endsWith('.test.js') || entry.endsWith('.test.mjs')) testFiles.push(path);
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
const filters = process.argv.slice(2);
const selected = testFiles.filter((file) => filters.length === 0 || filters.some((f) => file.includes(f))).sort();
if (selected.length === 0) {
  console.error('test: no test files matched');
  process.exit(1);
}
console.log(`test: ${selected.length} test files:\n${selected.map((f) => `  ${relative(root, f)}`).join('\n')}`);

const tap = join(mkdtempSync(join(tmpdir(), 'helixgate-test-')), 'results.tap');
const result = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...selected,
  ],
  { cwd: root, stdio: 'inherit', env },
);
const summary = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(summary)?.[1] ?? 0);
console.log(
  `${count('pass')} passed, ${count('fail') + count('cancelled')} failed, ${count('skipped') + count('todo')} skipped`,
);
process.exit(result.status ?? 1);
