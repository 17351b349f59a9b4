import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { BuiltinTask, ExecutableTask, JobDefinition, Run, RunFile, Task } from '@helixgate/contracts';
import { InjectConfig, InjectJobFiles, RpcClient, TransferStore } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import { BUILTINS } from './builtins';
import { expandCommand } from './command-template';
import type { WorkerConfig } from './config';

/** Largest output file a run may store. */
const OUTPUT_LIMIT_BYTES = 20 * 1024 ** 3;

export interface RunOutcome {
  state: 'Complete' | 'Error';
  message: string;
  outputs: RunFile[];
}

/** A step that ended the run early: `terminate` completes it, `fail` ends it in Error. */
class StepEnd extends Error {
  constructor(
    readonly behaviour: 'terminate' | 'fail',
    message: string,
  ) {
    super(message);
  }
}

interface LocalFile {
  name: string;
  path: string;
  /** For an output: the step order and task that wrote it. */
  step?: number;
  task?: string;
}

/** A client's file name made safe to use inside the run directory: never a path, never hidden. */
export function localName(index: number, name: string): string {
  const safe = basename(name)
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '');
  return `in${index + 1}_${safe || 'input'}`.slice(0, 200);
}

const describe = (order: number, task: Task) => `step ${order} (${task.name})`;

/**
 * Runs one run's steps in a directory of its own: steps in order, steps of the same order at once; each step's
 * inputs are the run's files (its inputs, then earlier steps' outputs) ending in one of its in_globs.
 */
@Injectable()
export class RunExecutor {
  /** Where per-run directories are made. */
  private readonly workDir: string;

  constructor(
    @InjectJobFiles() private readonly files: TransferStore,
    @InjectConfig() config: WorkerConfig,
    private readonly rpc: RpcClient,
    /** The short-lived transfer bucket built-ins park large request bodies in. */
    private readonly transfers: TransferStore,
  ) {
    this.workDir = config.JOBS_WORK_DIR;
  }

  /**
   * `progress` hears the run's last message as analytics_automated words it: "Running step: N" when the Nth
   * order of steps starts, "Completed step: N" after it, and the outcome "Completed job at step #N".
   */
  async execute(
    run: Run,
    definition: JobDefinition,
    log: (line: string) => void,
    signal: AbortSignal,
    progress: (message: string) => void = () => undefined,
  ): Promise<RunOutcome> {
    const directory = await mkdtemp(join(this.workDir, `run-${run.id.replace(/[^A-Za-z0-9-]/g, '')}-`));
    const outputs: RunFile[] = [];
    try {
      const available: LocalFile[] = [];
      for (const [index, input] of run.inputs.entries()) {
        const path = join(directory, localName(index, input.name));
        await pipeline(Readable.from(this.files.stream(input.ref)), createWriteStream(path));
        available.push({ name: input.name, path });
      }
      const orders = [...new Set(definition.steps.map((s) => s.order))].sort((a, b) => a - b);
      for (const [index, order] of orders.entries()) {
        const steps = definition.steps.filter((s) => s.order === order);
        progress(`Running step: ${index + 1}`);
        const stepInputs = (task: Task) =>
          available.filter(
            (f) => !task.inGlobs.length || task.inGlobs.some((g) => f.name.endsWith(g) || f.path.endsWith(g)),
          );
        const produced = await Promise.allSettled(
          steps.map((step) =>
            step.task.kind === 'executable'
              ? this.executable(run, order, step.task, stepInputs(step.task), directory, log, signal)
              : this.builtin(run, order, step.task, stepInputs(step.task), directory, log, signal),
          ),
        );
        for (const result of produced) if (result.status === 'fulfilled') available.push(...result.value);
        for (const result of produced) {
          if (result.status === 'rejected') {
            outputs.push(...(await this.store(available.filter((f) => !run.inputs.some((i) => i.name === f.name)))));
            const error = result.reason as Error;
            if (signal.aborted) return { state: 'Error', message: 'Cancelled', outputs };
            if (error instanceof StepEnd && error.behaviour === 'terminate')
              return { state: 'Complete', message: error.message, outputs };
            return { state: 'Error', message: error.message, outputs };
          }
        }
        progress(`Completed step: ${index + 1}`);
      }
      outputs.push(...(await this.store(available.filter((f) => !run.inputs.some((i) => i.name === f.name)))));
      return { state: 'Complete', message: `Completed job at step #${orders.length}`, outputs };
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }

  /** Stores output files; when one cannot be stored, those already stored are removed and the error goes on. */
  private async store(files: LocalFile[]): Promise<RunFile[]> {
    const stored: RunFile[] = [];
    try {
      for (const file of files) {
        const ref = await this.files.put(
          createReadStream(file.path),
          OUTPUT_LIMIT_BYTES,
          `Output ${file.name} is too large.`,
        );
        stored.push({ name: file.name, ref, ...(file.step !== undefined ? { step: file.step, task: file.task } : {}) });
      }
    } catch (error) {
      for (const file of stored) await this.files.remove(file.ref);
      throw error;
    }
    return stored;
  }

  private async builtin(
    run: Run,
    order: number,
    task: BuiltinTask,
    inputs: LocalFile[],
    directory: string,
    log: (line: string) => void,
    signal: AbortSignal,
  ): Promise<LocalFile[]> {
    const implementation = BUILTINS.get(task.builtin);
    if (!implementation)
      throw new StepEnd('fail', `${describe(order, task)}: there is no built-in task ${task.builtin}`);
    const written: LocalFile[] = [];
    const timeout = AbortSignal.timeout(task.timeoutSeconds * 1000);
    const both = AbortSignal.any([signal, timeout]);
    try {
      await implementation({
        runId: run.id,
        inputs: inputs.map((f) => ({ name: f.name, path: f.path })),
        parameters: Object.fromEntries(
          task.parameters
            .map((p) => [p.name, run.parameters[p.name] ?? p.default])
            .filter((e): e is [string, string] => e[1] !== undefined),
        ),
        metadata: run.metadata,
        directory,
        log,
        signal: both,
        rpc: this.rpc,
        transfers: this.transfers,
        output: async (name, content) => {
          const path = join(directory, `out_${basename(name).replace(/[^A-Za-z0-9._-]/g, '_')}`);
          await writeFile(path, content);
          written.push({ name, path, step: order, task: task.name });
        },
      });
    } catch (error) {
      if (timeout.aborted)
        throw new StepEnd('fail', `${describe(order, task)} took longer than ${task.timeoutSeconds} s`);
      throw new StepEnd('fail', `${describe(order, task)} failed: ${(error as Error).message}`);
    }
    return written;
  }

  private executable(
    run: Run,
    order: number,
    task: ExecutableTask,
    inputs: LocalFile[],
    directory: string,
    log: (line: string) => void,
    signal: AbortSignal,
  ): Promise<LocalFile[]> {
    const stem = `${run.id}_${task.name}`;
    const outputs: LocalFile[] = task.outGlobs.map((glob) => ({
      name: `${stem}${glob}`,
      path: join(directory, `${stem}${glob}`),
      step: order,
      task: task.name,
    }));
    let argv: string[];
    try {
      argv = expandCommand(task, {
        inputs: inputs.map((f) => f.path),
        outputs: outputs.map((o) => o.path),
        parameters: run.parameters,
        runId: run.id,
        directory,
      });
    } catch (error) {
      return Promise.reject(new StepEnd('fail', `${describe(order, task)}: ${(error as Error).message}`));
    }
    const stdoutFile: LocalFile | undefined = task.stdoutGlob
      ? {
          name: `${stem}${task.stdoutGlob}`,
          path: join(directory, `${stem}${task.stdoutGlob}`),
          step: order,
          task: task.name,
        }
      : undefined;
    log(`${describe(order, task)}: ${argv.map((a) => (/[\s"'\\]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
    return new Promise<LocalFile[]>((resolve, reject) => {
      // No shell: the program and its arguments as a vector; only PATH and the task's own variables.
      const child = spawn(argv[0], argv.slice(1), {
        cwd: directory,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: directory, TMPDIR: directory, ...task.environment },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const stdoutSink = stdoutFile ? createWriteStream(stdoutFile.path) : undefined;
      let bytes = 0;
      let lastError = '';
      let ended: string | undefined;
      const stop = (why: string) => {
        if (ended) return;
        ended = why;
        child.kill('SIGKILL');
      };
      const timer = setTimeout(() => stop(`took longer than ${task.timeoutSeconds} s`), task.timeoutSeconds * 1000);
      const onAbort = () => stop('was cancelled');
      signal.addEventListener('abort', onAbort);
      const lines = (stream: NodeJS.ReadableStream, prefix: string, onLine: (line: string) => void) => {
        let pending = '';
        stream.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > task.maxOutputBytes) stop(`wrote more than ${task.maxOutputBytes} bytes of output`);
          const parts = (pending + chunk.toString('utf8')).split('\n');
          pending = parts.pop() ?? '';
          for (const line of parts) onLine(`${prefix}${line}`);
        });
        stream.on('end', () => pending && onLine(`${prefix}${pending}`));
      };
      if (stdoutSink) {
        stdoutSink.on('error', (error) => stop(`could not write its standard output to a file: ${error.message}`));
        child.stdout.pipe(stdoutSink);
      }
      lines(child.stdout, '', log);
      lines(child.stderr, '', (line) => {
        lastError = line;
        log(line);
      });
      child.on('error', (error) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        reject(new StepEnd('fail', `${describe(order, task)} could not start ${argv[0]}: ${error.message}`));
      });
      const closed = async (code: number | null, killedBy: NodeJS.Signals | null) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (stdoutSink && !stdoutSink.destroyed) await new Promise((done) => stdoutSink.end(done));
        if (ended) {
          reject(new StepEnd('fail', `${describe(order, task)} ${ended}`));
          return;
        }
        const status = code ?? 128;
        if (status !== 0) {
          const custom = task.customExit?.statuses.includes(status) ? task.customExit.behaviour : undefined;
          const message = `${describe(order, task)} exited with status ${killedBy ?? status}${lastError ? `: ${lastError.slice(0, 500)}` : ''}`;
          if (custom !== 'continue') {
            reject(new StepEnd(custom === 'terminate' ? 'terminate' : 'fail', message));
            return;
          }
          log(`${message} (continuing, as the task says)`);
        }
        const present = outputs.filter((o) => existsSync(o.path));
        const missing = outputs.filter((o) => !existsSync(o.path));
        if (missing.length && task.incompleteOutputs !== 'continue') {
          reject(
            new StepEnd(
              task.incompleteOutputs,
              `${describe(order, task)} did not write ${missing.map((m) => m.name).join(', ')}`,
            ),
          );
          return;
        }
        resolve([...present, ...(stdoutFile ? [stdoutFile] : [])]);
      };
      child.on('close', (code, killedBy) => {
        void closed(code, killedBy);
      });
    });
  }
}
