import { ServiceError, SUBMISSION_MAX_MESSAGE_CHARS } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { BigsdbSubmissionsRepository } from './bigsdb-submissions.repository';
import { pgTimestamp } from './parsing';
import { type OfSubmission, SubmissionAccess } from './submission-access';

/** A submission's correspondence: read and added to by its submitter and the database's curators. */
@Injectable()
export class BigsdbMessagesService {
  constructor(
    private readonly repository: BigsdbSubmissionsRepository,
    private readonly access: SubmissionAccess,
  ) {}

  async listMessages(call: OfSubmission) {
    const { submission } = await this.access.visible(call);
    const messages = await this.repository.listMessages(submission._id);
    return messages.map((m) => ({
      user: this.access.links(call).user(m.userId),
      message: m.message,
      timestamp: pgTimestamp(m.at, true),
    }));
  }

  async addMessage(call: OfSubmission & { message?: unknown }) {
    const { submission, context } = await this.access.visible(call);
    if (call.message !== undefined && call.message !== null && typeof call.message !== 'string')
      throw ServiceError.badRequest('Invalid value for message.');
    if (!call.message) throw ServiceError.badRequest('No message included.');
    if (call.message.length > SUBMISSION_MAX_MESSAGE_CHARS)
      throw ServiceError.badRequest(`Message is too long (at most ${SUBMISSION_MAX_MESSAGE_CHARS} characters).`);
    await this.repository.insertMessage({
      submissionId: submission._id,
      at: new Date(),
      userId: context.userId,
      message: call.message,
    });
    return { message: 'Message added.' };
  }
}
