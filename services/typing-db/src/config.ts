import { availableParallelism } from 'node:os';
import { BaseEnvSchema, envSchemas, MongoEnvSchema } from '@helixgate/platform';
import { z } from 'zod';

export const TypingEnvSchema = BaseEnvSchema.merge(MongoEnvSchema).extend({
  MONGODB_DATABASE: envSchemas.databaseName.default('helixgate_typing_db'),
  /** Worker threads typing sequences off the event loop (default: one per CPU, at most 8). */
  TYPING_QUERY_WORKERS: z.coerce.number().int().min(1).max(64).default(Math.min(8, availableParallelism())),
  /** Sequence queries that may wait for a free worker; past that a query gets BIGSdb's 503 "Server is too busy". */
  TYPING_QUERY_QUEUE: z.coerce.number().int().min(0).max(10_000).default(16),
});
export type TypingConfig = z.output<typeof TypingEnvSchema>;
