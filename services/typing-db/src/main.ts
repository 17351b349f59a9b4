import 'reflect-metadata';
import { connectTransfers, mongoReadiness, runService } from '@helixgate/platform';
import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypingEnvSchema } from './config';
import { TypingController } from './typing.controller';
import { Classifications } from './classifications';
import { IsolatesService } from './isolates.service';
import { SchemeValues } from './scheme-values';
import { TypingService } from './typing.service';
import { openTypingStore } from './typing-store';

@Module({})
class TypingModule {}

void runService({
  name: 'typing-db',
  envSchema: TypingEnvSchema,
  module: async ({ config, logger, ops }) => {
    const { connection, models } = await openTypingStore(config, logger);
    ops.addReadinessCheck(mongoReadiness(connection));
    const { transfers, connection: nats } = await connectTransfers(config, 'typing-db');
    const classifications = new Classifications(models, new SchemeValues(models));
    const shutdown: OnApplicationShutdown = {
      onApplicationShutdown: async () => {
        await nats.drain();
        await connection.close();
      },
    };
    return {
      module: TypingModule,
      controllers: [TypingController],
      providers: [
        { provide: TypingService, useValue: new TypingService(models, transfers, classifications) },
        { provide: IsolatesService, useValue: new IsolatesService(models, transfers, classifications) },
        { provide: 'SHUTDOWN', useValue: shutdown },
      ],
    };
  },
});
