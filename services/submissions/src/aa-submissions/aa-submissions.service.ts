import {
  type AaBatch,
  type AaState,
  type AaSubmission,
  JobSubjects,
  type ObjectRef,
  type Run,
  ServiceError,
} from '@helixgate/contracts';
import { InjectConfig, InjectLogger, RpcClient } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { SubmissionsConfig } from '../config';
import { AaBatchesService } from './aa-batches.service';
import { AaSubmissionsRepository } from './aa-submissions.repository';
import type { AaBatchDocument, AaSubmissionDocument } from './aa-submissions.schema';
import { Mailer } from './mailer';

const FINAL: AaState[] = ['Complete', 'Error'];
/** How long a replica holds a batch's e-mail it is sending before another may take over and send it. */
const NOTIFICATION_CLAIM_MS = 10 * 60_000;
/** DRF's DateTimeField output: ISO 8601 with microseconds and Z. */
const drfTime = (date: Date) => date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** The batch's state from its submissions': Error if any failed, Complete when all completed, Running once any started. */
function batchState(states: AaState[]): AaState {
  if (states.includes('Error')) return 'Error';
  if (states.every((s) => s === 'Complete')) return 'Complete';
  if (states.some((s) => s !== 'Submitted')) return 'Running';
  return 'Submitted';
}

/**
 * analytics_automated's batches and submissions as clients read them: states, messages and result files copied from
 * the runs, when asked for and by the periodic sync, which also sends the end-of-batch e-mail.
 */
@Injectable()
export class AaSubmissionsService {
  constructor(
    private readonly repository: AaSubmissionsRepository,
    private readonly batches: AaBatchesService,
    private readonly rpc: RpcClient,
    @InjectConfig() private readonly config: SubmissionsConfig,
    private readonly mailer: Mailer,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** Brings a submission up to date from its run (unfinished ones only: an ended one never changes). */
  private async refresh(submission: AaSubmissionDocument): Promise<AaSubmissionDocument> {
    if (FINAL.includes(submission.state) || !submission.queued || submission.withdrawn) return submission;
    let run: Run;
    try {
      run = await this.rpc.request(JobSubjects.getRun, { runId: submission._id });
    } catch (error) {
      if (error instanceof ServiceError && error.status === 404) {
        return this.update(submission, {
          state: 'Error',
          lastMessage: 'The run of this submission no longer exists.',
          results: submission.results,
          modified: new Date(),
        });
      }
      throw error;
    }
    const state: AaState = run.state;
    const lastMessage = run.message;
    if (state === submission.state && lastMessage === submission.lastMessage) return submission;
    const results = run.outputs.map((output) => ({
      task: submission.taskNumbers[output.task ?? ''] ?? 0,
      name: output.task ?? output.name,
      message: 'Result',
      step: output.step ?? 0,
      data_path: `/submissions/${output.name}`,
    }));
    return this.update(submission, {
      state,
      lastMessage,
      results,
      modified: new Date(run.finishedAt ?? run.startedAt ?? run.createdAt),
    });
  }

  private async update(
    submission: AaSubmissionDocument,
    change: Pick<AaSubmissionDocument, 'state' | 'lastMessage' | 'results' | 'modified'>,
  ): Promise<AaSubmissionDocument> {
    // Once ended, never overwritten (A_A): only an unfinished copy is changed.
    await this.repository.updateInState(submission._id, submission.state, change);
    return { ...submission, ...change };
  }

  private wire(submission: AaSubmissionDocument): AaSubmission {
    return {
      submission_name: submission.name,
      job_name: submission.job,
      UUID: submission._id,
      state: submission.state,
      last_message: submission.lastMessage,
      email: submission.email || null,
      input_file: `/submissions/${submission.inputName}`,
      modified: drfTime(new Date(submission.modified)),
      results: submission.results,
    };
  }

  /** A batch's submissions as stored, in the order the POST named the jobs (point reads: no $in scan on FerretDB). */
  private async storedSubmissions(batch: AaBatchDocument): Promise<AaSubmissionDocument[]> {
    const found = await Promise.all(batch.submissions.map((id) => this.repository.findSubmission(id)));
    return found.filter((s): s is AaSubmissionDocument => s !== null);
  }

  /** A batch's submissions, up to date. */
  private async batchSubmissions(batch: AaBatchDocument): Promise<AaSubmissionDocument[]> {
    return Promise.all((await this.storedSubmissions(batch)).map((s) => this.refresh(s)));
  }

  async batch(uuid: string): Promise<AaBatch> {
    const batch = await this.repository.findBatch(uuid.toLowerCase());
    if (!batch) throw ServiceError.notFound('Not found.');
    const submissions = await this.batchSubmissions(batch);
    const state = await this.settle(batch, submissions);
    return { UUID: batch._id, state, submissions: submissions.map((s) => this.wire(s)) };
  }

  async submission(uuid: string): Promise<AaSubmission> {
    const submission = await this.repository.findSubmission(uuid.toLowerCase());
    if (!submission) throw ServiceError.notFound('Not found.');
    return this.wire(await this.refresh(submission));
  }

  /** Where an input or result file's bytes are: the run's input or output of that name. */
  async file(name: string): Promise<{ name: string; ref: ObjectRef }> {
    const submission = await this.repository.findSubmission(name.slice(0, 36).toLowerCase());
    if (!submission) throw ServiceError.notFound('Not found.');
    const run = await this.rpc.request(JobSubjects.getRun, { runId: submission._id }).catch((error: unknown) => {
      if (error instanceof ServiceError && error.status === 404) throw ServiceError.notFound('Not found.');
      throw error;
    });
    const file = [...run.inputs, ...run.outputs].find((f) => f.name === name);
    if (!file) throw ServiceError.notFound('Not found.');
    return { name: file.name, ref: file.ref };
  }

  /**
   * The batch's state from its submissions', stored; when it has just ended, the one replica that claims its
   * notification sends the e-mail (A_A: at the end of a batch, if e-mail is configured).
   */
  private async settle(batch: AaBatchDocument, submissions: AaSubmissionDocument[]): Promise<AaState> {
    // A batch is written after its submissions; one whose submissions are not all there is left as it is, and so is
    // one being withdrawn (the withdrawal ends it once every submission is ended).
    if (submissions.length < batch.submissions.length || batch.withdrawn) return batch.state;
    const state = batchState(submissions.map((s) => s.state));
    if (state !== batch.state && !FINAL.includes(batch.state))
      await this.repository.setBatchState(batch._id, state, batch.state);
    return FINAL.includes(batch.state) ? batch.state : state;
  }

  /**
   * Sends the ended batch's e-mail once: under the lock `notify:<batch>` (a replica that died mid-send leaves it to
   * expire, and another takes over), and only if it is still to be sent once the lock is held.
   */
  private async notify(ended: AaBatchDocument, state: AaState): Promise<void> {
    const mailer = this.mailer;
    if (!mailer.configured || !ended.email) {
      await this.repository.setNotification(ended._id, 'none', 'pending');
      return;
    }
    const send = async () => {
      const batch = await this.repository.findBatch(ended._id);
      if (!batch || !['pending', 'sending'].includes(batch.notification)) return;
      await this.repository.setNotification(batch._id, 'sending');
      const link = `${batch.baseUri.replace(/\/$/, '')}/submission/${batch._id}`;
      try {
        await mailer.send({
          to: batch.email,
          subject: `${batch.jobs.join(',')} : ${this.config.AA_EMAIL_SUBJECT}: ${batch._id}`,
          text:
            state === 'Complete'
              ? `${this.config.AA_EMAIL_MESSAGE}${link}\n`
              : `Your analysis ended with an error.\nYou can see what happened at ${link}\n`,
        });
        await this.repository.setNotification(batch._id, 'sent');
      } catch (error) {
        this.logger.warn(
          { batch: batch._id, error: (error as Error).message },
          'the end-of-batch e-mail could not be sent',
        );
        await this.repository.setNotification(batch._id, 'failed');
      }
    };
    const held = new Error('another replica is sending it');
    const lock = { waitMs: 0, staleMs: NOTIFICATION_CLAIM_MS, busy: () => held, logger: this.logger };
    await this.repository.withClaim(`notify:${ended._id}`, lock, send).catch((error: unknown) => {
      if (error !== held) throw error;
    });
  }

  /**
   * The periodic sync: submissions whose queueing was cut off taken up again, every unfinished submission brought
   * up to date, and every batch that has ended told by e-mail (only here, never inside a client's request).
   */
  async sync(): Promise<void> {
    const now = new Date();
    // A batch whose POST was cut off before its answer (its replica died) was given to no client: withdrawn.
    const stranded = (await this.repository.findUnqueued()).filter(
      (s) => s.queue && new Date(s.queue.claimUntil) < now,
    );
    for (const batchId of new Set(stranded.map((s) => s.batch))) {
      this.logger.warn({ batch: batchId }, 'a batch whose queueing was cut off is withdrawn');
      await this.batches.withdraw(
        batchId,
        'Unable to queue the job: its submission was cut off before it was answered.',
      );
    }
    for (const { _id, cancelUntil } of await this.repository.findCancelPending()) {
      const outcome = await this.batches.cancelRunOf(_id);
      const stillWatched = outcome === 'absent' && cancelUntil !== undefined && new Date(cancelUntil) > now;
      if (outcome === 'cancelled' || (outcome === 'absent' && !stillWatched)) {
        await this.repository.clearCancelPending(_id);
      }
    }
    const unfinished = [
      ...(await this.repository.findSubmissionsInState('Submitted')),
      ...(await this.repository.findSubmissionsInState('Running')),
    ];
    for (const submission of unfinished) await this.refresh(submission);
    // 'sending': its replica died mid-send; the lock it left expires and the e-mail is sent then.
    const toSend = [
      ...(await this.repository.findBatchesToNotify('pending')),
      ...(await this.repository.findBatchesToNotify('sending')),
    ];
    for (const batch of toSend) {
      const state = await this.settle(batch, await this.storedSubmissions(batch));
      if (FINAL.includes(state)) await this.notify(batch, state);
    }
  }
}
