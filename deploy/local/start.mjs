#!/usr/bin/env node
// `npm start`: the whole stack on one machine with embedded defaults. Installs what is missing, builds,
// finds or starts NATS and the MongoDB-compatible server (infra.sh), runs every service in services/ as its
// own process (as pods would run), then the gateway on http://127.0.0.1:3000. Ctrl-C stops all of it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { infrastructureEnv, installAndBuild, localSecrets, root } from './workspace.mjs';

const pidDir = join(process.env.HELIXGATE_STATE_DIR ?? join(root, '.helixgate'), 'run');
const say = (message) => console.error(`helixgate: ${message}`);
const pidFiles = () => (existsSync(pidDir) ? readdirSync(pidDir).filter((f) => f.endsWith('.pid')) : []);

installAndBuild();
const before = new Set(pidFiles());
const env = { ...infrastructureEnv(), ...localSecrets(), HOST: process.env.HOST ?? '127.0.0.1', PORT: process.env.PORT ?? '3000' };
const startedInfra = pidFiles().filter((f) => !before.has(f));

seedTypingData();

const services = readdirSync(join(root, 'services')).filter((name) => name !== 'gateway').sort();
const children = new Map();
let stopping = false;

function launch(name, opsPort) {
  const child = spawn(process.execPath, [join(root, 'services', name, 'dist', 'src', 'main.js')], {
    cwd: root,
    env: { ...env, OPS_HOST: '127.0.0.1', OPS_PORT: String(opsPort) },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true, // its own process group: Ctrl-C reaches this script only, which stops each child once
  });
  children.set(name, { child, opsPort });
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      say(`${name} exited (${code ?? signal}); stopping the stack`);
      void stop(1);
    } else if (children.size === 0) finish();
  });
}

async function waitReady(name) {
  const { opsPort } = children.get(name) ?? {};
  for (let i = 0; i < 300 && children.has(name); i += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${opsPort}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not become ready`);
}

/**
 * On first start, the default site: each PubMLST scheme in HELIXGATE_SEED_DIR (default ../shared/data/pubmlst)
 * as pubmlst_<scheme>_seqdef, loaded with the same command a user runs. A marker in .helixgate records it.
 */
function seedTypingData() {
  const seedDir = process.env.HELIXGATE_SEED_DIR ?? join(root, '..', 'shared', 'data', 'pubmlst');
  const marker = join(process.env.HELIXGATE_STATE_DIR ?? join(root, '.helixgate'), 'typing-seeded');
  if (existsSync(marker) || !existsSync(seedDir)) return;
  for (const scheme of readdirSync(seedDir).sort()) {
    say(`loading the ${scheme} scheme into pubmlst_${scheme}_seqdef…`);
    const result = spawnSync(
      process.execPath,
      [join(root, 'services/typing-db/dist/src/cli.js'), 'import-scheme', '--database', `pubmlst_${scheme}_seqdef`, '--dir', join(seedDir, scheme), '--group', scheme, '--description', `${scheme} sequence/profile definitions`],
      { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (result.status !== 0) return say(`loading ${scheme} failed; the site starts without it`);
  }
  writeFileSync(marker, `${new Date().toISOString()}\n`);
}

let exitCode = 0;
function finish() {
  for (const file of startedInfra) say(`stopping ${file.replace(/\.pid$/, '')}, started by this run`);
  const names = startedInfra.map((file) => file.replace(/\.pid$/, ''));
  if (names.length) spawnSync('bash', [join(root, 'deploy/local/infra.sh'), 'down', ...names], { cwd: root, stdio: 'inherit' });
  process.exit(exitCode);
}

async function stop(code = 0) {
  if (stopping) {
    say('second signal: killing the stack');
    for (const { child } of children.values()) child.kill('SIGKILL');
    return;
  }
  stopping = true;
  exitCode = code;
  if (children.size === 0) return finish();
  for (const { child } of children.values()) child.kill('SIGTERM');
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  let opsPort = 9101;
  for (const name of services) launch(name, opsPort++);
  for (const name of services) await waitReady(name);
  launch('gateway', 9100);
  await waitReady('gateway');
  say(`up: http://127.0.0.1:${env.PORT}  (API docs http://127.0.0.1:${env.PORT}/docs; services: ${services.join(', ')}; Ctrl-C stops)`);
} catch (error) {
  say(error.message);
  await stop(1);
}
