// What the benchmark scripts share: leaving the infrastructure as they found it, and percentiles.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Notes which infrastructure servers (NATS, FerretDB…) run before a benchmark starts its stack; `release`
 * afterwards stops the ones the run started when BENCH_STOP_INFRA=1, or says they were left for later runs.
 */
export function infrastructureSnapshot(root, say) {
  const pidDir = join(process.env.HELIXGATE_STATE_DIR ?? join(root, '.helixgate'), 'run');
  const pidFiles = () => (existsSync(pidDir) ? readdirSync(pidDir).filter((f) => f.endsWith('.pid')) : []);
  const before = new Set(pidFiles());
  return {
    release() {
      const started = pidFiles()
        .filter((f) => !before.has(f))
        .map((f) => f.replace(/\.pid$/, ''));
      if (started.length && process.env.BENCH_STOP_INFRA === '1') {
        spawnSync('bash', [join(root, 'deploy/local/infra.sh'), 'down', ...started], { cwd: root, stdio: 'inherit' });
      } else if (started.length)
        say(`left running for later runs: ${started.join(', ')} (npm run infra -- down stops them)`);
    },
  };
}

/** The p-quantile (0–1) of values already sorted ascending: the value below which a fraction p of them fall. */
export const percentileOfSorted = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/**
 * A benchmark's isolated stack and its one way out: `start(promise)` records the stack being started;
 * `shutdown(code)` (also on Ctrl-C and SIGTERM, once however often it is called) runs `before` (extra processes,
 * connections), stops the stack's processes and drops its databases, runs `after` (temporary files), releases the
 * infrastructure as found, and exits with the code.
 */
export function benchStack(root, say, { before, after } = {}) {
  const infrastructure = infrastructureSnapshot(root, say);
  let stack;
  let starting;
  let closing;
  const shutdown = async (code) => {
    closing ??= (async () => {
      await before?.();
      stack ??= await starting?.catch(() => undefined); // interrupted while the stack was starting
      if (stack) await stack.close().catch((error) => say(`closing the stack: ${error.message}`));
      await after?.();
      infrastructure.release();
    })();
    await closing;
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(130));
  process.on('SIGTERM', () => void shutdown(143));
  return {
    async start(promise) {
      starting = promise;
      stack = await promise;
      return stack;
    },
    shutdown,
  };
}
