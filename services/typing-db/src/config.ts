import { BaseEnvSchema, envSchemas, MongoEnvSchema } from '@helixgate/platform';
import type { z } from 'zod';

export const TypingEnvSchema = BaseEnvSchema.merge(MongoEnvSchema).extend({
  MONGODB_DATABASE: envSchemas.databaseName.default('helixgate_typing_db'),
});
export type TypingConfig = z.output<typeof TypingEnvSchema>;
