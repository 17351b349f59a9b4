import type { RunState } from '@helixgate/contracts';
import { InjectLogger, InjectModel, type LockDocument, withLock } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import type { Logger } from 'pino';
import { RUN, RUN_LOCK, RUN_PROGRESS, type RunDocument, type RunProgressDocument } from './runs.schema';

const UNFINISHED: RunState[] = ['Submitted', 'Running'];

/** runs (state changes only), run_progress (a running run's worker writes it) and the locks of run deletions. */
@Injectable()
export class RunsRepository {
  constructor(
    @InjectModel(RUN) private readonly runs: Model<RunDocument>,
    @InjectModel(RUN_PROGRESS) private readonly progress: Model<RunProgressDocument>,
    @InjectModel(RUN_LOCK) private readonly locks: Model<LockDocument>,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  findById(runId: string): Promise<RunDocument | null> {
    return this.runs.findById(runId).lean<RunDocument>();
  }

  /** Whether the run has ended or was cancelled; null when there is none. */
  findEnd(runId: string): Promise<Pick<RunDocument, 'state' | 'cancelled'> | null> {
    return this.runs.findById(runId, { state: 1, cancelled: 1 }).lean<Pick<RunDocument, 'state' | 'cancelled'>>();
  }

  /** The owner's runs, of one job or all. */
  findOwned(owner: string, job?: string): Promise<RunDocument[]> {
    return this.runs.find({ owner, ...(job ? { job } : {}) }).lean<RunDocument[]>();
  }

  /**
   * The owner's Submitted and Running runs, counted up to `atMost` of each (all a limit check needs to know): one
   * count per state, each on equality alone (the owner/state index; a server that filters `$in` itself reads every
   * run the owner ever had), bounded so that its cost does not grow past the limit.
   */
  async countUnfinished(owner: string, atMost: number): Promise<number> {
    const counts = await Promise.all(
      UNFINISHED.map((state) => this.runs.countDocuments({ owner, state }, { limit: atMost })),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  async insert(doc: RunDocument): Promise<void> {
    await this.runs.create(doc);
  }

  async deleteById(runId: string): Promise<void> {
    await this.runs.deleteOne({ _id: runId });
  }

  /** Sets fields of a run that has not ended; whether it had not. */
  async updateUnfinished(runId: string, fields: Partial<RunDocument>): Promise<boolean> {
    const result = await this.runs.updateOne({ _id: runId, state: { $in: UNFINISHED } }, { $set: fields });
    return result.modifiedCount === 1;
  }

  /**
   * Sets fields of a run that has not ended, counts an attempt and keeps the first attempt's start time (`$min`: set
   * when missing); the run after, or null when there is none or it had ended. One round trip, by _id.
   */
  startAttempt(runId: string, fields: Partial<RunDocument>, startedAt: string): Promise<RunDocument | null> {
    return this.runs
      .findOneAndUpdate(
        { _id: runId, state: { $in: UNFINISHED } },
        { $set: fields, $min: { startedAt }, $inc: { attempts: 1 } },
        { new: true },
      )
      .lean<RunDocument>();
  }

  /**
   * Deletes the run (of the owner, when given) and returns it as it was. On FerretDB 1.x findOneAndDelete is a find
   * then a delete: concurrent deletes would all find the run, so they take turns and only the first finds it.
   */
  deleteReturning(runId: string, owner: string | undefined, busy: () => Error): Promise<RunDocument | null> {
    return withLock(this.locks, `delete:${runId}`, { waitMs: 10_000, staleMs: 60_000, busy, logger: this.logger }, () =>
      this.runs.findOneAndDelete({ _id: runId, ...(owner !== undefined ? { owner } : {}) }).lean<RunDocument>(),
    );
  }

  findProgress(runId: string): Promise<RunProgressDocument | null> {
    return this.progress.findById(runId).lean<RunProgressDocument>();
  }

  /**
   * Counts `lines` more log lines of the run and, with a message, sets its latest; the progress as it was before
   * (null for the first).
   */
  addProgress(runId: string, lines: number, message?: string): Promise<RunProgressDocument | null> {
    return this.progress
      .findOneAndUpdate(
        { _id: runId },
        { $inc: { logLines: lines }, ...(message ? { $set: { message } } : {}) },
        { upsert: true },
      )
      .lean<RunProgressDocument>();
  }

  async clearProgressMessage(runId: string): Promise<void> {
    await this.progress.updateOne({ _id: runId }, { $unset: { message: 1 } });
  }

  async deleteProgress(runId: string): Promise<void> {
    await this.progress.deleteOne({ _id: runId });
  }
}
