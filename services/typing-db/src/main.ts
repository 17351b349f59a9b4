import 'reflect-metadata';
import { runService } from '@helixgate/platform';
import { TypingEnvSchema } from './config';
import { TypingDbModule } from './typing-db.module';

void runService({
  name: 'typing-db',
  envSchema: TypingEnvSchema,
  needs: { mongo: true },
  module: TypingDbModule,
});
