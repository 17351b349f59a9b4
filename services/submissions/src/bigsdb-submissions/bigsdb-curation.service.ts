import {
  type ReplyOf,
  ServiceError,
  type SubmissionContext,
  SubmissionSupportSubjects,
  type SubmissionsSubjects,
} from '@helixgate/contracts';
import { isDuplicateKeyError } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import { BigsdbSubmissionsRepository } from './bigsdb-submissions.repository';
import { type Submission, type SubmissionItem, wireStatus } from './bigsdb-submissions.schema';
import { today } from './parsing';
import { type OfSubmission, SubmissionAccess } from './submission-access';
import { TypingDbRpc } from './typing-db.rpc';

/** Curators' decisions on submitted sequences and profiles; accepted ones get their ids in typing-db. */
@Injectable()
export class BigsdbCurationService {
  constructor(
    private readonly repository: BigsdbSubmissionsRepository,
    private readonly access: SubmissionAccess,
    private readonly rpc: TypingDbRpc,
  ) {}

  /**
   * A curator's decision on one sequence or profile. The first decision claims the item (a decision record under its
   * id), so that a rejection racing an accept finds it taken (409) instead of rejecting an allele typing-db is
   * assigning. Accepting then marks it accepting (shown as pending), assigns the id in typing-db, which gives the
   * same id again on a retry (and an identical allele's or profile's id when one exists), and records it (assigned). An item left accepting by a failure is accepted again by the next accept.
   * Once every item is decided the submission closes with outcome good (all accepted), bad (all rejected) or mixed.
   */
  async curate(
    call: OfSubmission & { items: 'seqs' | 'profiles'; itemId: string; action: string },
  ): Promise<ReplyOf<typeof SubmissionsSubjects.curate>> {
    const { submission, context } = await this.access.visible(call);
    if (call.action !== 'accept' && call.action !== 'reject') throw ServiceError.notFound('Not found');
    if (!context.curator)
      throw new ServiceError(
        403,
        'forbidden',
        'Only curators of this database may accept or reject submitted records.',
      );
    const wanted = call.items === 'seqs' ? 'alleles' : 'profiles';
    if (submission.type !== wanted) throw ServiceError.badRequest(`This is not a submission of ${wanted}.`);
    const noun = call.items === 'seqs' ? 'Sequence' : 'Profile';
    const item = await this.repository.findItem(submission._id, call.itemId);
    if (!item) throw ServiceError.notFound(`${noun} ${call.itemId} is not part of this submission.`);
    const conflict = (found: SubmissionItem) =>
      new ServiceError(
        409,
        'conflict',
        `${noun} ${call.itemId} has already been ${found.status === 'assigned' ? `assigned id ${found.assignedId}` : found.status === 'accepting' ? 'accepted' : 'rejected'}.`,
      );
    const reread = async () => (await this.repository.findItemById(item._id)) ?? item;
    const action = call.action === 'accept' ? 'accept' : 'reject';
    // Items decided before decisions were recorded keep their status; the others are claimed by the first decision.
    let winner: 'accept' | 'reject' =
      item.status === 'assigned' ? 'accept' : item.status === 'rejected' ? 'reject' : action;
    if (item.status === 'pending' || item.status === 'accepting') {
      try {
        await this.repository.insertDecision({ _id: item._id, submissionId: submission._id, action, at: new Date() });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        winner = (await this.repository.findDecision(item._id))?.action ?? action;
      }
    }
    let decided = await reread();
    if (winner !== action)
      throw conflict({
        ...decided,
        status: winner === 'reject' ? 'rejected' : decided.status === 'assigned' ? 'assigned' : 'accepting',
      });
    if (action === 'reject' && decided.status !== 'rejected') {
      await this.repository.setItemStatus(item._id, { status: 'rejected' });
      decided = await reread();
      await this.decided(submission, context);
    } else if (action === 'accept' && decided.status !== 'assigned') {
      // Claimed by this call or, after a failure, by an earlier one: the assignment is idempotent.
      await this.repository.setItemStatus(item._id, { status: 'accepting' }, 'pending');
      const assignedId = await this.assign(submission, decided);
      await this.repository.setItemStatus(item._id, { status: 'assigned', assignedId });
      decided = await reread();
      await this.decided(submission, context);
    } else await this.closeWhenDecided(submission._id); // a retry: finish what a failed call may have left
    const after = await this.repository.findSubmission(submission._id);
    const decision = {
      status: wireStatus(decided.status),
      ...(decided.assignedId ? { assigned_id: decided.assignedId } : {}),
      submission: { id: submission._id, status: after?.status, ...(after?.outcome ? { outcome: after.outcome } : {}) },
    };
    return call.items === 'seqs' ? { seq_id: decided.key, ...decision } : { profile_id: decided.key, ...decision };
  }

  /** After an item's decision: the curator and date on the submission, which closes once nothing is left to decide. */
  private async decided(submission: Submission, context: SubmissionContext): Promise<void> {
    await this.repository.recordCuration(submission._id, context.userId, today());
    await this.closeWhenDecided(submission._id);
  }

  private async assign(submission: Submission, item: SubmissionItem): Promise<string> {
    if (submission.alleles) {
      const status =
        submission.alleles.technology === 'Sanger' ? 'Sanger trace checked' : 'WGS: manual extract (BIGSdb)';
      const reply = await this.rpc.request(SubmissionSupportSubjects.assignAllele, {
        database: submission.database,
        locus: submission.alleles.locus,
        sequence: item.sequence!,
        status,
      });
      return reply.alleleId;
    }
    const reply = await this.rpc.request(SubmissionSupportSubjects.assignProfile, {
      database: submission.database,
      schemeId: submission.profiles!.schemeId,
      alleles: item.alleles!,
    });
    return reply.profileId;
  }

  private async closeWhenDecided(submissionId: string): Promise<void> {
    if (await this.repository.hasUndecidedItems(submissionId)) return;
    const assigned = await this.repository.countItems(submissionId, 'assigned');
    const rejected = await this.repository.countItems(submissionId, 'rejected');
    const outcome = rejected === 0 ? 'good' : assigned === 0 ? 'bad' : 'mixed';
    await this.repository.closeSubmission(submissionId, outcome, today());
  }
}
