import { Module } from '@nestjs/common';
import { DefinitionsModule } from '../definitions/definitions.module';
import { RunsModule } from '../runs/runs.module';
import { CgiJobsController } from './cgi-jobs.controller';
import { CgiJobsService } from './cgi-jobs.service';

/** CGI launches: runs of the CGI job, whose definition this module puts at start. */
@Module({
  imports: [DefinitionsModule, RunsModule],
  controllers: [CgiJobsController],
  providers: [CgiJobsService],
})
export class CgiJobsModule {}
