import { Module } from '@nestjs/common';
import { AaSubmissionsModule } from './aa-submissions/aa-submissions.module';
import { BigsdbSubmissionsModule } from './bigsdb-submissions/bigsdb-submissions.module';

/** The submissions service: analytics_automated submissions and BIGSdb curator submissions. */
@Module({ imports: [AaSubmissionsModule, BigsdbSubmissionsModule] })
export class SubmissionsModule {}
