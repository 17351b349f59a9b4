import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

export interface Infrastructure {
  natsUrl: string;
  mongoUri: string;
}

/** The repository root: the folder holding deploy/local/infra.sh above this file. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'deploy', 'local', 'infra.sh'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root (deploy/local/infra.sh) above ' + __dirname);
    dir = parent;
  }
  return dir;
}

let infrastructure: Promise<Infrastructure> | undefined;

/**
 * The real NATS and MongoDB-compatible servers, found or started by deploy/local/infra.sh — the same script
 * `npm start` and CI use. NATS_URL and MONGODB_URI in the environment win. Started once per test process.
 */
export function ensureInfrastructure(): Promise<Infrastructure> {
  infrastructure ??= (async () => {
    const { stdout } = await promisify(execFile)('bash', [join(repoRoot(), 'deploy', 'local', 'infra.sh'), 'up'], {
      env: process.env,
      maxBuffer: 1 << 20,
      timeout: 10 * 60 * 1000,
    });
    const values = Object.fromEntries(
      stdout
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    if (!values.NATS_URL || !values.MONGODB_URI)
      throw new Error(`infra.sh printed no NATS_URL/MONGODB_URI:\n${stdout}`);
    return { natsUrl: values.NATS_URL, mongoUri: values.MONGODB_URI };
  })();
  return infrastructure;
}

/** A name unique to this test run, for databases and subject prefixes, so runs never see each other. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
