import { InjectModel } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import {
  SUBMISSION,
  SUBMISSION_DECISION,
  SUBMISSION_ITEM,
  SUBMISSION_MESSAGE,
  type Submission,
  type SubmissionDecision,
  type SubmissionItem,
  type SubmissionMessage,
} from './bigsdb-submissions.schema';

type SubmissionFilter = Partial<Pick<Submission, 'database' | 'account' | 'type' | 'status' | 'dateSubmitted'>>;

/** BIGSdb submissions, their items, decisions and messages: the only code that reads or writes them. */
@Injectable()
export class BigsdbSubmissionsRepository {
  constructor(
    @InjectModel(SUBMISSION) private readonly submissions: Model<Submission>,
    @InjectModel(SUBMISSION_ITEM) private readonly items: Model<SubmissionItem>,
    @InjectModel(SUBMISSION_DECISION) private readonly decisions: Model<SubmissionDecision>,
    @InjectModel(SUBMISSION_MESSAGE) private readonly messages: Model<SubmissionMessage>,
  ) {}

  // ---- submissions ----

  findSubmission(id: string, database?: string): Promise<Submission | null> {
    return this.submissions.findOne({ _id: id, ...(database === undefined ? {} : { database }) }).lean<Submission>();
  }

  countSubmissions(filter: SubmissionFilter): Promise<number> {
    return this.submissions.countDocuments(filter);
  }

  /** Ids in id order, `limit` of them after `skip` (all of them without a limit). */
  async submissionIds(filter: SubmissionFilter, skip: number, limit?: number): Promise<string[]> {
    const found = this.submissions.find(filter, { _id: 1 }).sort({ _id: 1 }).skip(skip);
    const ids = await (limit === undefined ? found : found.limit(limit)).lean<Array<{ _id: string }>>();
    return ids.map((s) => s._id);
  }

  /** Throws a duplicate-key error when the id is taken. */
  async insertSubmission(submission: Submission): Promise<void> {
    await this.submissions.create(submission);
  }

  /** A curator's decision recorded on the submission: who and when. */
  async recordCuration(id: string, curator: number, datestamp: string): Promise<void> {
    await this.submissions.updateOne({ _id: id }, { $set: { datestamp, curator } });
  }

  async closeSubmission(id: string, outcome: NonNullable<Submission['outcome']>, datestamp: string): Promise<void> {
    await this.submissions.updateOne(
      { _id: id, status: 'pending' },
      { $set: { status: 'closed', outcome, datestamp } },
    );
  }

  /** Its items, decisions and messages, then the record (its files are the files repository's). */
  async erase(submissionId: string): Promise<void> {
    await this.items.deleteMany({ submissionId });
    await this.decisions.deleteMany({ submissionId });
    await this.messages.deleteMany({ submissionId });
    await this.submissions.deleteOne({ _id: submissionId });
  }

  // ---- items ----

  async insertItems(items: SubmissionItem[]): Promise<void> {
    await this.items.insertMany(items, { ordered: false });
  }

  /** The submission's items in submitted order. */
  listItems(submissionId: string): Promise<SubmissionItem[]> {
    return this.items.find({ submissionId }).sort({ index: 1 }).lean<SubmissionItem[]>();
  }

  /** The submission's items' isolate values, in submitted order. */
  listItemValues(submissionId: string): Promise<Array<Pick<SubmissionItem, '_id' | 'values'>>> {
    return this.items
      .find({ submissionId }, { values: 1 })
      .sort({ index: 1 })
      .lean<Array<Pick<SubmissionItem, '_id' | 'values'>>>();
  }

  findItem(submissionId: string, key: string): Promise<SubmissionItem | null> {
    return this.items.findOne({ submissionId, key }).lean<SubmissionItem>();
  }

  findItemById(id: string): Promise<SubmissionItem | null> {
    return this.items.findById(id).lean<SubmissionItem>();
  }

  /** The item's status (and assigned id) set, only while it is `from` when given. */
  async setItemStatus(
    id: string,
    change: Pick<SubmissionItem, 'status'> & Partial<Pick<SubmissionItem, 'assignedId'>>,
    from?: SubmissionItem['status'],
  ): Promise<void> {
    await this.items.updateOne({ _id: id, ...(from ? { status: from } : {}) }, { $set: change });
  }

  async hasUndecidedItems(submissionId: string): Promise<boolean> {
    return (await this.items.exists({ submissionId, status: { $in: ['pending', 'accepting'] } })) !== null;
  }

  countItems(submissionId: string, status: SubmissionItem['status']): Promise<number> {
    return this.items.countDocuments({ submissionId, status });
  }

  // ---- decisions ----

  /** Throws a duplicate-key error when the item was decided already. */
  async insertDecision(decision: SubmissionDecision): Promise<void> {
    await this.decisions.create(decision);
  }

  findDecision(itemId: string): Promise<SubmissionDecision | null> {
    return this.decisions.findById(itemId).lean<SubmissionDecision>();
  }

  // ---- messages ----

  async insertMessage(message: SubmissionMessage): Promise<void> {
    await this.messages.create(message);
  }

  /** The submission's messages, oldest first. */
  listMessages(submissionId: string): Promise<SubmissionMessage[]> {
    return this.messages.find({ submissionId }).sort({ at: 1, _id: 1 }).lean<SubmissionMessage[]>();
  }
}
