import 'reflect-metadata';
import { connectMongo, connectTransfers, ensureRunStream, mongoReadiness, openJobFiles, runService } from '@helixgate/platform';
import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { JobsEnvSchema } from './config';
import { JobsController } from './jobs.controller';
import { jobsModels } from './models';
import { RunsService } from './runs.service';

@Module({})
class JobsModule {}

void runService({
  name: 'jobs',
  envSchema: JobsEnvSchema,
  module: async ({ config, logger, ops }) => {
    const mongo = await connectMongo({ uri: config.MONGODB_URI, database: config.MONGODB_DATABASE, logger });
    ops.addReadinessCheck(mongoReadiness(mongo));
    const models = jobsModels(mongo);
    const { transfers, connection: nats } = await connectTransfers(config, 'jobs');
    const files = await openJobFiles(nats, config);
    await ensureRunStream(nats, config.NATS_SUBJECT_PREFIX);
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
        { provide: RunsService, useValue: new RunsService(models, config, nats.jetstream(), transfers, files) },
        { provide: 'SHUTDOWN', useValue: shutdown },
      ],
    };
  },
});
