import http from 'node:http';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { startStack, importPubmlstScheme } = require('/work/main/libs/testing/dist/src/index.js');
const path = process.argv[2] ?? '/db/pubmlst_neisseria_seqdef/loci/abcZ/alleles/5';
const env = (dir) => ({ LOG_LEVEL: 'warn', NODE_OPTIONS: '--require /tmp/prof/cpuprof.cjs', PROF_DIR: `/tmp/prof/${dir}` });
const stack = await startStack(['typing-db'], { gateway: { ...env('gateway'), RATE_LIMIT_PER_MINUTE: '1000000000' }, 'typing-db': env('typing-db') });
try {
  await importPubmlstScheme(stack, 'neisseria', 'pubmlst_neisseria_seqdef');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
  const statuses = {};
  const get = () => new Promise((res) => http.get(`${stack.baseUrl}${path}`, { agent }, (r) => { r.resume(); r.on('end', () => { statuses[r.statusCode] = (statuses[r.statusCode] ?? 0) + 1; res(r.statusCode); }); }).on('error', () => res(0)));
  let t = Date.now(); console.log('first', await get(), Date.now() - t, 'ms'); t = Date.now(); console.log('second', await get(), Date.now() - t, 'ms');
  const end = Date.now() + 10000; let n = 0;
  await Promise.all(Array.from({ length: 50 }, async () => { while (Date.now() < end) { await get(); n++; } }));
  console.log('rps', n / 10, statuses);
} finally { await stack.close(); }
