import { randomUUID } from 'node:crypto';
import {
  AA_FORM_ERRORS,
  AA_INPUT_MAX_BYTES,
  AA_MAX_JOBS_PER_SUBMISSION,
  type AaSubjects,
  isPrototypeKey,
  type JobDefinition,
  type JobInputValidator,
  JobSubjects,
  type ObjectRef,
  type ParsedRequest,
  type Run,
  ServiceError,
} from '@helixgate/contracts';
import {
  checkParameterValues,
  INPUT_NOT_VALIDATED_MESSAGE,
  MISSING_PARAMETER_MESSAGE,
  missingParameters,
  NucleotideFastaCheck,
  parameterErrorMessage,
  restAlias,
  serverCommands,
  SUBMISSION_FIELDS,
  validateInput,
  type ValidatorName,
} from '@helixgate/aa';
import { InjectConfig, InjectLogger, RpcClient, TransferStore } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { SubmissionsConfig } from '../config';
import { AaJobsService } from './aa-jobs.service';
import { AaSubmissionsRepository } from './aa-submissions.repository';
import type { AaSubmissionDocument } from './aa-submissions.schema';

type SubmitRequest = ParsedRequest<typeof AaSubjects.submit>;

/** How long a replica holds a submission it is queueing before another may take it up. */
const QUEUE_CLAIM_MS = 5 * 60_000;
/** How long POSTs of one client wait for each other, and after how long a held lock was left by a dead replica. */
const CLIENT_LOCK = { waitMs: 30_000, staleMs: 60_000 };
/** How much of an upload A_A's own validators read. */
const AA_VALIDATION_PREFIX_BYTES = 16 * 1024 ** 2;
/** Django's EmailValidator, closely: a dot-atom user part and a domain of labels (or localhost). */
const EMAIL =
  /^[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*@((?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+[A-Z0-9-]{2,63}|localhost)$/i;

/** A_A's form error body: `{"error": {field: [messages]}}` (400). */
const formErrors = (errors: Record<string, string[]>) =>
  new ServiceError(400, AA_FORM_ERRORS, 'The submission form has errors.', errors);

/** The public name of the input file: the submission's UUID and the ending the first step reads (A_A: `<uuid>.<in_glob>`). */
function inputName(uuid: string, definition: JobDefinition, fileName: string): string {
  const first = [...definition.steps].sort((a, b) => a.order - b.order)[0]?.task;
  const glob = first?.inGlobs[0];
  if (glob) return `${uuid}${glob.startsWith('.') || glob.startsWith('_') ? glob : `.${glob}`}`;
  const ending = /\.[A-Za-z0-9]{1,10}$/.exec(fileName)?.[0] ?? '.input';
  return `${uuid}${ending}`;
}

/**
 * How long a withdrawn submission with no run is watched for one appearing late: past the longest a submit can be
 * carried out after this side gave up on it (the RPC timeout, and a margin).
 */
const LATE_RUN_WATCH_MS = 5 * 60 * 1000;

/** What a checked POST asks for: its jobs (one submission each), the client's values and the stored upload. */
interface BatchOrder {
  jobs: JobDefinition[];
  name: string;
  email: string;
  input: { fileName: string; ref: ObjectRef };
  client: string;
  baseUri: string;
  parameters: Map<string, string>;
}

/**
 * analytics_automated's batches as a POST makes them: A_A's checks in A_A's order, then one submission per job, each
 * with its run queued with the jobs service before the answer; a batch no client was given is withdrawn.
 */
@Injectable()
export class AaBatchesService {
  private commands: ReadonlySet<string> | undefined;

  constructor(
    private readonly repository: AaSubmissionsRepository,
    private readonly jobs: AaJobsService,
    private readonly rpc: RpcClient,
    private readonly transfers: TransferStore,
    @InjectConfig() private readonly config: SubmissionsConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** `POST submission/`: A_A's checks in A_A's order (research A.2), then one run per job. */
  async submit(request: SubmitRequest): Promise<{ UUID: string; submission_name: string }> {
    try {
      return await this.checkAndQueue(request);
    } catch (error) {
      if (request.input) await this.transfers.remove(request.input.ref);
      throw error;
    }
  }

  private async checkAndQueue({
    fields,
    input,
    client,
    baseUri,
  }: SubmitRequest): Promise<{ UUID: string; submission_name: string }> {
    // A field's name becomes a parameter's name: one that reaches an object's prototype is refused outright.
    const prototypeName = fields.find(([key]) => isPrototypeKey(key));
    if (prototypeName)
      throw ServiceError.badRequest(`Input contains a field named ${prototypeName[0]}, which is not accepted`);
    // Django's QueryDict: pop('x')[0] takes the first of a repeated field, d[x] the last.
    const first = (name: string) => fields.find(([key]) => key === name)?.[1];
    const submissionName = first('submission_name');
    const email = first('email');
    const jobField = first('job');
    // 1. The three keys.
    if (submissionName === undefined || email === undefined || jobField === undefined)
      throw ServiceError.badRequest('Input does not contain all required fields');
    // 2. Every job named exists.
    const names = jobField.split(',');
    if (names.length > AA_MAX_JOBS_PER_SUBMISSION) {
      throw ServiceError.badRequest(`A submission may name at most ${AA_MAX_JOBS_PER_SUBMISSION} jobs.`);
    }
    const listed = await this.jobs.listed();
    const definitions = names.map((name) => listed.find((d) => d.name === name));
    if (definitions.some((d) => d === undefined)) throw ServiceError.badRequest('Job name supplied does not exist');
    const jobs = definitions as JobDefinition[];
    // 3. Queue limits, per client address (counted again when the submission is added).
    this.checkHardLimit(await this.repository.countUnfinished(client));
    // 4. Per job: enabled, every parameter given, every other field's value sane.
    const parameters = new Map<string, string>();
    for (const [name, value] of fields) if (!SUBMISSION_FIELDS.includes(name)) parameters.set(name, value);
    for (const job of jobs) {
      if (!job.runnable) throw new ServiceError(403, 'disabled', `${job.name} is present but currently disabled.`);
      if (missingParameters(job, parameters.keys()).length)
        throw ServiceError.badRequest(parameterErrorMessage(job.name, MISSING_PARAMETER_MESSAGE));
      this.commands ??= serverCommands();
      const sanity = checkParameterValues(parameters.entries(), this.commands);
      if (!sanity.ok) throw ServiceError.badRequest(parameterErrorMessage(job.name, sanity.message));
    }
    // 5. The form: name, e-mail, input file, the job's validators.
    const errors: Record<string, string[]> = {};
    const name = submissionName.trim();
    if (!name) errors.submission_name = ['This field is required.'];
    else if (name.length > 64)
      errors.submission_name = [`Ensure this value has at most 64 characters (it has ${name.length}).`];
    const address = email.trim();
    if (!address) errors.email = ['This field is required.'];
    else if (address.length > 254 || !EMAIL.test(address)) errors.email = ['Enter a valid email address.'];
    if (!input) errors.input_data = ['This field is required.'];
    else {
      const largest = Math.min(AA_INPUT_MAX_BYTES, ...jobs.map((j) => j.inputMaxBytes ?? AA_INPUT_MAX_BYTES));
      if (input.ref.size > largest)
        errors.input_data = [
          `The file is larger than ${jobs.length > 1 ? 'one of these jobs takes' : 'this job takes'} (${(largest / 1024 ** 2).toFixed(1)} MB).`,
        ];
      else if (!(await this.passesValidators([...new Set(jobs.flatMap((j) => j.validators))], input.ref)))
        errors.input_data = [INPUT_NOT_VALIDATED_MESSAGE];
    }
    if (Object.keys(errors).length) throw formErrors(errors);
    return this.accept({ jobs, name, email: address, input: input!, client, baseUri, parameters });
  }

  /** A_A's 429 at or above the hard limit of unfinished submissions. */
  private checkHardLimit(unfinished: number): void {
    const hard = this.config.AA_QUEUE_HARD_LIMIT;
    if (hard && unfinished >= hard) {
      throw new ServiceError(
        429,
        'too_many_submissions',
        `You have no authority to post jobs.Either you are not logged in you have too many, ${unfinished}, concurrent jobs running`,
      );
    }
  }

  /**
   * The job's validators over the upload, read as a stream: `nucleotide_fasta` over the whole file in constant
   * memory; A_A's own over at most the first 16 MB (a valid `seq` input is far smaller, and `pdb_file` and the
   * images are recognised by what comes first).
   */
  private async passesValidators(validators: JobInputValidator[], ref: ObjectRef): Promise<boolean> {
    if (validators.includes('nucleotide_fasta')) {
      const check = new NucleotideFastaCheck();
      for await (const chunk of this.transfers.stream(ref)) check.push(chunk);
      if (!check.end()) return false;
    }
    const own = validators.filter((v): v is ValidatorName => v !== 'nucleotide_fasta' && v !== 'none');
    if (!own.length) return true;
    if (own.includes('seq') && ref.size > AA_VALIDATION_PREFIX_BYTES) return false;
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of this.transfers.stream(ref)) {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= AA_VALIDATION_PREFIX_BYTES) break;
    }
    return validateInput(own, Buffer.concat(chunks).subarray(0, AA_VALIDATION_PREFIX_BYTES)).ok;
  }

  /**
   * A checked POST becomes a batch, and its runs are queued before the answer, so a 201 means they are. The client's
   * unfinished submissions are counted and the batch added under the client's lock, so concurrent POSTs of one client
   * cannot pass the hard limit together.
   */
  private async accept(order: BatchOrder): Promise<{ UUID: string; submission_name: string }> {
    const submissions = await this.lockedForClient(order.client, async () => {
      const unfinished = await this.repository.countUnfinished(order.client);
      this.checkHardLimit(unfinished);
      const priority = this.config.AA_QUEUE_HOG_SIZE && unfinished >= this.config.AA_QUEUE_HOG_SIZE ? 'low' : 'normal';
      return this.addBatch({ ...order, priority });
    });
    await this.queueBatch(submissions);
    return { UUID: submissions[0].batch, submission_name: order.name };
  }

  /** Work holding the client's lock (`queue:<client>`); without a hard limit there is nothing to count. */
  private lockedForClient<T>(client: string, work: () => Promise<T>): Promise<T> {
    if (!this.config.AA_QUEUE_HARD_LIMIT) return work();
    const busy = () => ServiceError.unavailable('Too many submissions from this address at once; try again shortly.');
    return this.repository.withClaim(`queue:${client}`, { ...CLIENT_LOCK, busy, logger: this.logger }, work);
  }

  /** The batch and its submissions, stored unqueued. */
  private async addBatch(order: BatchOrder & { priority: 'low' | 'normal' }): Promise<AaSubmissionDocument[]> {
    const batchId = randomUUID();
    const now = new Date();
    const claimUntil = new Date(now.getTime() + QUEUE_CLAIM_MS);
    const submissions: AaSubmissionDocument[] = order.jobs.map((job) => {
      const id = randomUUID();
      const runParameters: Record<string, string> = {};
      for (const step of job.steps) {
        for (const parameter of step.task.parameters) {
          const value = order.parameters.get(restAlias(step.task, parameter));
          if (value !== undefined) runParameters[parameter.name] = value;
        }
      }
      return {
        _id: id,
        batch: batchId,
        name: order.name,
        job: job.name,
        email: order.email,
        client: order.client,
        state: 'Submitted',
        lastMessage: 'Submitted',
        inputName: inputName(id, job, order.input.fileName),
        taskNumbers: Object.fromEntries(job.steps.map((s, i) => [s.task.name, i + 1])),
        results: [],
        queued: false,
        queue: {
          upload: order.input.ref,
          priority: order.priority,
          parameters: runParameters,
          // The jobs service counts this batch's runs too; 0: no limit, as AA_QUEUE_HARD_LIMIT=0 means.
          unfinishedLimit: this.config.AA_QUEUE_HARD_LIMIT ? this.config.AA_QUEUE_HARD_LIMIT + order.jobs.length : 0,
          claimUntil,
        },
        createdAt: now,
        modified: now,
      };
    });
    await this.repository.insertBatch(
      {
        _id: batchId,
        submissions: submissions.map((s) => s._id),
        state: 'Submitted',
        email: order.email,
        jobs: order.jobs.map((j) => j.name),
        baseUri: order.baseUri,
        notification: 'pending',
        createdAt: now,
      },
      submissions,
    );
    return submissions;
  }

  /**
   * The batch's runs queued in turn: the first copies the upload into its files, the others share that copy (the
   * jobs service removes it with the last run holding it), and the upload is removed. All or nothing, as the client
   * sees it: when one cannot be queued, the batch is withdrawn (the runs queued already cancelled, every submission in
   * Error) and the POST answers 503, so nothing runs that the client was given no UUID for, or counts against its limit.
   */
  private async queueBatch(submissions: AaSubmissionDocument[]): Promise<void> {
    const batch = submissions[0].batch;
    const refused = async (message: string) => {
      await this.withdraw(batch, message).catch((error: unknown) => {
        // Its unqueued submissions' claims run out and the sync withdraws it.
        this.logger.error(
          { batch, error: (error as Error).message },
          'a batch could not be withdrawn now; the sync will',
        );
      });
      return ServiceError.unavailable(message);
    };
    let input = submissions[0].queue!.upload;
    for (const submission of submissions) {
      // The batch is being queued: the sync leaves its unqueued submissions alone while their claim holds.
      const claimUntil = new Date(Date.now() + QUEUE_CLAIM_MS);
      await this.repository.extendQueueClaim(batch, claimUntil);
      try {
        const run = await this.queueOne(submission, input);
        input = run.inputs[0]?.ref ?? input;
      } catch (error) {
        this.logger.error(
          { batch, submission: submission._id, error: (error as Error).message },
          'a submission could not be queued',
        );
        throw await refused(`Unable to queue the job: ${(error as Error).message}`);
      }
    }
    // A batch whose claims ran out meanwhile was withdrawn by the sync: it is not the client's either.
    if ((await this.repository.findBatch(batch))?.withdrawn) {
      throw await refused('Unable to queue the job: queueing took too long.');
    }
    await this.transfers.remove(submissions[0].queue!.upload);
  }

  /**
   * A batch no client was given (its POST failed or was cut off): no e-mail, its runs cancelled (by the sync later
   * when the jobs service cannot be reached now), every unfinished submission in Error saying why, its upload removed.
   */
  async withdraw(batchId: string, message: string): Promise<void> {
    // Marked withdrawn first (a POST still queueing it sees that), ended last, so that a batch shown as ended has
    // every submission ended too.
    await this.repository.markBatchWithdrawn(batchId);
    // Its submissions too, so that a refresh from its run no longer writes them (see refresh).
    await this.repository.markBatchSubmissionsWithdrawn(batchId);
    const submissions = await this.repository.findSubmissionsOfBatch(batchId);
    for (const submission of submissions) {
      const outcome = await this.cancelRunOf(submission._id);
      await this.repository.endInError(submission._id, message, new Date());
      // No run yet may still become one (a submit that timed out here may yet be carried out there): keep looking.
      await this.repository.markQueued(
        submission._id,
        outcome === 'cancelled' ? {} : { cancelPending: true, cancelUntil: new Date(Date.now() + LATE_RUN_WATCH_MS) },
      );
    }
    const upload = submissions.find((s) => s.queue)?.queue?.upload;
    if (upload) await this.transfers.remove(upload);
    // A refresh that read a submission before it was marked may have written its run's state over the Error (on
    // FerretDB 1.x a filtered update is not atomic): ended again here, before the batch shows as ended.
    await this.repository.endBatchSubmissionsInError(batchId, message);
    await this.repository.setBatchState(batchId, 'Error');
  }

  /** Ends the submission's run in Error: 'cancelled', 'absent' (no such run, yet), or 'unreachable' (ask again later). */
  cancelRunOf(runId: string): Promise<'cancelled' | 'absent' | 'unreachable'> {
    return this.rpc.request(JobSubjects.cancelRun, { runId }).then(
      () => 'cancelled' as const,
      (error: unknown) => {
        if (error instanceof ServiceError && error.status === 404) return 'absent' as const;
        this.logger.warn(
          { run: runId, error: (error as Error).message },
          'a run could not be cancelled now; the sync will',
        );
        return 'unreachable' as const;
      },
    );
  }

  /** One submission's run over `input` (the upload, or the batch's first run's file), created once; throws if it cannot be. */
  private async queueOne(submission: AaSubmissionDocument, input: ObjectRef): Promise<Run> {
    const queue = submission.queue!;
    const existing = () =>
      this.rpc.request(JobSubjects.getRun, { runId: submission._id }).catch((error: unknown) => {
        if (error instanceof ServiceError && error.status === 404) return undefined;
        throw error;
      });
    let run = await existing();
    if (!run) {
      const batch = await this.repository.findBatch(submission.batch);
      run = await this.rpc
        .request(JobSubjects.submitRun, {
          id: submission._id,
          job: submission.job,
          owner: `analytics_automated:${submission.client}`,
          priority: queue.priority,
          parameters: queue.parameters,
          inputs: [{ name: submission.inputName, ref: input }],
          sharedInputs: true,
          metadata: { batch: submission.batch, submission_name: submission.name, baseUri: batch?.baseUri ?? '' },
          unfinishedLimit: queue.unfinishedLimit,
        })
        .catch(async (error: unknown) => {
          // 409: it was queued meanwhile (a retried request).
          const queued = error instanceof ServiceError && error.status === 409 ? await existing() : undefined;
          if (!queued) throw error;
          return queued;
        });
    }
    await this.repository.markQueued(submission._id);
    return run;
  }
}
