// The supervisor of `npm start` on its own, with small child scripts: a child that exits is restarted with a
// doubling backoff that is reset once a child stayed up; stop() is SIGTERM to all and no more restarts; a second
// stop() is SIGKILL.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { Supervisor } from './supervisor.mjs';

const dir = mkdtempSync(join(tmpdir(), 'supervisor-'));
const script = (name, source) => {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
};
const until = async (condition, what, timeoutMs = 15_000) => {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(20)) if (condition()) return;
  assert.fail(`timed out waiting for ${what}`);
};

describe('deploy/local/supervisor.mjs', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a child that exits is restarted with a doubling backoff, reset after it stayed up', async () => {
    // Runs 1-4 exit at once, run 5 stays up past resetAfterMs and exits, run 6 stays.
    const counter = join(dir, 'runs');
    writeFileSync(counter, '0');
    const flaky = script(
      'flaky.js',
      `const fs = require('fs'); const run = Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8')) + 1;
       fs.writeFileSync(${JSON.stringify(counter)}, String(run));
       if (run <= 4) process.exit(3);
       setTimeout(() => { if (run === 5) process.exit(4); }, 400); setInterval(() => {}, 1000);`,
    );
    const lines = [];
    const supervisor = new Supervisor({
      log: (line) => lines.push(line),
      backoff: { initialMs: 20, maxMs: 80, resetAfterMs: 300 },
    });
    supervisor.start('flaky', { script: flaky, detached: false, stdio: 'ignore' });
    await until(() => supervisor.restarts('flaky') === 5 && supervisor.child('flaky'), 'the sixth run');
    assert.deepEqual(
      lines.map((line) =>
        /^flaky exited \((\d+)\); restarting it in (\d+) ms \(restart (\d+)\)$/.exec(line)?.slice(1).join(' '),
      ),
      ['3 20 1', '3 40 2', '3 80 3', '3 80 4', '4 20 5'],
      lines.join('\n'),
    );
    await supervisor.stop();
    assert.equal(supervisor.child('flaky'), undefined);
  });

  test('stop(): SIGTERM to every child, no restart; a second stop() kills one that does not stop', async () => {
    const polite = script(
      'polite.js',
      `process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000); console.log('up');`,
    );
    const stubborn = script(
      'stubborn.js',
      `process.on('SIGTERM', () => console.log('ignoring SIGTERM')); setInterval(() => {}, 1000); console.log('up');`,
    );
    const lines = [];
    const exits = [];
    const supervisor = new Supervisor({ log: (line) => lines.push(line), backoff: { initialMs: 20 } });
    supervisor.on('exit', (name, code, signal) => exits.push(`${name} ${code ?? signal}`));
    const started = new Set();
    supervisor.on('start', (name, child) => child.stdout.once('data', () => started.add(name)));
    for (const [name, path] of [
      ['polite', polite],
      ['stubborn', stubborn],
    ])
      supervisor.start(name, { script: path, detached: false, stdio: ['ignore', 'pipe', 'inherit'] });
    await until(() => started.size === 2, 'both children up');
    const stopped = supervisor.stop();
    await until(() => exits.includes('polite 0'), 'the polite child to exit on SIGTERM');
    await sleep(200);
    assert.ok(supervisor.child('stubborn'), 'the stubborn one is still running');
    assert.equal(supervisor.restarts('polite'), 0, 'no restart while stopping');
    supervisor.stop();
    await stopped;
    assert.deepEqual(exits.sort(), ['polite 0', 'stubborn SIGKILL']);
    assert.ok(lines.includes('second signal: killing the stack'), lines.join('\n'));
    assert.throws(() => supervisor.start('late', { script: polite }), /stopping/);
  });
});
