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
import { RunEvents } from './run-events';
import { RunLogsRepository } from './run-logs.repository';
import { RunQueue } from './run-queue';
import { RunsRepository } from './runs.repository';
import type { RunDocument, RunProgressDocument } from './runs.schema';

const FINAL: RunState[] = ['Complete', 'Error'];
/** Last log lines stored with a run's outcome (in the run's own write) rather than as a batch of the log. */
const LAST_LINES_MAX = 20;
const LAST_LINES_MAX_CHARS = 4_000;

const now = () => new Date().toISOString();

/** The run as the contract gives it; while it is Running, its message is the worker's latest. */
function toRun(doc: RunDocument, progress?: RunProgressDocument | null): Run {
  const { _id, attempts: _attempts, worker: _worker, logLines: _logLines, lastLines: _lastLines, ...rest } = doc;
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
    private readonly events: RunEvents,
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
    // It is counted after the insert (below); counted before as well only when there are files to take, so that a
    // refused submission moves none.
    const limit = request.unfinishedLimit ?? this.config.JOBS_MAX_UNFINISHED_PER_OWNER;
    if (limit && request.inputs.length && (await this.runs.countUnfinished(request.owner, limit)) >= limit) {
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
    // Counted after the insert, a submission that went past the limit (alone, or in a race with another of the
    // owner's) withdraws itself before it is queued: both racers may be refused; never more than the limit run.
    if (limit && (await this.runs.countUnfinished(request.owner, limit + 1)) > limit) {
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
    return { state: run.state, lines: [...(await this.logs.findLines(runId)), ...(run.lastLines ?? [])] };
  }

  async cancelRun({ runId, owner }: ParsedRequest<typeof JobSubjects.cancelRun>): Promise<Run> {
    await this.owned(runId, owner);
    const cancelled = await this.runs.updateUnfinished(runId, {
      state: 'Error',
      message: 'Cancelled',
      cancelled: true,
      finishedAt: now(),
    });
    if (cancelled) this.events.ended({ runId, state: 'Error' });
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

  /**
   * A worker takes a run (again, after a redelivery): nothing when it has ended, was cancelled or deleted. One write
   * by _id turns it Running and hands back the run; its definition is the one of its name, read at most
   * DEFINITION_FRESH_MS ago. The attempt's first log line ("attempt N on <worker>") is the worker's own.
   */
  async startRun({
    runId,
    worker,
    attempt,
  }: ParsedRequest<typeof JobSubjects.startRun>): Promise<{ run?: Run; definition?: JobDefinition }> {
    const started = await this.runs.startAttempt(
      runId,
      { state: 'Running', message: attempt > 1 ? `Running (attempt ${attempt})` : 'Running', worker },
      now(),
    );
    if (!started) return {};
    const definition = await this.definitions.findRecentDefinition(started.job);
    if (!definition) {
      await this.finishRun({
        runId,
        state: 'Error',
        message: `Job ${started.job} no longer exists.`,
        outputs: [],
        lines: [],
      });
      return {};
    }
    // An earlier attempt's message is not this one's (the first attempt has none).
    if (started.attempts > 1) await this.runs.clearProgressMessage(runId);
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
    await this.appendLines(runId, lines, ended ? undefined : message);
    return { cancelled: ended };
  }

  /** Appends log lines after those written so far (up to JOBS_MAX_LOG_LINES) and, with a message, sets the latest. */
  private async appendLines(runId: string, lines: string[], message?: string): Promise<void> {
    const max = this.config.JOBS_MAX_LOG_LINES;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const before = await this.runs.addProgress(runId, lines.length, message);
      const written = before?.logLines ?? 0;
      if (!lines.length || written >= max) return;
      const room = max - written;
      const kept = lines.length > room ? [...lines.slice(0, room - 1), `(log cut at ${max} lines)`] : lines;
      try {
        await this.logs.insert(runId, written, kept);
        return;
      } catch (error) {
        // Two workers on one run (a redelivery while the first still lived) took the same place: count again.
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
  }

  /**
   * A worker's outcome with its last log lines, which are stored first, so that a run seen ended has its whole log:
   * a few go in the same write as the outcome, more are appended to the log before it.
   */
  async finishRun({
    runId,
    state,
    message,
    outputs,
    lines,
  }: ParsedRequest<typeof JobSubjects.finishRun>): Promise<{ recorded: boolean }> {
    const withOutcome =
      lines.length <= LAST_LINES_MAX && lines.reduce((chars, line) => chars + line.length, 0) <= LAST_LINES_MAX_CHARS;
    if (!withOutcome) await this.appendLines(runId, lines);
    const fields: Partial<RunDocument> = { state, message, outputs, finishedAt: now() };
    if (withOutcome && lines.length) fields.lastLines = lines;
    if (!(await this.runs.updateUnfinished(runId, fields))) {
      // The run ended meanwhile (cancelled or deleted): its outputs are not kept; its lines are, while it is there.
      for (const file of outputs) await this.files.removeOutput(file.ref);
      const there = lines.length ? await this.runs.findEnd(runId) : null;
      if (there && withOutcome) await this.appendLines(runId, lines);
      if (!there && lines.length && !withOutcome) {
        await this.logs.deleteOfRun(runId);
        await this.runs.deleteProgress(runId);
      }
      return { recorded: false };
    }
    this.events.ended({ runId, state });
    return { recorded: true };
  }
}
