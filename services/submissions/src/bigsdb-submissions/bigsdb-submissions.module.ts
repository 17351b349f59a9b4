import { mongoModel } from '@helixgate/platform';
import { Module } from '@nestjs/common';
import { BigsdbCurationService } from './bigsdb-curation.service';
import { BigsdbFilesRepository } from './bigsdb-files.repository';
import {
  SUBMISSION_FILE,
  SUBMISSION_FILE_CHUNK,
  SubmissionFileChunkSchema,
  SubmissionFileSchema,
} from './bigsdb-files.schema';
import { BigsdbFilesService } from './bigsdb-files.service';
import { BigsdbMessagesService } from './bigsdb-messages.service';
import { BigsdbSubmissionsController } from './bigsdb-submissions.controller';
import { BigsdbSubmissionsRepository } from './bigsdb-submissions.repository';
import {
  SUBMISSION,
  SUBMISSION_DECISION,
  SUBMISSION_ITEM,
  SUBMISSION_MESSAGE,
  SubmissionDecisionSchema,
  SubmissionItemSchema,
  SubmissionMessageSchema,
  SubmissionSchema,
} from './bigsdb-submissions.schema';
import { BigsdbSubmissionsService } from './bigsdb-submissions.service';
import { SubmissionAccess } from './submission-access';
import { TypingDbRpc } from './typing-db.rpc';

/** BIGSdb curator submissions: their records, items, decisions, messages and supporting files. */
@Module({
  controllers: [BigsdbSubmissionsController],
  providers: [
    mongoModel(SUBMISSION, SubmissionSchema),
    mongoModel(SUBMISSION_ITEM, SubmissionItemSchema),
    mongoModel(SUBMISSION_DECISION, SubmissionDecisionSchema),
    mongoModel(SUBMISSION_MESSAGE, SubmissionMessageSchema),
    mongoModel(SUBMISSION_FILE, SubmissionFileSchema),
    mongoModel(SUBMISSION_FILE_CHUNK, SubmissionFileChunkSchema),
    BigsdbSubmissionsRepository,
    BigsdbFilesRepository,
    TypingDbRpc,
    SubmissionAccess,
    BigsdbFilesService,
    BigsdbMessagesService,
    BigsdbCurationService,
    BigsdbSubmissionsService,
  ],
})
export class BigsdbSubmissionsModule {}
