import 'reflect-metadata';
import { runService } from '@helixgate/platform';
import { SubmissionsEnvSchema } from './config';
import { SubmissionsModule } from './submissions.module';

void runService({
  name: 'submissions',
  envSchema: SubmissionsEnvSchema,
  needs: { mongo: true },
  module: SubmissionsModule,
});
