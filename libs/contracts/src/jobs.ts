import { z } from 'zod';
import { defineSubject } from './subject';
import { ObjectRefSchema } from './transfer';

/**
 * Job definitions as analytics_automated models them (research A.4): a job is ordered steps, steps with the
 * same order run in parallel, each step runs one task. A task is an executable with an argument template, or
 * a built-in task written in TypeScript. Definitions are loaded from YAML by the jobs admin command.
 */
const Name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'letters, digits, _ . - (at most 100)');
/** File name endings: ".fa", "_out.txt", "ss2". */
const Glob = z.string().regex(/^[A-Za-z0-9_.-]{1,50}$/, 'a file name ending: letters, digits, _ . -');

export const TaskParameterSchema = z.object({
  /** The name a submission gives the value by (A_A's rest_alias). */
  name: Name,
  /** The command-line flag, e.g. "-n"; a flag holding VALUE ("--n=VALUE") takes the value in its place. */
  flag: z.string().max(100).default(''),
  default: z.string().max(1000).optional(),
  /** A boolean parameter: the flag alone when true, nothing when false. */
  boolValued: z.boolean().default(false),
  /** The value alone, without its flag. */
  switchless: z.boolean().default(false),
  /** Flag and value as two arguments (true) or joined in one ("-n5"). */
  spacing: z.boolean().default(true),
});
export type TaskParameter = z.infer<typeof TaskParameterSchema>;

/** What to do when an executable's outputs are missing, or it exits with one of custom exit statuses. */
export const TaskOutcomeSchema = z.enum(['continue', 'terminate', 'fail']);

export const ExecutableTaskSchema = z.object({
  kind: z.literal('executable'),
  name: Name,
  /**
   * The command as an argument vector, never a shell line: tokens $I1… (inputs), $O1… (outputs), $P1…
   * (parameters, each expanding to zero or more arguments), $ID (the run id) and $TMP (the run's directory).
   */
  command: z.array(z.string().max(1000)).min(1).max(200),
  inGlobs: z.array(Glob).max(20).default([]),
  outGlobs: z.array(Glob).max(20).default([]),
  /** Where the task's standard output goes, as an output file ending (A_A: ".stdout"); none when empty. */
  stdoutGlob: z.union([Glob, z.literal('')]).default(''),
  parameters: z.array(TaskParameterSchema).max(50).default([]),
  environment: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(4000)).default({}),
  incompleteOutputs: TaskOutcomeSchema.default('fail'),
  customExit: z
    .object({ statuses: z.array(z.number().int().min(1).max(255)).min(1), behaviour: TaskOutcomeSchema })
    .optional(),
  timeoutSeconds: z
    .number()
    .int()
    .positive()
    .max(7 * 86_400)
    .default(3600),
  maxOutputBytes: z
    .number()
    .int()
    .positive()
    .default(1024 ** 3),
});
export type ExecutableTask = z.infer<typeof ExecutableTaskSchema>;

export const BuiltinTaskSchema = z.object({
  kind: z.literal('builtin'),
  name: Name,
  /** The registered built-in, e.g. "noop", "cgi-analysis". */
  builtin: Name,
  inGlobs: z.array(Glob).max(20).default([]),
  parameters: z.array(TaskParameterSchema).max(50).default([]),
  timeoutSeconds: z
    .number()
    .int()
    .positive()
    .max(7 * 86_400)
    .default(3600),
});
export type BuiltinTask = z.infer<typeof BuiltinTaskSchema>;

export const TaskSchema = z.discriminatedUnion('kind', [ExecutableTaskSchema, BuiltinTaskSchema]);
export type Task = z.infer<typeof TaskSchema>;

/**
 * Checks of a submission's input file before a run is queued: A_A's validators (research A.2 step 5) and
 * Helixgate's `nucleotide_fasta` (FASTA of DNA, for typing and assembly statistics).
 */
export const JOB_INPUT_VALIDATORS = ['seq', 'pdb_file', 'gif', 'png', 'jpeg', 'none', 'nucleotide_fasta'] as const;
export const JobInputValidatorSchema = z.enum(JOB_INPUT_VALIDATORS);
export type JobInputValidator = z.infer<typeof JobInputValidatorSchema>;

export const JobDefinitionSchema = z.object({
  name: Name,
  description: z.string().max(2000).default(''),
  runnable: z.boolean().default(true),
  /** Listed and run by the analytics_automated API (`/analytics_automated/...`); false for jobs other APIs run (CGI). */
  analyticsAutomated: z.boolean().default(true),
  /** Checks the input file of an analytics_automated submission must pass. */
  validators: z.array(JobInputValidatorSchema).max(10).default([]),
  /** Largest input file an analytics_automated submission of this job takes (a job typing through typing-db: what it accepts). */
  inputMaxBytes: z.number().int().positive().optional(),
  steps: z
    .array(z.object({ order: z.number().int().min(0), task: TaskSchema }))
    .min(1)
    .max(100),
});
export type JobDefinition = z.infer<typeof JobDefinitionSchema>;
export type JobDefinitionInput = z.input<typeof JobDefinitionSchema>;

export const RUN_STATES = ['Submitted', 'Running', 'Complete', 'Error'] as const;
export const RunStateSchema = z.enum(RUN_STATES);
export type RunState = z.infer<typeof RunStateSchema>;
export const RUN_PRIORITIES = ['high', 'normal', 'low'] as const;
export const RunPrioritySchema = z.enum(RUN_PRIORITIES);

/** A file of a run: its name as the run knows it and where its bytes are. */
export const RunFileSchema = z.object({
  name: z.string().min(1).max(255),
  ref: ObjectRefSchema,
  /** For an output: the step order and the task that wrote it. */
  step: z.number().int().optional(),
  task: z.string().max(100).optional(),
});
export type RunFile = z.infer<typeof RunFileSchema>;

/**
 * Facts the API family that submitted a run attached to it, all text. The keys are each family's own (open, so
 * a family adds one without a contract change); the ones Helixgate writes are named here.
 */
export const RunMetadataSchema = z
  .object({
    /** A CGI job's info (research C: `{id, user, title, cancertype, reference, dataset, date}`, less id and user). */
    title: z.string().optional(),
    cancertype: z.string().optional(),
    reference: z.string().optional(),
    dataset: z.string().optional(),
    /** "YYYY-MM-DD hh:mm:ss", UTC. */
    date: z.string().optional(),
    /** An analytics_automated submission's batch (its UUID), its name, and the public origin its typing uses. */
    batch: z.string().optional(),
    submission_name: z.string().optional(),
    baseUri: z.string().optional(),
  })
  .catchall(z.string());
export type RunMetadata = z.infer<typeof RunMetadataSchema>;

export const RunSchema = z.object({
  id: z.string(),
  job: Name,
  owner: z.string().max(320),
  priority: RunPrioritySchema,
  state: RunStateSchema,
  message: z.string(),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  cancelled: z.boolean(),
  parameters: z.record(z.string()),
  inputs: z.array(RunFileSchema),
  outputs: z.array(RunFileSchema),
  metadata: RunMetadataSchema,
});
export type Run = z.infer<typeof RunSchema>;

const RunRef = z.object({ runId: z.string().min(1).max(100) });
const Owned = RunRef.extend({ owner: z.string().max(320).optional() });

/** What travels on the work queue: only the run's id; the jobs service hands out the rest. */
export const RunMessageSchema = RunRef;
/** The work-queue stream (one per NATS_SUBJECT_PREFIX, so test stacks never share one) and its subjects, one per priority. */
export const runStream = (prefix = '') => (prefix ? `${prefix}_RUNS` : 'HELIXGATE_RUNS');
export const runSubject = (priority: z.infer<typeof RunPrioritySchema> | '*', prefix = '') =>
  `${prefix ? `${prefix}.` : ''}jobs.work.${priority}`;
/**
 * The jobs service publishes one of these (plain NATS, not kept) when a run's outcome is recorded or it is cancelled:
 * whoever waits for runs to end listens instead of polling getRun. A hint, not a record: the run is what getRun says.
 */
export const RunEndedEventSchema = RunRef.extend({ state: z.enum(['Complete', 'Error']) });
export type RunEndedEvent = z.infer<typeof RunEndedEventSchema>;
export const runEndedSubject = (prefix = '') => `${prefix ? `${prefix}.` : ''}jobs.runs.ended.v1`;

/** The job definition a CGI launch runs, and the name of the results zip it writes. */
export const CGI_JOB = 'cgi';
export const CGI_RESULTS_FILE = 'cgi-results.zip';
/** The jobs-worker built-in that runs the CGI analysis. */
export const CGI_BUILTIN = 'cgi-analysis';
export const CgiInputKindSchema = z.enum(['mutations', 'cnas', 'translocations']);
/** Largest input file of a CGI launch. */
export const CGI_FILE_MAX_BYTES = 50 * 1024 ** 2;
/**
 * Largest total of a CGI launch's files. An analysis holds its inputs, their rows and its output files at once (the
 * worker's peak is about seven times the input), so the total, not each file, is what bounds its memory.
 */
export const CGI_JOB_MAX_BYTES = 50 * 1024 ** 2;

/** A genomic change as `chr pos ref alt` (1-based), chromosome without "chr". */
const GenomicChangeSchema = z.object({ chr: z.string(), pos: z.number(), ref: z.string(), alt: z.string() });

/**
 * The knowledge base the CGI analysis reads, as libs/cgi's parseKnowledgeBase builds it from cancer_genes.tsv and
 * biomarkers.tsv (the `KnowledgeBase` type there: a plain JSON value, stored and sent unchanged).
 */
export const KnowledgeBaseSchema = z.object({
  /** First 12 hex digits of a SHA-256 over both files. */
  version: z.string(),
  cancerGenes: z.array(
    z.object({
      gene: z.string(),
      role: z.enum(['Act', 'LoF', 'ambiguous']),
      driverAlterations: z.array(z.enum(['MUT', 'AMP', 'DEL', 'FUS'])),
      knownInTumors: z.array(z.string()),
      /** Validated oncogenic protein changes, exact ("H1047R") or codon ("V600"). */
      knownOncogenic: z.array(z.string()),
      transcripts: z.array(z.string()),
      source: z.string(),
      /** 1-based line in cancer_genes.tsv. */
      line: z.number().int(),
    }),
  ),
  biomarkers: z.array(
    z.object({
      gene: z.string(),
      /** As written in the file ("V600E", "BCR__ABL1", "AMP", "*__ALK", "T790M + C797S"). */
      alteration: z.string(),
      alterations: z.array(
        z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('protein'), gene: z.string(), change: z.string() }),
          z.object({ kind: z.literal('codon'), gene: z.string(), ref: z.string(), position: z.number().int() }),
          z.object({ kind: z.literal('truncating'), gene: z.string() }),
          z.object({ kind: z.literal('cna'), gene: z.string(), cna: z.enum(['AMP', 'DEL']) }),
          /** '*' stands for any partner. */
          z.object({ kind: z.literal('fusion'), genes: z.tuple([z.string(), z.string()]) }),
        ]),
      ),
      drugs: z.array(z.string()),
      response: z.enum(['Responsive', 'Resistant']),
      /** One of libs/cgi's EVIDENCE_LEVELS ("FDA guidelines" … "Pre-clinical"), checked when the base is loaded. */
      evidence: z.string(),
      tumorTypes: z.array(z.string()),
      source: z.string(),
      /** 1-based line in biomarkers.tsv. */
      line: z.number().int(),
    }),
  ),
  /** Protein changes whose genomic coordinates the knowledge base gives, per reference. */
  variants: z.array(
    z.object({
      gene: z.string(),
      change: z.string(),
      hg19: GenomicChangeSchema.nullable(),
      hg38: GenomicChangeSchema.nullable(),
    }),
  ),
  /** CGI's tumour types as a tree under CANCER (parent null for CANCER only). */
  tumourTypes: z.array(z.object({ code: z.string(), name: z.string(), parent: z.string().nullable() })),
});

export const JobSubjects = {
  putDefinition: defineSubject(
    'jobs.definitions.put.v1',
    JobDefinitionSchema,
    z.object({ name: Name, created: z.boolean() }),
  ),
  listDefinitions: defineSubject('jobs.definitions.list.v1', z.object({}), z.array(JobDefinitionSchema)),
  getDefinition: defineSubject('jobs.definitions.get.v1', z.object({ name: Name }), JobDefinitionSchema),
  /** Creates a run in Submitted and queues it; 403 past the owner's limit of unfinished runs. */
  submitRun: defineSubject(
    'jobs.runs.submit.v1',
    z.object({
      job: Name,
      owner: z.string().max(320),
      priority: RunPrioritySchema.default('normal'),
      parameters: z.record(z.string().max(10_000)).default({}),
      inputs: z.array(RunFileSchema).max(100).default([]),
      metadata: RunMetadataSchema.default({}),
      /** An id the caller chose (CGI's 20 hex characters); a new UUID otherwise. */
      id: z
        .string()
        .regex(/^[A-Za-z0-9-]{8,64}$/)
        .optional(),
      /**
       * The caller's own limit of the owner's unfinished runs (analytics_automated counts per client), instead of
       * JOBS_MAX_UNFINISHED_PER_OWNER; 0 for none.
       */
      unfinishedLimit: z.number().int().min(0).max(2_000_000).optional(),
      /**
       * Inputs several runs share (one upload read by the runs of a batch): an upload is copied and left for the
       * caller to remove, and an input may be a file another run of the owner holds (its ref from that run), which
       * is removed with the last run holding it. Otherwise each upload is moved into the run's own files.
       */
      sharedInputs: z.boolean().optional(),
    }),
    RunSchema,
  ),
  /** A run; with an owner, someone else's run is a 404. */
  getRun: defineSubject('jobs.runs.get.v1', Owned, RunSchema),
  listRuns: defineSubject(
    'jobs.runs.list.v1',
    z.object({ owner: z.string().max(320), job: Name.optional() }),
    z.array(RunSchema),
  ),
  /** The run's log lines, in order. */
  getLogs: defineSubject('jobs.runs.logs.v1', Owned, z.object({ state: RunStateSchema, lines: z.array(z.string()) })),
  /** Ends an unfinished run in Error ("Cancelled"); a worker running it stops at its next heartbeat. */
  cancelRun: defineSubject('jobs.runs.cancel.v1', Owned, RunSchema),
  /** Removes a run, its log and its files. */
  deleteRun: defineSubject('jobs.runs.delete.v1', Owned, z.object({ deleted: z.boolean() })),

  /**
   * A Cancer Genome Interpreter launch: cancer type, reference and input files checked (errors name the file
   * and line), then a run of the CGI job with a 20-hex-character id.
   */
  launchCgi: defineSubject(
    'jobs.cgi-jobs.launch.v1',
    z.object({
      owner: z.string().max(320),
      cancerType: z.string().max(100),
      title: z.string().max(1000).optional(),
      reference: z.string().max(20).optional(),
      files: z
        .array(z.object({ kind: CgiInputKindSchema, fileName: z.string().max(255), ref: ObjectRefSchema }))
        .max(3),
    }),
    RunSchema,
  ),
  /** The knowledge base the CGI analysis reads (loaded by the jobs admin command). */
  getKnowledgeBase: defineSubject('jobs.knowledge-base.get.v1', z.object({}), KnowledgeBaseSchema),

  // Worker side
  /** A worker takes a run: its definition, inputs and parameters, unless it has ended (then `run` is absent). */
  startRun: defineSubject(
    'jobs.runs.start.v1',
    RunRef.extend({ worker: z.string().max(200), attempt: z.number().int().positive() }),
    z.object({ run: RunSchema.optional(), definition: JobDefinitionSchema.optional() }),
  ),
  /**
   * Appends log lines and, with `message`, sets a running run's last message ("Running step: 2"); the reply says
   * whether the run was cancelled meanwhile (also the worker's heartbeat).
   */
  appendLog: defineSubject(
    'jobs.runs.append-log.v1',
    RunRef.extend({ lines: z.array(z.string().max(10_000)).max(1000), message: z.string().max(1000).optional() }),
    z.object({ cancelled: z.boolean() }),
  ),
  /**
   * A worker's outcome; only the first outcome of a run counts. `lines` are the run's last log lines, appended
   * before the outcome is recorded (so a run seen ended has its whole log), as appendLog would.
   */
  finishRun: defineSubject(
    'jobs.runs.finish.v1',
    RunRef.extend({
      state: z.enum(['Complete', 'Error']),
      message: z.string().max(10_000),
      outputs: z.array(RunFileSchema).max(1000),
      lines: z.array(z.string().max(10_000)).max(1000).default([]),
    }),
    z.object({ recorded: z.boolean() }),
  ),
};
