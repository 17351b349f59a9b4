#!/usr/bin/env node
// `npm start`: the whole stack on one machine with embedded defaults. Installs what is missing, builds,
// finds or starts NATS and the MongoDB-compatible server (infra.sh), runs every service in services/ as its
// own process (as pods would run), then the gateway on http://127.0.0.1:3000. A process that dies is restarted
// with backoff. Ctrl-C stops all of it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Supervisor } from './supervisor.mjs';
import { infrastructureEnv, installAndBuild, localSecrets, root } from './workspace.mjs';

const pidDir = join(process.env.HELIXGATE_STATE_DIR ?? join(root, '.helixgate'), 'run');
const say = (message) => console.error(`helixgate: ${message}`);
const pidFiles = () => (existsSync(pidDir) ? readdirSync(pidDir).filter((f) => f.endsWith('.pid')) : []);

installAndBuild();
const before = new Set(pidFiles());
const env = {
  ...infrastructureEnv(),
  ...localSecrets(),
  HOST: process.env.HOST ?? '127.0.0.1',
  PORT: process.env.PORT ?? '3000',
};
const startedInfra = pidFiles().filter((f) => !before.has(f));

seedTypingData();

const services = readdirSync(join(root, 'services'))
  .filter((name) => name !== 'gateway')
  .sort();
// A service that exits is started again with backoff (deploy/local/supervisor.mjs); the others serve on.
const supervisor = new Supervisor({ log: say });
const launch = (name, opsPort) =>
  supervisor.start(name, { script: join(root, 'services', name, 'dist', 'src', 'main.js'), cwd: root, env, opsPort });

/**
 * On first start, the default site, loaded with the same commands a user runs:
 * - each PubMLST scheme in HELIXGATE_SEED_DIR (default ../shared/data/pubmlst) as pubmlst_<scheme>_seqdef;
 * - for neisseria, classification scheme 1 (MLST single-locus-variant groups) and pubmlst_neisseria_isolates:
 *   the isolates in deploy/local/seed, with the complete genomes of ../shared/data/genomes as their contigs.
 * A marker in .helixgate records it; every step is idempotent, so an interrupted seed is simply run again.
 */
function seedTypingData() {
  const seedDir = process.env.HELIXGATE_SEED_DIR ?? join(root, '..', 'shared', 'data', 'pubmlst');
  const genomesDir = process.env.HELIXGATE_GENOMES_DIR ?? join(seedDir, '..', 'genomes');
  const marker = join(process.env.HELIXGATE_STATE_DIR ?? join(root, '.helixgate'), 'typing-seeded-v2');
  if (existsSync(marker) || !existsSync(seedDir)) return;
  const typing = (what, args) => {
    say(`${what}…`);
    const result = spawnSync(process.execPath, [join(root, 'services/typing-db/dist/src/cli.js'), ...args], {
      cwd: root,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (result.status !== 0) say(`${what} failed; the site starts without it`);
    return result.status === 0;
  };
  let complete = true;
  for (const scheme of readdirSync(seedDir).sort()) {
    const database = `pubmlst_${scheme}_seqdef`;
    complete &&= typing(`loading the ${scheme} scheme into ${database}`, [
      'import-scheme',
      '--database',
      database,
      '--dir',
      join(seedDir, scheme),
      '--group',
      scheme,
      '--description',
      `${scheme} sequence/profile definitions`,
    ]);
  }
  const isolates = join(root, 'deploy/local/seed/pubmlst_neisseria_isolates');
  if (readdirSync(seedDir).includes('neisseria') && existsSync(genomesDir)) {
    complete &&= typing('grouping the neisseria profiles (classification scheme 1)', [
      'classify',
      '--database',
      'pubmlst_neisseria_seqdef',
      '--id',
      '1',
      '--name',
      'MLST_SLV',
      '--threshold',
      '1',
      '--description',
      'Single-linkage groups of sequence types that differ at no more than one MLST locus',
    ]);
    complete &&= typing('loading the neisseria isolates and their genomes into pubmlst_neisseria_isolates', [
      'import-isolates',
      '--database',
      'pubmlst_neisseria_isolates',
      '--seqdef',
      'pubmlst_neisseria_seqdef',
      '--group',
      'neisseria',
      '--description',
      'neisseria isolates',
      '--fields',
      join(isolates, 'fields.json'),
      '--file',
      join(isolates, 'isolates.tsv'),
      '--contigs-dir',
      genomesDir,
    ]);
  }
  if (complete) writeFileSync(marker, `${new Date().toISOString()}\n`);
}

let exitCode = 0;
let finishing = false;
function finish() {
  if (finishing) return;
  finishing = true;
  for (const file of startedInfra) say(`stopping ${file.replace(/\.pid$/, '')}, started by this run`);
  const names = startedInfra.map((file) => file.replace(/\.pid$/, ''));
  if (names.length)
    spawnSync('bash', [join(root, 'deploy/local/infra.sh'), 'down', ...names], { cwd: root, stdio: 'inherit' });
  process.exit(exitCode);
}

function stop(code = 0) {
  if (!supervisor.stopping) exitCode = code;
  void supervisor.stop().then(finish);
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

try {
  let opsPort = 9101;
  for (const name of services) launch(name, opsPort++);
  for (const name of services) await supervisor.waitReady(name);
  launch('gateway', 9100);
  await supervisor.waitReady('gateway');
  say(
    `up: http://127.0.0.1:${env.PORT}  (API docs http://127.0.0.1:${env.PORT}/docs; services: ${services.join(', ')}; Ctrl-C stops)`,
  );
} catch (error) {
  if (!supervisor.stopping) {
    // A service that cannot start at all (bad configuration, NATS or the database out of reach) stops the run.
    say(error.message);
    stop(1);
  }
}
