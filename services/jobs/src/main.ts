import 'reflect-metadata';
import {
  connectMongo,
  connectTransfers,
  ensureRunStream,
  mongoReadiness,
  openJobFiles,
  runService,
} from '@helixgate/platform';
import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { JobsEnvSchema } from './config';
import { JobsController } from './jobs.controller';
import { jobsModels } from './models';
import { ANALYTICS_AUTOMATED_STARTER_JOBS } from './analytics-automated-jobs';
import { CGI_DEFINITION, CgiJobs, STARTER_KNOWLEDGE_BASE } from './cgi-jobs';
import { KnowledgeBaseStore } from './knowledge-base.store';
import { RunsService } from './runs.service';

@Module({})
class JobsModule {}

void runService({
  name: 'jobs',
  envSchema: JobsEnvSchema,
  module: async ({ config, logger, ops }) => {
    const mongo = await connectMongo(config, logger);
    ops.addReadinessCheck(mongoReadiness(mongo));
    const models = jobsModels(mongo);
    const { transfers, connection: nats } = await connectTransfers(config, 'jobs');
    const files = await openJobFiles(nats, config);
    await ensureRunStream(nats, config.NATS_SUBJECT_PREFIX);
    const runs = new RunsService(models, config, nats.jetstream(), transfers, files, logger);
    const knowledgeBase = new KnowledgeBaseStore(models);
    // The CGI job is part of the product; the starter knowledge base is there until an operator loads another.
    await runs.putDefinition(CGI_DEFINITION);
    for (const job of ANALYTICS_AUTOMATED_STARTER_JOBS) {
      const outcome = await runs.putShippedDefinition(job);
      if (outcome !== 'updated')
        logger.info(
          { job: job.name, outcome },
          outcome === 'kept'
            ? 'analytics_automated job left as the operator defined it'
            : 'analytics_automated job defined',
        );
    }
    if (!(await knowledgeBase.loaded()))
      logger.info(await knowledgeBase.load(STARTER_KNOWLEDGE_BASE), 'starter knowledge base loaded');
    const shutdown: OnApplicationShutdown = {
      onApplicationShutdown: async () => {
        await nats.drain();
        await mongo.close();
      },
    };
    return {
      module: JobsModule,
      controllers: [JobsController],
      providers: [
        { provide: RunsService, useValue: runs },
        { provide: CgiJobs, useValue: new CgiJobs(runs, transfers) },
        { provide: KnowledgeBaseStore, useValue: knowledgeBase },
        { provide: 'SHUTDOWN', useValue: shutdown },
      ],
    };
  },
});
