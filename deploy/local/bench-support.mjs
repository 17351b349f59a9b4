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
      const started = pidFiles().filter((f) => !before.has(f)).map((f) => f.replace(/\.pid$/, ''));
      if (started.length && process.env.BENCH_STOP_INFRA === '1') {
        spawnSync('bash', [join(root, 'deploy/local/infra.sh'), 'down', ...started], { cwd: root, stdio: 'inherit' });
      } else if (started.length) say(`left running for later runs: ${started.join(', ')} (npm run infra -- down stops them)`);
    },
  };
}

/** The p-quantile (0–1) of values already sorted ascending: the value below which a fraction p of them fall. */
export const percentileOfSorted = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
