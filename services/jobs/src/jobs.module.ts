import { Module } from '@nestjs/common';
import { CgiJobsModule } from './cgi-jobs/cgi-jobs.module';
import { DefinitionsModule } from './definitions/definitions.module';
import { ShippedDefinitions } from './definitions/shipped-definitions';
import { KnowledgeBaseModule } from './knowledge-base/knowledge-base.module';
import { StarterKnowledgeBase } from './knowledge-base/starter-knowledge-base';
import { RunsModule } from './runs/runs.module';

/** The jobs service: its four resources, and what it puts in place at start (shipped jobs, a knowledge base). */
@Module({
  imports: [DefinitionsModule, RunsModule, CgiJobsModule, KnowledgeBaseModule],
  providers: [ShippedDefinitions, StarterKnowledgeBase],
})
export class JobsModule {}

/** What the jobs command line works on: definitions and the knowledge base, nothing put in place at start. */
@Module({ imports: [DefinitionsModule, KnowledgeBaseModule] })
export class JobsCommandModule {}
