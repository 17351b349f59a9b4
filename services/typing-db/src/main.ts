import 'reflect-metadata';
import { mongoReadiness, runService, TransferStore } from '@helixgate/platform';
import { connect } from 'nats';
import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypingEnvSchema } from './config';
import { TypingController } from './typing.controller';
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
    const nats = await connect({ servers: config.NATS_URL, name: 'typing-db-transfers' });
    const transfers = await TransferStore.open(nats, config.TRANSFER_BUCKET, { maxBytes: config.TRANSFER_BUCKET_MAX_BYTES });
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
        { provide: TypingService, useValue: new TypingService(models, transfers) },
        { provide: 'SHUTDOWN', useValue: shutdown },
      ],
    };
  },
});
