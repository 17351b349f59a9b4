import {
  type SubmissionCaller,
  type SubmissionContext,
  SubmissionSupportSubjects,
  ServiceError,
} from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { BigsdbSubmissionsRepository } from './bigsdb-submissions.repository';
import type { Submission } from './bigsdb-submissions.schema';
import { TypingDbRpc } from './typing-db.rpc';

/** A call on a database's submissions, by a caller the gateway's OAuth check vouched for. */
export interface Call {
  baseUri: string;
  database: string;
  caller: SubmissionCaller;
}
export interface OfSubmission extends Call {
  submissionId: string;
}

const NOT_OWNER = 'You are not the owner of this submission.';

/**
 * Who may see a submission (its submitter, and the database's curators), the caller's user in the database as
 * typing-db registers it, and the links BIGSdb answers with.
 */
@Injectable()
export class SubmissionAccess {
  constructor(
    private readonly repository: BigsdbSubmissionsRepository,
    private readonly rpc: TypingDbRpc,
  ) {}

  context({ database, caller }: Call): Promise<SubmissionContext> {
    const { email, firstName, surname, affiliation } = caller;
    return this.rpc.request(SubmissionSupportSubjects.context, {
      database,
      account: { email, firstName, surname, affiliation },
    });
  }

  links(call: Call) {
    const root = `${call.baseUri}/db/${call.database}`;
    return {
      submission: (id: string) => `${root}/submissions/${id}`,
      user: (id: number) => `${root}/users/${id}`,
      scheme: (id: number) => `${root}/schemes/${id}`,
      file: (id: string, name: string) => `${root}/submissions/${id}/files/${encodeURIComponent(name)}`,
    };
  }

  /** The submission, if the caller may see it: its submitter, or a curator of the database. */
  async visible(
    call: OfSubmission,
    options: { ownerOnly?: boolean } = {},
  ): Promise<{ submission: Submission; context: SubmissionContext }> {
    const context = await this.context(call);
    const submission = await this.repository.findSubmission(call.submissionId, call.database);
    if (!submission) throw ServiceError.notFound('Submission does not exist.');
    const owner = submission.account === call.caller.accountId;
    if (!owner && (options.ownerOnly || !context.curator)) throw new ServiceError(403, 'forbidden', NOT_OWNER);
    return { submission, context };
  }
}
