#!/usr/bin/env node
// `npm run bench:store`: FerretDB's two backends side by side on the queries Helixgate makes, to choose the
// embedded default by measurement. It builds FerretDB with infra.sh (`tools`) and runs it twice on spare ports,
// once over the local PostgreSQL (a database of its own, dropped afterwards) and once over SQLite (a temporary
// directory), fills the same collection in each (BENCH_STORE_ROWS documents shaped like alleles: 100 databases,
// 7 loci each, a 400-base sequence, a unique key on database+locus+id) and times, one client, in the same run:
// inserts in batches of 1,000; 100 point reads by _id; 100 reads of one locus's alleles by an equality filter
// on database and locus (what typing-db loads a locus by); the same filter on one database; 100 `$in` reads of
// 5 _ids; and a read of every row. The reference is PostgreSQL's own figure for each query (ratio 1×).
// A benchmark to read, not a test.
//
// Environment: BENCH_STORE_ROWS (default 100000), FERRETDB_POSTGRESQL_URL (as infra.sh).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { root } from './workspace.mjs';

const ROWS = Number(process.env.BENCH_STORE_ROWS ?? 100_000);
const PG_URL = process.env.FERRETDB_POSTGRESQL_URL ?? 'postgres://postgres@127.0.0.1:5432/helixgate_ferretdb';
const PG_BENCH_URL = PG_URL.replace(/\/[^/?]*(\?.*)?$/, '/helixgate_bench_store$1');
const say = (message) => console.error(`bench: ${message}`);
const { MongoClient } = createRequire(import.meta.url)(join(root, 'node_modules/mongodb'));

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

function psql(sql) {
  const admin = PG_URL.replace(/\/[^/?]*(\?.*)?$/, '/postgres');
  return spawnSync('psql', ['-w', admin, '-qc', sql], {
    encoding: 'utf8',
    env: { ...process.env, PGCONNECT_TIMEOUT: '5' },
  });
}

const tools = spawnSync('bash', [join(root, 'deploy/local/infra.sh'), 'tools'], { cwd: root, stdio: 'inherit' });
if (tools.status !== 0) process.exit(1);
const ferretdb = join(process.env.HELIXGATE_STATE_DIR ?? join(root, '.helixgate'), 'tools/bin/ferretdb-v1.24.2');
const sqliteDir = mkdtempSync(join(tmpdir(), 'bench-store-'));
const servers = [];

async function startFerretdb(name, args) {
  const port = await freePort();
  const child = spawn(
    ferretdb,
    [
      ...args,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=warn',
      `--state-dir=${join(sqliteDir, `state-${name}`)}`,
    ],
    { stdio: 'ignore' },
  );
  servers.push(child);
  const client = new MongoClient(`mongodb://127.0.0.1:${port}`, { serverSelectionTimeoutMS: 20_000 });
  await client.connect();
  return { name, client };
}

const time = async (label, runs, work) => {
  const started = performance.now();
  for (let i = 0; i < runs; i += 1) await work(i);
  return { label, ms: (performance.now() - started) / runs };
};

async function measure({ name, client }) {
  const collection = client.db('bench_store').collection('alleles');
  await collection.drop().catch(() => undefined);
  await collection.createIndex({ database: 1, locus: 1, id: 1 }, { unique: true });
  const row = (i) => ({
    _id: `db${i % 100}|l${(i >> 7) % 7}|${i}`,
    database: `db${i % 100}`,
    locus: `l${(i >> 7) % 7}`,
    id: i,
    sequence: 'ACGT'.repeat(100),
  });
  say(`${name}: inserting ${ROWS.toLocaleString('en-US')} rows…`);
  const results = [];
  const started = performance.now();
  for (let from = 0; from < ROWS; from += 1000)
    await collection.insertMany(
      Array.from({ length: Math.min(1000, ROWS - from) }, (_, k) => row(from + k)),
      {
        ordered: false,
      },
    );
  results.push({ label: `insert ${ROWS.toLocaleString('en-US')} rows (s)`, ms: (performance.now() - started) / 1000 });
  say(`${name}: reading…`);
  const ids = (i) => row((i * 7919) % ROWS)._id;
  results.push(await time('point read by _id (ms)', 100, (i) => collection.findOne({ _id: ids(i) })));
  results.push(
    await time('one locus of one database, equality filter (ms)', 10, (i) =>
      collection.find({ database: `db${i % 100}`, locus: `l${i % 7}` }).toArray(),
    ),
  );
  results.push(
    await time('one database, equality filter (ms)', 5, (i) => collection.find({ database: `db${i}` }).toArray()),
  );
  results.push(
    await time('$in of 5 _ids (ms)', 5, (i) =>
      collection.find({ _id: { $in: [0, 1, 2, 3, 4].map((k) => ids(i * 5 + k)) } }).toArray(),
    ),
  );
  results.push(
    await time('every row (s)', 1, () => collection.find({}).toArray()).then((r) => ({ ...r, ms: r.ms / 1000 })),
  );
  await collection.drop();
  return results;
}

try {
  psql('DROP DATABASE IF EXISTS helixgate_bench_store');
  const created = psql('CREATE DATABASE helixgate_bench_store');
  if (created.status !== 0) throw new Error(`PostgreSQL at ${PG_URL} refused a database: ${created.stderr.trim()}`);
  const pg = await startFerretdb('PostgreSQL', ['--handler=postgresql', `--postgresql-url=${PG_BENCH_URL}`]);
  const lite = await startFerretdb('SQLite', ['--handler=sqlite', `--sqlite-url=file:${sqliteDir}/`]);
  const [pgResults, liteResults] = [await measure(pg), await measure(lite)];
  await Promise.all([pg.client.close(), lite.client.close()]);
  console.log(`\nFerretDB 1.24 backends, ${ROWS.toLocaleString('en-US')} allele-shaped rows, one client, same run\n`);
  console.log(
    `${'query'.padEnd(50)} ${'PostgreSQL'.padStart(11)} ${'SQLite'.padStart(11)} ${'SQLite/PG'.padStart(10)}`,
  );
  pgResults.forEach((r, i) => {
    const l = liteResults[i];
    const f = (v) => (v < 10 ? v.toFixed(2) : v.toFixed(0));
    console.log(
      `${r.label.padEnd(50)} ${f(r.ms).padStart(11)} ${f(l.ms).padStart(11)} ${`${(l.ms / r.ms).toFixed(2)}x`.padStart(10)}`,
    );
  });
  console.log('');
} catch (error) {
  say(error.stack ?? String(error));
  process.exitCode = 1;
} finally {
  for (const server of servers) server.kill();
  await sleep(500);
  psql('DROP DATABASE IF EXISTS helixgate_bench_store');
  rmSync(sqliteDir, { recursive: true, force: true });
}
