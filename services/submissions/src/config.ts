import { BaseEnvSchema, envSchemas, MongoEnvSchema } from '@helixgate/platform';
import { z } from 'zod';

export const SubmissionsEnvSchema = BaseEnvSchema.merge(MongoEnvSchema).extend({
  MONGODB_DATABASE: envSchemas.databaseName.default('helixgate_submissions'),
  /** analytics_automated: a client's unfinished submissions from which more go to the low-priority queue (A_A's QUEUE_HOG_SIZE; 0: never). */
  AA_QUEUE_HOG_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(10),
  /** analytics_automated: a client's unfinished submissions past which a POST is refused with 429 (A_A's QUEUE_HARD_LIMIT; 0: no limit). */
  AA_QUEUE_HARD_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(15),
  /** How often unfinished analytics_automated submissions are brought up to date (states, results, e-mails). */
  AA_SYNC_INTERVAL_SECONDS: envSchemas.positiveSeconds.default(5),
  /** SMTP server for the e-mail sent when a batch ends, e.g. smtp://mail.example.org:25 or smtps://user:pass@host:465; none: no e-mail. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** Sender of those e-mails (A_A's DEFAULT_FROM_EMAIL); no e-mail is sent without it. */
  AA_EMAIL_FROM: z.string().max(320).optional(),
  /** The e-mail's subject, after "<job> : " and before ": <batch UUID>" (A_A's EMAIL_SUBJECT_STRING). */
  AA_EMAIL_SUBJECT: z.string().max(200).default('A_A Job Completion'),
  /** The e-mail's text, followed by the batch's URL (A_A's EMAIL_MESSAGE_STRING). */
  AA_EMAIL_MESSAGE: z.string().max(2000).default('Your analysis is complete.\nYou can retrieve the results from '),
  /** BIGSdb submissions: pending submissions one user may make per day (BIGSdb's daily_rest_submissions_limit). */
  BIGSDB_SUBMISSIONS_DAILY_LIMIT: z.coerce.number().int().positive().default(50),
  /** BIGSdb submissions: how long to wait for typing-db (checks, id assignment) before a 503. */
  BIGSDB_TYPING_TIMEOUT_MS: envSchemas.positiveMs.default(30_000),
});
export type SubmissionsConfig = z.output<typeof SubmissionsEnvSchema>;
