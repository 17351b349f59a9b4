import { BaseEnvSchema, envSchemas, JobFilesEnvSchema, MongoEnvSchema } from '@helixgate/platform';
import { z } from 'zod';

export const JobsEnvSchema = BaseEnvSchema.merge(MongoEnvSchema)
  .merge(JobFilesEnvSchema)
  .extend({
    MONGODB_DATABASE: envSchemas.databaseName.default('helixgate_jobs'),
    /** Unfinished (Submitted or Running) runs one owner may have; past it a submission is refused (CGI's "403"). */
    JOBS_MAX_UNFINISHED_PER_OWNER: z.coerce.number().int().min(1).max(100_000).default(10),
    /** Largest log a run keeps, in lines; later lines are dropped with one line saying so. */
    JOBS_MAX_LOG_LINES: z.coerce.number().int().min(100).max(10_000_000).default(100_000),
  });
export type JobsConfig = z.output<typeof JobsEnvSchema>;
