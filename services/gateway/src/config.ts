import { RESULTS_MAX_DOCUMENT_BYTES } from '@helixgate/contracts';
import { BaseEnvSchema, envSchemas, JobFilesEnvSchema } from '@helixgate/platform';
import { z } from 'zod';

export const GatewayEnvSchema = BaseEnvSchema.merge(JobFilesEnvSchema).extend({
  HOST: z.string().default('0.0.0.0'),
  PORT: envSchemas.port.default(3000),
  /** Base of the links POST /results/ returns; when unset, the scheme and host the request came in on. */
  PUBLIC_URL: z
    .string()
    .url()
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  /** How long the gateway waits for a service to answer before a 503. */
  RPC_TIMEOUT_MS: envSchemas.positiveMs.default(10_000),
  /** Requests per minute per client address. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /** Largest body POST /results/ accepts. */
  RESULTS_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .max(RESULTS_MAX_DOCUMENT_BYTES)
    .default(10 * 1024 * 1024),
  /** Express "trust proxy": false, true, a hop count, or addresses/subnets of the proxies in front. */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value): boolean | number | string => {
      if (value === 'true' || value === 'false') return value === 'true';
      return /^\d+$/.test(value) ? Number(value) : value;
    }),
});

export type GatewayConfig = z.output<typeof GatewayEnvSchema>;
