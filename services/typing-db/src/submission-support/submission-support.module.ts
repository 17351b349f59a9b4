import { Module } from '@nestjs/common';
import { SubmissionSupportController } from './submission-support.controller';
import { SubmissionSupportService } from './submission-support.service';

@Module({ controllers: [SubmissionSupportController], providers: [SubmissionSupportService] })
export class SubmissionSupportModule {}
