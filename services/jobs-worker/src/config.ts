import { tmpdir } from 'node:os';
import { BaseEnvSchema, JobFilesEnvSchema } from '@helixgate/platform';
import { z } from 'zod';

export const WorkerEnvSchema = BaseEnvSchema.merge(JobFilesEnvSchema).extend({
  /** How long a run may go without a heartbeat before the queue gives it to another worker (a dead one's runs). */
  JOBS_ACK_WAIT_SECONDS: z.coerce.number().int().min(2).max(3600).default(60),
  /** Where per-run directories are made; each is removed when its run ends. */
  JOBS_WORK_DIR: z.string().min(1).default(tmpdir()),
  /** Runs one worker process works on at once. */
  JOBS_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
});
export type WorkerConfig = z.output<typeof WorkerEnvSchema>;
