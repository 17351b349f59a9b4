import { mongoModel } from '@helixgate/platform';
import { Module } from '@nestjs/common';
import { DefinitionsModule } from '../definitions/definitions.module';
import { FileHoldersRepository } from './file-holders.repository';
import { FILE_HOLDER, FileHolderDocumentSchema } from './file-holders.schema';
import { RunEvents } from './run-events';
import { RunFiles } from './run-files';
import { RUN_LOG, LogDocumentSchema } from './run-logs.schema';
import { RunLogsRepository } from './run-logs.repository';
import { RunQueue } from './run-queue';
import { RunsController } from './runs.controller';
import { RunsRepository } from './runs.repository';
import {
  RUN,
  RUN_LOCK,
  RUN_PROGRESS,
  RunDocumentSchema,
  RunLockSchema,
  RunProgressDocumentSchema,
} from './runs.schema';
import { RunsService } from './runs.service';

@Module({
  imports: [DefinitionsModule],
  controllers: [RunsController],
  providers: [
    mongoModel(RUN, RunDocumentSchema),
    mongoModel(RUN_PROGRESS, RunProgressDocumentSchema),
    mongoModel(RUN_LOCK, RunLockSchema),
    mongoModel(RUN_LOG, LogDocumentSchema),
    mongoModel(FILE_HOLDER, FileHolderDocumentSchema),
    RunsRepository,
    RunLogsRepository,
    FileHoldersRepository,
    RunFiles,
    RunQueue,
    RunEvents,
    RunsService,
  ],
  exports: [RunsService],
})
export class RunsModule {}
