import 'reflect-metadata';
import { connectTransfers, mongoReadiness, runService } from '@helixgate/platform';
import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypingEnvSchema } from './config';
import { TypingController } from './typing.controller';
import { Classifications } from './classifications';
import { IsolatesService } from './isolates.service';
import { SchemeValues } from './scheme-values';
import { AlleleIndexes } from './sequence-query/allele-indexes';
import { QueryPool } from './sequence-query/query-pool';
import { SequenceQueryService } from './sequence-query/sequence-query.service';
import { TypingService } from './typing.service';
import { openTypingStore } from './typing-store';
import { submissionSupportModule } from './submission-support';

@Module({})
class TypingModule {}

void runService({
  name: 'typing-db',
  envSchema: TypingEnvSchema,
  module: async ({ config, logger, ops }) => {
    const { connection, models } = await openTypingStore(config, logger);
    ops.addReadinessCheck(mongoReadiness(connection));
    const { transfers, connection: nats } = await connectTransfers(config, 'typing-db');
    const schemeValues = new SchemeValues(models);
    const classifications = new Classifications(models, schemeValues);
    const indexes = new AlleleIndexes(models, logger);
    const pool = new QueryPool(config.TYPING_QUERY_WORKERS, config.TYPING_QUERY_QUEUE, logger);
    // Built now rather than on the first query; a failure here is retried by that query.
    void indexes
      .warm()
      .catch((error: Error) => logger.warn({ error: error.message }, 'allele indexes not built at start'));
    const shutdown: OnApplicationShutdown = {
      onApplicationShutdown: async () => {
        await pool.close();
        await nats.drain();
        await connection.close();
      },
    };
    return {
      module: TypingModule,
      imports: [submissionSupportModule(models)],
      controllers: [TypingController],
      providers: [
        { provide: TypingService, useValue: new TypingService(models, transfers, classifications) },
        { provide: IsolatesService, useValue: new IsolatesService(models, transfers, classifications) },
        {
          provide: SequenceQueryService,
          useValue: new SequenceQueryService(models, transfers, indexes, pool, schemeValues),
        },
        { provide: 'SHUTDOWN', useValue: shutdown },
      ],
    };
  },
});
