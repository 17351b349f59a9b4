import { BaseEnvSchema, envSchemas, MongoEnvSchema } from '@helixgate/platform';
import type { z } from 'zod';

export const ResultsImportEnvSchema = BaseEnvSchema.merge(MongoEnvSchema).extend({
  MONGODB_DATABASE: envSchemas.databaseName.default('helixgate_results_import'),
  /** How long a posted document is served (pATLAS: one day). */
  RESULTS_TTL_SECONDS: envSchemas.positiveSeconds.default(86_400),
  /** How often expired documents are deleted; they are never served even before that. */
  RESULTS_SWEEP_INTERVAL_SECONDS: envSchemas.positiveSeconds.default(600),
});

export type ResultsImportConfig = z.output<typeof ResultsImportEnvSchema>;
