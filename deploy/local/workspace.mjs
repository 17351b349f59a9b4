// Shared by `npm start` (start.mjs) and `npm test` (test.mjs): install, build, and find or start the
// infrastructure, returning the environment every Helixgate process of this machine should get.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a command in the repository, output to the terminal; exits this process if it fails. */
export function step(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`helixgate: ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

/** npm ci when node_modules is missing, then every project built through Nx (cached, no daemon, no cloud). */
export function installAndBuild() {
  if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) step('npm', ['ci', '--no-audit', '--no-fund']);
  step('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static'], {
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
}

/** deploy/local/infra.sh up: the process environment plus the NATS_URL and MONGODB_URI it printed. */
export function infrastructureEnv() {
  const printed = execFileSync('bash', [join(root, 'deploy/local/infra.sh'), 'up'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const env = { ...process.env };
  for (const line of printed.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) env[line.slice(0, at)] = line.slice(at + 1);
  }
  return env;
}

/**
 * Secrets a local stack needs, made once and kept in .helixgate/secrets.env (git-ignored) so that data
 * encrypted by one run can be read by the next. Values already in the environment win.
 */
export function localSecrets() {
  const file = join(process.env.HELIXGATE_STATE_DIR ?? join(root, '.helixgate'), 'secrets.env');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `AUTH_SECRET_KEY=${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  const secrets = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0 && !process.env[line.slice(0, at)]) secrets[line.slice(0, at)] = line.slice(at + 1);
  }
  return secrets;
}
