import { randomUUID } from 'node:crypto';
import {
  type JobDefinition,
  type JobSubjects,
  type ParsedRequest,
  type Run,
  type RunFile,
  type RunState,
  ServiceError,
} from '@helixgate/contracts';
import { InjectConfig, isDuplicateKeyError } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { JobsConfig } from '../config';
import { DefinitionsService } from '../definitions/definitions.service';
import { RunFiles, type InputsTaken } from './run-files';
import { RunLogsRepository } from './run-logs.repository';
import { RunQueue } from './run-queue';
import { RunsRepository } from './runs.repository';
import type { RunDocument, RunProgressDocument } from './runs.schema';

const FINAL: RunState[] = ['Complete', 'Error'];

const now = () => new Date().toISOString();

/** The run as the contract gives it; while it is Running, its message is the worker's latest. */
function toRun(doc: RunDocument, progress?: RunProgressDocument | null): Run {
  const { _id, attempts: _attempts, worker: _worker, logLines: _logLines, ...rest } = doc;
  const message = doc.state === 'Running' && progress?.message ? progress.message : doc.message;
  return { id: _id, ...rest, message };
}

/**
 * The one owner of runs and their state: Submitted → Running → Complete | Error. Workers take runs from the
 * JetStream work queue and report back here; only a run's first outcome counts, so a run redelivered after its
 * worker died completes once.
 */
@Injectable()
export class RunsService {
  constructor(
    private readonly runs: RunsRepository,
    private readonly logs: RunLogsRepository,
    private readonly files: RunFiles,
    private readonly queue: RunQueue,
    private readonly definitions: DefinitionsService,
    @InjectConfig() private readonly config: JobsConfig,
  ) {}

  private async owned(runId: string, owner?: string): Promise<RunDocument> {
    const run = await this.runs.findById(runId);
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

  async submitRun(request: ParsedRequest<typeof JobSubjects.submitRun>): Promise<Run> {
    const definition = await this.definitions.getDefinition(request.job);
    if (!definition.runnable) throw ServiceError.badRequest(`Job ${request.job} is not runnable.`);
    const known = new Set(definition.steps.flatMap((s) => s.task.parameters.map((p) => p.name)));
    const unknown = Object.keys(request.parameters).find((name) => !known.has(name));
    if (unknown !== undefined) throw ServiceError.badRequest(`Job ${request.job} has no parameter ${unknown}.`);
    // The caller's own limit, 0 for none (analytics_automated's AA_QUEUE_HARD_LIMIT=0): then nothing is counted.
    const limit = request.unfinishedLimit ?? this.config.JOBS_MAX_UNFINISHED_PER_OWNER;
    if (limit && (await this.runs.countUnfinished(request.owner)) >= limit) {
      throw this.tooManyRuns(limit);
    }
    const id = request.id ?? randomUUID();
    // Inputs move from the short-lived upload bucket to the run's own files; shared ones are held instead.
    const inputs: RunFile[] = [];
    const taken: InputsTaken = { copied: [], holders: [] };
    try {
      for (const { name, ref } of request.inputs)
        inputs.push({ name, ref: await this.files.take(request, id, ref, taken) });
    } catch (error) {
      await this.files.discard(taken);
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
      await this.runs.insert(doc);
    } catch (error) {
      await this.files.discard(taken);
      if (isDuplicateKeyError(error)) throw new ServiceError(409, 'conflict', `Run ${id} exists already.`);
      throw error;
    }
    // The count before the insert is not atomic with it: counted again after, a submission that went past the
    // limit in a race withdraws itself (both racers may be refused; never more than the limit run).
    if (limit && (await this.runs.countUnfinished(request.owner)) > limit) {
      await this.runs.deleteById(id);
      await this.files.discard(taken);
      throw this.tooManyRuns(limit);
    }
    try {
      await this.queue.publish(request.priority, id);
    } catch {
      await this.runs.deleteById(id);
      await this.files.discard(taken);
      throw ServiceError.unavailable('The job queue is not available; try again shortly.');
    }
    return toRun(doc);
  }

  async getRun({ runId, owner }: ParsedRequest<typeof JobSubjects.getRun>): Promise<Run> {
    return this.withProgress(await this.owned(runId, owner));
  }

  private async withProgress(doc: RunDocument): Promise<Run> {
    return toRun(doc, doc.state === 'Running' ? await this.runs.findProgress(doc._id) : null);
  }

  async listRuns({ owner, job }: ParsedRequest<typeof JobSubjects.listRuns>): Promise<Run[]> {
    const runs = await this.runs.findOwned(owner, job);
    runs.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a._id.localeCompare(b._id));
    return Promise.all(runs.map((run) => this.withProgress(run)));
  }

  async getLogs({
    runId,
    owner,
  }: ParsedRequest<typeof JobSubjects.getLogs>): Promise<{ state: RunState; lines: string[] }> {
    const run = await this.owned(runId, owner);
    return { state: run.state, lines: await this.logs.findLines(runId) };
  }

  async cancelRun({ runId, owner }: ParsedRequest<typeof JobSubjects.cancelRun>): Promise<Run> {
    await this.owned(runId, owner);
    await this.runs.updateUnfinished(runId, {
      state: 'Error',
      message: 'Cancelled',
      cancelled: true,
      finishedAt: now(),
    });
    return this.withProgress(await this.owned(runId, owner));
  }

  async deleteRun({ runId, owner }: ParsedRequest<typeof JobSubjects.deleteRun>): Promise<{ deleted: boolean }> {
    await this.owned(runId, owner);
    // The document as it was when deleted lists every file, even outputs a finishing worker just recorded;
    // a worker still running the run sees it gone at its next heartbeat.
    const busy = () => ServiceError.unavailable('The run is being deleted; try again shortly.');
    const run = await this.runs.deleteReturning(runId, owner, busy);
    if (!run) throw ServiceError.notFound(`Run ${runId} does not exist.`);
    await this.logs.deleteOfRun(runId);
    await this.runs.deleteProgress(runId);
    for (const file of run.inputs) await this.files.removeInput(runId, file.ref);
    for (const file of run.outputs) await this.files.removeOutput(file.ref);
    return { deleted: true };
  }

  /** A worker takes a run (again, after a redelivery): nothing when it has ended, was cancelled or deleted. */
  async startRun({
    runId,
    worker,
    attempt,
  }: ParsedRequest<typeof JobSubjects.startRun>): Promise<{ run?: Run; definition?: JobDefinition }> {
    const run = await this.runs.findById(runId);
    if (!run || FINAL.includes(run.state)) return {};
    const definition = await this.definitions.findDefinition(run.job);
    if (!definition) {
      await this.finishRun({ runId, state: 'Error', message: `Job ${run.job} no longer exists.`, outputs: [] });
      return {};
    }
    const started = await this.runs.startAttempt(runId, {
      state: 'Running',
      message: attempt > 1 ? `Running (attempt ${attempt})` : 'Running',
      worker,
      startedAt: run.startedAt ?? now(),
    });
    if (!started) return {};
    // An earlier attempt's message is not this one's.
    await this.runs.clearProgressMessage(runId);
    await this.appendLog({ runId, lines: [`${now()} attempt ${attempt} on ${worker}`] });
    return { run: toRun(started), definition };
  }

  /**
   * A worker's heartbeat: its log lines and latest message. It only reads the run (has it ended, was it cancelled or
   * deleted?) and writes the run's progress document, which only this run's worker writes.
   */
  async appendLog({
    runId,
    lines,
    message,
  }: ParsedRequest<typeof JobSubjects.appendLog>): Promise<{ cancelled: boolean }> {
    const run = await this.runs.findEnd(runId);
    if (!run) return { cancelled: true };
    const ended = run.cancelled || FINAL.includes(run.state);
    const max = this.config.JOBS_MAX_LOG_LINES;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const before = await this.runs.addProgress(runId, lines.length, ended ? undefined : message);
      const written = before?.logLines ?? 0;
      if (!lines.length || written >= max) break;
      const room = max - written;
      const kept = lines.length > room ? [...lines.slice(0, room - 1), `(log cut at ${max} lines)`] : lines;
      try {
        await this.logs.insert(runId, written, kept);
        break;
      } catch (error) {
        // Two workers on one run (a redelivery while the first still lived) took the same place: count again.
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    return { cancelled: ended };
  }

  async finishRun({
    runId,
    state,
    message,
    outputs,
  }: ParsedRequest<typeof JobSubjects.finishRun>): Promise<{ recorded: boolean }> {
    if (!(await this.runs.updateUnfinished(runId, { state, message, outputs, finishedAt: now() }))) {
      // The run ended meanwhile (cancelled or deleted): its outputs are not kept.
      for (const file of outputs) await this.files.removeOutput(file.ref);
      return { recorded: false };
    }
    return { recorded: true };
  }
}
