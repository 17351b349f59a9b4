import 'reflect-metadata';
import { runService } from '@helixgate/platform';
import { JobsEnvSchema } from './config';
import { JobsModule } from './jobs.module';

void runService({
  name: 'jobs',
  envSchema: JobsEnvSchema,
  needs: { mongo: true, jobFiles: true },
  module: JobsModule,
});
