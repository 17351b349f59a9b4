import { randomUUID } from 'node:crypto';
import {
  type JobDefinition,
  type JobSubjects,
  type ObjectRef,
  type Run,
  type RunFile,
  type RunState,
  runSubject,
  ServiceError,
} from '@helixgate/contracts';
import { isDuplicateKeyError, type TransferStore, withLock } from '@helixgate/platform';
import type { JetStreamClient } from 'nats';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { JobsConfig } from './config';
import type { JobsModels, RunDocument, RunProgressDocument } from './models';

type In<K extends keyof typeof JobSubjects> = z.output<(typeof JobSubjects)[K]['request']>;

const FINAL: RunState[] = ['Complete', 'Error'];
/** Largest input file a run takes. */
const INPUT_LIMIT_BYTES = 2 * 1024 ** 3;

const now = () => new Date().toISOString();

/** The run as the contract gives it; while it is Running, its message is the worker's latest. */
function toRun(doc: RunDocument, progress?: RunProgressDocument | null): Run {
  // logLines: kept in the run document by earlier releases.
  const {
    _id,
    attempts: _attempts,
    worker: _worker,
    logLines: _logLines,
    ...rest
  } = doc as RunDocument & { logLines?: number };
  const message = doc.state === 'Running' && progress?.message ? progress.message : doc.message;
  return { id: _id, ...rest, message } as Run;
}

/**
 * The one owner of runs and their state: Submitted → Running → Complete | Error. Workers take runs from the
 * JetStream work queue and report back here; only a run's first outcome counts, so a run redelivered after its
 * worker died completes once.
 */
export class RunsService {
  constructor(
    private readonly models: JobsModels,
    private readonly config: JobsConfig,
    private readonly jetstream: JetStreamClient,
    /** Short-lived uploads the gateway parked (they expire on their own). */
    private readonly transfers: TransferStore,
    /** Run files kept until the run is deleted. */
    private readonly files: TransferStore,
    private readonly logger: Logger,
  ) {}

  /** An operator's definition (the admin command): it replaces any of the name, the shipped one included. */
  async putDefinition(definition: JobDefinition): Promise<{ name: string; created: boolean }> {
    const existing = await this.models.definitions.findById(definition.name).lean();
    await this.models.definitions.replaceOne(
      { _id: definition.name },
      { _id: definition.name, definition, updatedAt: now() },
      { upsert: true },
    );
    return { name: definition.name, created: !existing };
  }

  /**
   * A definition Helixgate ships: put when none has its name, and kept current while it is still the shipped one
   * (a new release's changes reach existing sites); an operator's own definition of the name is never replaced.
   */
  async putShippedDefinition(definition: JobDefinition): Promise<'created' | 'updated' | 'kept'> {
    const result = await this.models.definitions.updateOne(
      { _id: definition.name, shipped: true },
      { $set: { definition, updatedAt: now() } },
    );
    if (result.matchedCount === 1) return 'updated';
    const inserted = await this.models.definitions.updateOne(
      { _id: definition.name },
      { $setOnInsert: { definition, shipped: true, updatedAt: now() } },
      { upsert: true },
    );
    return inserted.upsertedCount === 1 ? 'created' : 'kept';
  }

  async listDefinitions(): Promise<JobDefinition[]> {
    return (await this.models.definitions.find().lean())
      .map((d) => d.definition)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async definition(name: string): Promise<JobDefinition> {
    const found = await this.models.definitions.findById(name).lean();
    if (!found) throw ServiceError.notFound(`Job ${name} does not exist.`);
    return found.definition;
  }

  private async owned(runId: string, owner?: string): Promise<RunDocument> {
    const run = await this.models.runs.findById(runId).lean<RunDocument>();
    if (!run || (owner !== undefined && run.owner !== owner))
      throw ServiceError.notFound(`Run ${runId} does not exist.`);
    return run;
  }

  /** CGI's "403": the owner has all the unfinished runs allowed. */
  private tooManyRuns(limit: number): ServiceError {
    return new ServiceError(
      403,
      'too_many_runs',
      `Too many unfinished jobs (at most ${limit}); wait for one to end or delete one.`,
    );
  }

  async submit(request: In<'submitRun'>): Promise<Run> {
    const definition = await this.definition(request.job);
    if (!definition.runnable) throw ServiceError.badRequest(`Job ${request.job} is not runnable.`);
    const known = new Set(definition.steps.flatMap((s) => s.task.parameters.map((p) => p.name)));
    const unknown = Object.keys(request.parameters).find((name) => !known.has(name));
    if (unknown !== undefined) throw ServiceError.badRequest(`Job ${request.job} has no parameter ${unknown}.`);
    // The caller's own limit, 0 for none (analytics_automated's AA_QUEUE_HARD_LIMIT=0): then nothing is counted.
    const limit = request.unfinishedLimit ?? this.config.JOBS_MAX_UNFINISHED_PER_OWNER;
    const unfinishedOf = () =>
      this.models.runs.countDocuments({ owner: request.owner, state: { $in: ['Submitted', 'Running'] } });
    if (limit && (await unfinishedOf()) >= limit) {
      throw this.tooManyRuns(limit);
    }
    const id = request.id ?? randomUUID();
    // Inputs move from the short-lived upload bucket to the run's own files; shared ones are held instead.
    const inputs: RunFile[] = [];
    const copied: ObjectRef[] = [];
    const holders: string[] = [];
    /** A submission that fails after its inputs moved leaves none behind in the bucket that never expires. */
    const discardInputs = async () => {
      for (const holder of holders) await this.models.fileHolders.deleteOne({ _id: holder });
      for (const ref of copied) await this.files.remove(ref);
    };
    try {
      for (const { name, ref } of request.inputs)
        inputs.push({ name, ref: await this.input(request, id, ref, copied, holders) });
    } catch (error) {
      await discardInputs();
      throw error;
    }
    const doc: RunDocument = {
      _id: id,
      job: request.job,
      owner: request.owner,
      priority: request.priority,
      state: 'Submitted',
      message: 'Submitted',
      createdAt: now(),
      cancelled: false,
      parameters: request.parameters,
      inputs,
      outputs: [],
      metadata: request.metadata,
      attempts: 0,
    };
    try {
      await this.models.runs.create(doc);
    } catch (error) {
      await discardInputs();
      if (isDuplicateKeyError(error)) throw new ServiceError(409, 'conflict', `Run ${id} exists already.`);
      throw error;
    }
    // The count before the insert is not atomic with it: counted again after, a submission that went past the
    // limit in a race withdraws itself (both racers may be refused; never more than the limit run).
    if (limit && (await unfinishedOf()) > limit) {
      await this.models.runs.deleteOne({ _id: id });
      await discardInputs();
      throw this.tooManyRuns(limit);
    }
    try {
      await this.jetstream.publish(
        runSubject(request.priority, this.config.NATS_SUBJECT_PREFIX),
        JSON.stringify({ runId: id }),
        { msgID: id },
      );
    } catch {
      await this.models.runs.deleteOne({ _id: id });
      await discardInputs();
      throw ServiceError.unavailable('The job queue is not available; try again shortly.');
    }
    return toRun(doc);
  }

  /**
   * One input of a new run: a copy in the run's files of the upload, or with `sharedInputs` a file another run of
   * the owner holds already, and then held by this run too.
   */
  private async input(
    request: In<'submitRun'>,
    runId: string,
    ref: ObjectRef,
    copied: ObjectRef[],
    holders: string[],
  ): Promise<ObjectRef> {
    let file = ref;
    if (request.sharedInputs && ref.bucket === this.files.bucket) {
      const held = await this.models.fileHolders.findOne({ file: ref.name, owner: request.owner }).lean();
      if (!held) throw ServiceError.badRequest("An input is no file of this owner's runs.");
    } else {
      file = await this.files.put(this.transfers.stream(ref), INPUT_LIMIT_BYTES, 'The input file is too large.');
      copied.push(file);
      // The caller's upload, unless several runs read it.
      if (!request.sharedInputs) await this.transfers.remove(ref);
    }
    if (request.sharedInputs) {
      const holder = `${file.name}|${runId}`;
      try {
        await this.models.fileHolders.create({ _id: holder, file: file.name, run: runId, owner: request.owner });
      } catch (error) {
        if (isDuplicateKeyError(error)) throw new ServiceError(409, 'conflict', `Run ${runId} exists already.`);
        throw error;
      }
      holders.push(holder);
    }
    return file;
  }

  /** A deleted run's input: removed unless other runs still hold it. */
  private async removeInput(runId: string, ref: ObjectRef): Promise<void> {
    const { deletedCount } = await this.models.fileHolders.deleteOne({ _id: `${ref.name}|${runId}` });
    if (deletedCount === 1 && (await this.models.fileHolders.findOne({ file: ref.name }).lean())) return;
    await this.files.remove(ref);
  }

  async get({ runId, owner }: In<'getRun'>): Promise<Run> {
    return this.withProgress(await this.owned(runId, owner));
  }

  private async withProgress(doc: RunDocument): Promise<Run> {
    return toRun(
      doc,
      doc.state === 'Running' ? await this.models.progress.findById(doc._id).lean<RunProgressDocument>() : null,
    );
  }

  async list({ owner, job }: In<'listRuns'>): Promise<Run[]> {
    const filter: Record<string, unknown> = { owner };
    if (job) filter.job = job;
    const runs = await this.models.runs.find(filter).lean<RunDocument[]>();
    runs.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a._id.localeCompare(b._id));
    return Promise.all(runs.map((run) => this.withProgress(run)));
  }

  async logs({ runId, owner }: In<'getLogs'>): Promise<{ state: RunState; lines: string[] }> {
    const run = await this.owned(runId, owner);
    const batches = await this.models.logs.find({ runId }).lean();
    return { state: run.state, lines: batches.sort((a, b) => a.seq - b.seq).flatMap((b) => b.lines) };
  }

  async cancel({ runId, owner }: In<'cancelRun'>): Promise<Run> {
    await this.owned(runId, owner);
    await this.models.runs.updateOne(
      { _id: runId, state: { $in: ['Submitted', 'Running'] } },
      { $set: { state: 'Error', message: 'Cancelled', cancelled: true, finishedAt: now() } },
    );
    return this.withProgress(await this.owned(runId, owner));
  }

  async delete({ runId, owner }: In<'deleteRun'>): Promise<{ deleted: boolean }> {
    await this.owned(runId, owner);
    // The document as it was when deleted lists every file, even outputs a finishing worker just recorded;
    // a worker still running the run sees it gone at its next heartbeat. On FerretDB 1.x findOneAndDelete is a find
    // then a delete: concurrent deletes would all find the run, so they take turns and only the first finds it.
    const busy = () => ServiceError.unavailable('The run is being deleted; try again shortly.');
    const run = await withLock(
      this.models.locks,
      `delete:${runId}`,
      { waitMs: 10_000, staleMs: 60_000, busy, logger: this.logger },
      () =>
        this.models.runs
          .findOneAndDelete({ _id: runId, ...(owner !== undefined ? { owner } : {}) })
          .lean<RunDocument>(),
    );
    if (!run) throw ServiceError.notFound(`Run ${runId} does not exist.`);
    await this.models.logs.deleteMany({ runId });
    await this.models.progress.deleteOne({ _id: runId });
    for (const file of run.inputs) await this.removeInput(runId, file.ref);
    for (const file of run.outputs) await this.files.remove(file.ref);
    return { deleted: true };
  }

  /** A worker takes a run (again, after a redelivery): nothing when it has ended, was cancelled or deleted. */
  async start({ runId, worker, attempt }: In<'startRun'>): Promise<{ run?: Run; definition?: JobDefinition }> {
    const run = await this.models.runs.findById(runId).lean<RunDocument>();
    if (!run || FINAL.includes(run.state)) return {};
    const definition = await this.models.definitions.findById(run.job).lean();
    if (!definition) {
      await this.finish({ runId, state: 'Error', message: `Job ${run.job} no longer exists.`, outputs: [] });
      return {};
    }
    const started = await this.models.runs
      .findOneAndUpdate(
        { _id: runId, state: { $in: ['Submitted', 'Running'] } },
        {
          $set: {
            state: 'Running',
            message: attempt > 1 ? `Running (attempt ${attempt})` : 'Running',
            worker,
            startedAt: run.startedAt ?? now(),
          },
          $inc: { attempts: 1 },
        },
        { new: true },
      )
      .lean<RunDocument>();
    if (!started) return {};
    // An earlier attempt's message is not this one's.
    await this.models.progress.updateOne({ _id: runId }, { $unset: { message: 1 } });
    await this.appendLog({ runId, lines: [`${now()} attempt ${attempt} on ${worker}`] });
    return { run: toRun(started), definition: definition.definition };
  }

  /**
   * A worker's heartbeat: its log lines and latest message. It only reads the run (has it ended, was it cancelled or
   * deleted?) and writes the run's progress document, which only this run's worker writes.
   */
  async appendLog({ runId, lines, message }: In<'appendLog'>): Promise<{ cancelled: boolean }> {
    const run = await this.models.runs
      .findById(runId, { state: 1, cancelled: 1 })
      .lean<Pick<RunDocument, 'state' | 'cancelled'>>();
    if (!run) return { cancelled: true };
    const ended = Boolean(run.cancelled) || FINAL.includes(run.state);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const before = await this.models.progress
        .findOneAndUpdate(
          { _id: runId },
          { $inc: { logLines: lines.length }, ...(message && !ended ? { $set: { message } } : {}) },
          { upsert: true },
        )
        .lean<RunProgressDocument>();
      const written = before?.logLines ?? 0;
      if (!lines.length || written >= this.config.JOBS_MAX_LOG_LINES) break;
      const room = this.config.JOBS_MAX_LOG_LINES - written;
      const kept =
        lines.length > room
          ? [...lines.slice(0, room - 1), `(log cut at ${this.config.JOBS_MAX_LOG_LINES} lines)`]
          : lines;
      try {
        await this.models.logs.create({ _id: `${runId}|${written}`, runId, seq: written, lines: kept });
        break;
      } catch (error) {
        // Two workers on one run (a redelivery while the first still lived) took the same place: count again.
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    return { cancelled: ended };
  }

  async finish({ runId, state, message, outputs }: In<'finishRun'>): Promise<{ recorded: boolean }> {
    const result = await this.models.runs.updateOne(
      { _id: runId, state: { $in: ['Submitted', 'Running'] } },
      { $set: { state, message, outputs, finishedAt: now() } },
    );
    if (result.modifiedCount !== 1) {
      // The run ended meanwhile (cancelled or deleted): its outputs are not kept.
      for (const file of outputs) await this.files.remove(file.ref);
      return { recorded: false };
    }
    return { recorded: true };
  }
}
