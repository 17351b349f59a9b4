import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { analyse, INPUT_KINDS, type InputKind, type KnowledgeBase, parseInputs, zipFiles } from '@helixgate/cgi';
import { CGI_BUILTIN, CGI_RESULTS_FILE, JobSubjects, type RunMetadata } from '@helixgate/contracts';
import type { RpcClient, TransferStore } from '@helixgate/platform';
import { fastaStats, mlstTyping, secondaryStructure } from './analysis-builtins';

/** What a built-in task is given: its inputs as files, its parameters, and ways to log and to write outputs. */
export interface BuiltinContext {
  runId: string;
  inputs: Array<{ name: string; path: string }>;
  parameters: Record<string, string>;
  /** Facts the submitting API family attached to the run (a CGI job's cancer type…). */
  metadata: RunMetadata;
  directory: string;
  log: (line: string) => void;
  /** Writes an output file of the run. */
  output: (name: string, content: string | Uint8Array) => Promise<void>;
  signal: AbortSignal;
  /** Requests to other services (the CGI analysis reads its knowledge base from the jobs service). */
  rpc: RpcClient;
  /** The short-lived transfer bucket, for request bodies too large for a message (a genome to type). */
  transfers: TransferStore;
}

export type Builtin = (context: BuiltinContext) => Promise<void>;

/** Built-in tasks by name; a job definition's `builtin:` names one of these. */
export const BUILTINS = new Map<string, Builtin>([
  // Does nothing: the engine's own overhead, for benchmarks and tests.
  ['noop', () => Promise.resolve()],
  // Waits `seconds` (default 1), logging each second: a stand-in for long work in tests.
  [
    'sleep',
    async ({ parameters, log, signal }) => {
      const seconds = Number(parameters.seconds ?? '1');
      if (!Number.isFinite(seconds) || seconds < 0 || seconds > 86_400)
        throw new Error('seconds must be between 0 and 86400');
      for (let elapsed = 0; elapsed < seconds; elapsed++) {
        await sleep(Math.min(1000, (seconds - elapsed) * 1000), undefined, { signal });
        log(`slept ${elapsed + 1} s`);
      }
    },
  ],
  // The Cancer Genome Interpreter analysis: the inputs (named mutations, cnas, translocations) interpreted
  // against the jobs service's knowledge base, CGI's output files zipped into one result.
  [
    CGI_BUILTIN,
    async ({ runId, inputs, metadata, log, output, rpc }) => {
      const raw: Partial<Record<InputKind, string>> = {};
      for (const input of inputs) {
        if ((INPUT_KINDS as readonly string[]).includes(input.name))
          raw[input.name as InputKind] = await readFile(input.path, 'utf8');
      }
      const parsed = parseInputs(raw);
      // The reply's evidence is any text; the jobs service stored what libs/cgi's parser checked.
      const kb = (await rpc.request(JobSubjects.getKnowledgeBase, {})) as KnowledgeBase;
      const reference = metadata.reference === 'hg19' ? 'hg19' : 'hg38';
      const cancerType = metadata.cancertype ?? 'CANCER';
      log(
        `# cgi analyze ${Object.keys(raw)
          .map((k) => `${k}.tsv`)
          .join(' ')} -c ${cancerType} -g ${reference}`,
      );
      const result = analyse(parsed, kb, {
        cancerType,
        reference,
        jobId: runId,
        title: metadata.title,
        raw,
      });
      for (const line of result.logs) log(line);
      await output(CGI_RESULTS_FILE, zipFiles(result.files.map((f) => ({ name: f.name, content: f.content }))));
    },
  ],
  // analytics_automated's shipped jobs (see the jobs service's ANALYTICS_AUTOMATED_STARTER_JOBS).
  ['mlst-typing', mlstTyping],
  ['fasta-stats', fastaStats],
  ['secondary-structure', secondaryStructure],
]);
