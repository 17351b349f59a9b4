import { BaseEnvSchema, envSchemas, MongoEnvSchema } from '@helixgate/platform';
import { z } from 'zod';

export const AuthEnvSchema = BaseEnvSchema.merge(MongoEnvSchema).extend({
  MONGODB_DATABASE: envSchemas.databaseName.default('helixgate_auth'),
  /** 32 random bytes, base64: encrypts OAuth consumer and token secrets at rest. Keep it; losing it voids every OAuth client. */
  AUTH_SECRET_KEY: z
    .string({ required_error: 'required: 32 random bytes, base64 (e.g. `openssl rand -base64 32`)' })
    .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64-encoded'),
  /** OAuth request tokens and verifiers (BIGSdb: 60 minutes). */
  OAUTH_REQUEST_TOKEN_TTL_SECONDS: envSchemas.positiveSeconds.default(3_600),
  /** OAuth session tokens (BIGSdb: 12 hours). */
  OAUTH_SESSION_TOKEN_TTL_SECONDS: envSchemas.positiveSeconds.default(43_200),
  /** How far a signed request's oauth_timestamp may be from the server's clock (BIGSdb: 600 s). */
  OAUTH_TIMESTAMP_WINDOW_SECONDS: envSchemas.positiveSeconds.default(600),
  /** Logins on the authorisation pages. */
  WEB_SESSION_TTL_SECONDS: envSchemas.positiveSeconds.default(8 * 3_600),
});

export type AuthConfig = z.output<typeof AuthEnvSchema>;
