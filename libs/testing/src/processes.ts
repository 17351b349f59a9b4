import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './infrastructure';

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface RunningProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly opsPort: number;
  /** Everything the process printed, stdout and stderr, for assertions and for failure reports. */
  output(): string;
  /** Sends a signal and waits for the exit; resolves with the exit code (or the signal's name). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

async function waitReady(process: RunningProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null) {
      throw new Error(`${process.name} exited with code ${process.child.exitCode}:\n${process.output()}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${process.opsPort}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${process.name} was not ready within ${timeoutMs} ms:\n${process.output()}`);
}

/**
 * Runs a built service (services/<name>/dist/src/main.js) as its own process, as a pod would, and waits
 * until its /readyz answers 200.
 */
export function startServiceProcess(
  name: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<RunningProcess> {
  return startProcess(name, join(repoRoot(), 'services', name, 'dist', 'src', 'main.js'), env, timeoutMs);
}

/** Runs any Node script that serves the ops port (OPS_PORT) as a process, and waits for its /readyz. */
export async function startProcess(
  name: string,
  script: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<RunningProcess> {
  const opsPort = Number(env.OPS_PORT ?? (await freePort()));
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env, OPS_PORT: String(opsPort), OPS_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const running: RunningProcess = {
    name,
    child,
    opsPort,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  try {
    await waitReady(running, timeoutMs);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return running;
}
