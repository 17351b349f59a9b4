import { mongoModel } from '@helixgate/platform';
import { Module } from '@nestjs/common';
import { AaBatchesService } from './aa-batches.service';
import { AaJobsService } from './aa-jobs.service';
import { AaSubmissionsController } from './aa-submissions.controller';
import { AaSubmissionsRepository } from './aa-submissions.repository';
import {
  AA_BATCH,
  AA_CLAIM,
  AA_SUBMISSION,
  AaBatchSchema,
  AaClaimSchema,
  AaSubmissionSchema,
} from './aa-submissions.schema';
import { AaSubmissionsService } from './aa-submissions.service';
import { AaSync } from './aa-sync';
import { Mailer } from './mailer';

@Module({
  controllers: [AaSubmissionsController],
  providers: [
    mongoModel(AA_SUBMISSION, AaSubmissionSchema),
    mongoModel(AA_BATCH, AaBatchSchema),
    mongoModel(AA_CLAIM, AaClaimSchema),
    AaSubmissionsRepository,
    Mailer,
    AaJobsService,
    AaBatchesService,
    AaSubmissionsService,
    AaSync,
  ],
})
export class AaSubmissionsModule {}
