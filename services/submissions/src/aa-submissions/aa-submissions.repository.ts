import type { AaState } from '@helixgate/contracts';
import { InjectModel, withLock } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import {
  AA_BATCH,
  AA_CLAIM,
  AA_SUBMISSION,
  type AaBatchDocument,
  type AaClaimDocument,
  type AaSubmissionDocument,
} from './aa-submissions.schema';

type Notification = AaBatchDocument['notification'];
const UNFINISHED: AaState[] = ['Submitted', 'Running'];

/** aa_submissions, aa_batches and aa_claims: the only code that reads or writes them. */
@Injectable()
export class AaSubmissionsRepository {
  constructor(
    @InjectModel(AA_SUBMISSION) private readonly submissions: Model<AaSubmissionDocument>,
    @InjectModel(AA_BATCH) private readonly batches: Model<AaBatchDocument>,
    @InjectModel(AA_CLAIM) private readonly claims: Model<AaClaimDocument>,
  ) {}

  /** Work holding the claim `id` (withLock over aa_claims). */
  withClaim<T>(id: string, options: Parameters<typeof withLock>[2], work: () => Promise<T>): Promise<T> {
    return withLock(this.claims, id, options, work);
  }

  // ---- submissions ----

  findSubmission(id: string): Promise<AaSubmissionDocument | null> {
    return this.submissions.findById(id).lean<AaSubmissionDocument>();
  }

  findSubmissionsOfBatch(batch: string): Promise<AaSubmissionDocument[]> {
    return this.submissions.find({ batch }).lean<AaSubmissionDocument[]>();
  }

  findSubmissionsInState(state: AaState): Promise<AaSubmissionDocument[]> {
    return this.submissions.find({ state }).lean<AaSubmissionDocument[]>();
  }

  findUnqueued(): Promise<AaSubmissionDocument[]> {
    return this.submissions.find({ queued: false }).lean<AaSubmissionDocument[]>();
  }

  findCancelPending(): Promise<AaSubmissionDocument[]> {
    return this.submissions.find({ cancelPending: true }).lean<AaSubmissionDocument[]>();
  }

  /** The job, submission and last-change times of the latest submissions. */
  latestTimes(limit: number) {
    return this.submissions
      .find({}, { job: 1, createdAt: 1, modified: 1 })
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean<Array<Pick<AaSubmissionDocument, '_id' | 'job' | 'createdAt' | 'modified'>>>();
  }

  /** The client's submissions in Submitted or Running (two counts: point filters only, for FerretDB). */
  async countUnfinished(client: string): Promise<number> {
    const [submitted, running] = await Promise.all([
      this.submissions.countDocuments({ client, state: 'Submitted' }),
      this.submissions.countDocuments({ client, state: 'Running' }),
    ]);
    return submitted + running;
  }

  /** The submissions, then their batch (a batch is written after its submissions). */
  async insertBatch(batch: AaBatchDocument, submissions: AaSubmissionDocument[]): Promise<void> {
    await this.submissions.insertMany(submissions);
    await this.batches.create(batch);
  }

  async extendQueueClaim(batch: string, claimUntil: Date): Promise<void> {
    await this.submissions.updateMany({ batch, queued: false }, { $set: { 'queue.claimUntil': claimUntil } });
  }

  async markQueued(id: string, settled: Partial<AaSubmissionDocument> = {}): Promise<void> {
    await this.submissions.updateOne({ _id: id }, { $set: { queued: true, ...settled }, $unset: { queue: 1 } });
  }

  async markBatchSubmissionsWithdrawn(batch: string): Promise<void> {
    await this.submissions.updateMany({ batch }, { $set: { withdrawn: true } });
  }

  /** Changes an unended submission, only while it is still in `state` (once ended, never overwritten). */
  async updateInState(
    id: string,
    state: AaState,
    change: Pick<AaSubmissionDocument, 'state' | 'lastMessage' | 'results' | 'modified'>,
  ): Promise<void> {
    await this.submissions.updateOne({ _id: id, state }, { $set: change });
  }

  async endInError(id: string, lastMessage: string, modified: Date): Promise<void> {
    await this.submissions.updateOne(
      { _id: id, state: { $in: UNFINISHED } },
      { $set: { state: 'Error', lastMessage, modified } },
    );
  }

  async endBatchSubmissionsInError(batch: string, lastMessage: string): Promise<void> {
    await this.submissions.updateMany({ batch, state: { $in: UNFINISHED } }, { $set: { state: 'Error', lastMessage } });
  }

  async clearCancelPending(id: string): Promise<void> {
    await this.submissions.updateOne({ _id: id }, { $unset: { cancelPending: 1, cancelUntil: 1 } });
  }

  // ---- batches ----

  findBatch(id: string): Promise<AaBatchDocument | null> {
    return this.batches.findById(id).lean<AaBatchDocument>();
  }

  findBatchesToNotify(notification: Notification): Promise<AaBatchDocument[]> {
    return this.batches.find({ notification }).lean<AaBatchDocument[]>();
  }

  async markBatchWithdrawn(id: string): Promise<void> {
    await this.batches.updateOne({ _id: id }, { $set: { withdrawn: true, notification: 'none' } });
  }

  /** The batch's state set, only while it is `from` when given. */
  async setBatchState(id: string, state: AaState, from?: AaState): Promise<void> {
    await this.batches.updateOne({ _id: id, ...(from ? { state: from } : {}) }, { $set: { state } });
  }

  /** The batch's notification set, only while it is `from` when given. */
  async setNotification(id: string, notification: Notification, from?: Notification): Promise<void> {
    await this.batches.updateOne({ _id: id, ...(from ? { notification: from } : {}) }, { $set: { notification } });
  }
}
