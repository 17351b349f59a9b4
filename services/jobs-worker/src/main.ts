import 'reflect-metadata';
import { runService } from '@helixgate/platform';
import { WorkerEnvSchema } from './config';
import { WorkerModule } from './worker.module';

void runService({
  name: 'jobs-worker',
  envSchema: WorkerEnvSchema,
  needs: { jobFiles: true },
  module: WorkerModule,
});
