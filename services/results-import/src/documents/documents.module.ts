import { mongoModel } from '@helixgate/platform';
import { Module } from '@nestjs/common';
import { DocumentsController } from './documents.controller';
import { DocumentsRepository } from './documents.repository';
import { RESULT_DOCUMENT, ResultDocumentSchema } from './documents.schema';
import { DocumentsService } from './documents.service';
import { ExpirySweeper } from './expiry-sweeper';
import { SubmissionChecker } from './submission-checker';

@Module({
  controllers: [DocumentsController],
  providers: [
    mongoModel(RESULT_DOCUMENT, ResultDocumentSchema),
    DocumentsRepository,
    DocumentsService,
    SubmissionChecker,
    ExpirySweeper,
  ],
})
export class DocumentsModule {}
