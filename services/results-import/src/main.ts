import 'reflect-metadata';
import { connectMongo, connectTransfers, mongoReadiness, runService, TransferStore } from '@helixgate/platform';
import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { RESULTS_IMPORT_CONFIG, ResultsImportEnvSchema } from './config';
import { ExpirySweeper, LOGGER } from './expiry-sweeper';
import { ResultDocumentRepository } from './result-document.repository';
import { ResultsController } from './results.controller';

@Module({})
class ResultsImportModule {}

void runService({
  name: 'results-import',
  envSchema: ResultsImportEnvSchema,
  module: async ({ config, logger, ops }) => {
    const mongo = await connectMongo(config, logger);
    ops.addReadinessCheck(mongoReadiness(mongo));
    const documents = new ResultDocumentRepository(mongo);
    await documents.init();
    const { transfers, connection: nats } = await connectTransfers(config, 'results-import');
    const closeConnections: OnApplicationShutdown = {
      onApplicationShutdown: async () => {
        await nats.drain();
        await mongo.close();
      },
    };
    return {
      module: ResultsImportModule,
      controllers: [ResultsController],
      providers: [
        { provide: ResultDocumentRepository, useValue: documents },
        { provide: TransferStore, useValue: transfers },
        { provide: RESULTS_IMPORT_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: 'CLOSE_CONNECTIONS', useValue: closeConnections },
        ExpirySweeper,
      ],
    };
  },
});
