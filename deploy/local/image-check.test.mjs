// The image-content check (no Docker engine here): for every component, the runtime stage of docker/Dockerfile
// done outside Docker. docker/assemble.mjs lays out the component into a clean temp folder (as the build
// stage does), the Dockerfile's own `npm ci --omit=dev …` line (read from the Dockerfile, so the two cannot
// drift) installs only the root's and that workspace's production dependencies, then the component starts
// with the image's CMD against the real NATS and MongoDB-compatible server and must answer /readyz, then
// exit 0 on SIGTERM. A package a component uses without declaring it is not installed, and the start fails.
// The build stage (npm ci + Nx build) is the workspace's own build, which `npm test` runs first.
//
// IMAGE_CHECK_COMPONENTS=gateway,auth limits the components (default: all); IMAGE_CHECK_CONCURRENCY (default 2).
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { runStream } from '@helixgate/contracts';
import mongoose from 'mongoose';
import { connect } from 'nats';
import { assemble, COMPONENTS } from '../../docker/assemble.mjs';
import { infrastructureEnv, root } from './workspace.mjs';

const dockerfile = readFileSync(join(root, 'docker', 'Dockerfile'), 'utf8');
/** The runtime stage's install command, exactly as the Dockerfile writes it. */
const npmCiLine = /^RUN (npm ci --omit=dev [^\n&\\]+)/m.exec(dockerfile)?.[1]?.trim();
/** The HEALTHCHECK command (exec form), run against each started component as Docker would run it. */
const healthcheck = JSON.parse(/^HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? 'null');
const selected = (process.env.IMAGE_CHECK_COMPONENTS ?? COMPONENTS.join(',')).split(',').filter(Boolean);
const concurrency = Number(process.env.IMAGE_CHECK_CONCURRENCY ?? 2);
const keep = [];
/** One subject prefix, transfer bucket and database prefix for this run, removed afterwards (as libs/testing does). */
const runId = `imgchk-${randomBytes(4).toString('hex')}`;
const databases = new Set();

function shellWords(line, component) {
  return line.replaceAll('"', '').replaceAll('${COMPONENT}', component).split(/\s+/).filter(Boolean);
}

function database(component) {
  const name = `${runId}_${component}`.replaceAll('-', '_');
  databases.add(name);
  return name;
}

/** Removes what the started components made: this run's JetStream streams (buckets, run queue) and databases. */
async function cleanUp(env) {
  const nats = await connect({ servers: env.NATS_URL });
  const streams = (await nats.jetstreamManager()).streams;
  for (const name of [`OBJ_${runId}`, `OBJ_${runId}-jobs`, runStream(runId)])
    await streams.delete(name).catch(() => undefined);
  await nats.drain();
  const connection = await mongoose.createConnection(env.MONGODB_URI).asPromise();
  try {
    for (const name of databases) await connection.useDb(name).dropDatabase();
  } finally {
    await connection.close();
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitReady(port, child, seconds) {
  const deadline = Date.now() + seconds * 1000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`exited (${child.exitCode ?? child.signalCode}) before /readyz answered 200`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = String(error.message ?? error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`/readyz did not answer 200 within ${seconds} s (last: ${last})`);
}

/** Starts `node main.js` in the image folder as the image's CMD does; resolves with its exit once stopped. */
async function startAndStop(folder, component, env) {
  const opsPort = await freePort();
  const child = spawn(process.execPath, ['main.js'], {
    cwd: folder,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      TMPDIR: join(folder, 'tmp'),
      NATS_URL: env.NATS_URL,
      MONGODB_URI: env.MONGODB_URI,
      MONGODB_DATABASE: database(component),
      NATS_SUBJECT_PREFIX: runId,
      // JetStream reserves a bucket's cap on disk: ask for little, in buckets of this run's own
      TRANSFER_BUCKET: runId,
      TRANSFER_BUCKET_MAX_BYTES: String(64 * 1024 ** 2),
      JOB_FILES_MAX_BYTES: String(64 * 1024 ** 2),
      OPS_HOST: '127.0.0.1',
      OPS_PORT: String(opsPort),
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      AUTH_SECRET_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  try {
    await waitReady(opsPort, child, 90);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`${component}: ${error.message}\n${output.slice(-3000)}`);
  }
  const health = await runHealthcheck(opsPort);
  child.kill('SIGTERM');
  const stop = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 20_000))]);
  if (stop === 'timeout') child.kill('SIGKILL');
  const healthAfterStop = await runHealthcheck(opsPort);
  return { stop, output, health, healthAfterStop };
}

/** Runs the Dockerfile's HEALTHCHECK command with OPS_PORT set as in the container; resolves with its exit code. */
function runHealthcheck(opsPort) {
  const [command, ...args] = healthcheck;
  return new Promise((resolve) => {
    execFile(
      command === 'node' ? process.execPath : command,
      args,
      { env: { PATH: process.env.PATH, OPS_PORT: String(opsPort) }, timeout: 10_000 },
      (error) => resolve(error ? (error.code ?? 'error') : 0),
    );
  });
}

/** Lays out and installs one component's image folder; returns the folder. */
async function buildImageFolder(component) {
  const folder = mkdtempSync(join(tmpdir(), `helixgate-image-${component}-`));
  keep.push(folder);
  assemble(component, folder, root);
  const [command, ...args] = shellWords(npmCiLine, component);
  await promisify(execFile)(command, [...args, '--prefer-offline'], {
    cwd: folder,
    maxBuffer: 16 << 20,
    timeout: 5 * 60 * 1000,
  });
  symlinkSync(`services/${component}/dist/src/main.js`, join(folder, 'main.js'));
  mkdirSync(join(folder, 'tmp')); // the image's /tmp volume
  return folder;
}

describe('image contents (docker/Dockerfile runtime stage, outside Docker)', () => {
  let env;
  const folders = new Map();
  before(async () => {
    env = infrastructureEnv();
    // One at a time would take minutes: npm ci is mostly waiting; `concurrency` installs at once.
    const queue = [...selected];
    const failures = new Map();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let component = queue.shift(); component; component = queue.shift()) {
          try {
            folders.set(component, await buildImageFolder(component));
          } catch (error) {
            failures.set(component, error);
          }
        }
      }),
    );
    for (const [component, error] of failures) folders.set(component, error);
  });
  after(async () => {
    for (const folder of keep) rmSync(folder, { recursive: true, force: true });
    if (env) await cleanUp(env);
  });

  test('the Dockerfile has the runtime install line the check reproduces', () => {
    assert.ok(npmCiLine, 'no `RUN npm ci --omit=dev …` line in docker/Dockerfile');
    assert.match(dockerfile, /^CMD \["node", "main\.js"\]$/m, 'the check starts `node main.js` as the image does');
    assert.ok(Array.isArray(healthcheck) && healthcheck[0] === 'node', 'HEALTHCHECK … CMD ["node", …] on its own line');
  });

  test('no node_modules above the temp folder could lend a package', () => {
    for (let dir = dirname(tmpdir()); dir !== parse(dir).root; dir = dirname(dir))
      assert.ok(!existsSync(join(dir, 'node_modules')), `${dir}/node_modules exists`);
    assert.ok(!existsSync(join(tmpdir(), 'node_modules')), `${tmpdir()}/node_modules exists`);
  });

  for (const component of selected) {
    test(`${component}: production dependencies only, starts, /readyz 200, HEALTHCHECK passes (fails once stopped), exits 0 on SIGTERM`, async () => {
      const folder = folders.get(component);
      if (folder instanceof Error) throw folder;
      assert.ok(!existsSync(join(folder, 'node_modules', 'typescript')), 'typescript (a dev dependency) was installed');
      assert.ok(!existsSync(join(folder, 'node_modules', 'nx')), 'nx (a dev dependency) was installed');
      const { stop, output, health, healthAfterStop } = await startAndStop(folder, component, env);
      assert.equal(health, 0, 'the HEALTHCHECK command failed while the component was up');
      assert.deepEqual(stop, { code: 0, signal: null }, `did not exit 0 on SIGTERM:\n${output.slice(-2000)}`);
      assert.equal(healthAfterStop, 1, 'the HEALTHCHECK command did not fail once the component had stopped');
    });
  }

  const negative = selected.includes('gateway') ? {} : { skip: 'needs gateway in IMAGE_CHECK_COMPONENTS' };
  test('a package missing from the image makes the check fail', negative, async () => {
    // gateway declares busboy; without it installed, the start must fail, as an undeclared package would.
    const folder = folders.get('gateway');
    if (folder instanceof Error) throw folder;
    rmSync(join(folder, 'node_modules', 'busboy'), { recursive: true, force: true });
    await assert.rejects(startAndStop(folder, 'gateway', env), /Cannot find module 'busboy'|exited/);
  });
});
