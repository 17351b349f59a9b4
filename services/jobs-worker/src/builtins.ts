import { setTimeout as sleep } from 'node:timers/promises';

/** What a built-in task is given: its inputs as files, its parameters, and ways to log and to write outputs. */
export interface BuiltinContext {
  runId: string;
  inputs: Array<{ name: string; path: string }>;
  parameters: Record<string, string>;
  /** Facts the submitting API family attached to the run (a CGI job's cancer type…). */
  metadata: Record<string, unknown>;
  directory: string;
  log(line: string): void;
  /** Writes an output file of the run. */
  output(name: string, content: string | Uint8Array): Promise<void>;
  signal: AbortSignal;
}

export type Builtin = (context: BuiltinContext) => Promise<void>;

/** Built-in tasks by name; a job definition's `builtin:` names one of these. */
export const BUILTINS = new Map<string, Builtin>([
  // Does nothing: the engine's own overhead, for benchmarks and tests.
  ['noop', async () => undefined],
  // Waits `seconds` (default 1), logging each second: a stand-in for long work in tests.
  [
    'sleep',
    async ({ parameters, log, signal }) => {
      const seconds = Number(parameters.seconds ?? '1');
      if (!Number.isFinite(seconds) || seconds < 0 || seconds > 86_400) throw new Error('seconds must be between 0 and 86400');
      for (let elapsed = 0; elapsed < seconds; elapsed++) {
        await sleep(Math.min(1000, (seconds - elapsed) * 1000), undefined, { signal });
        log(`slept ${elapsed + 1} s`);
      }
    },
  ],
]);
