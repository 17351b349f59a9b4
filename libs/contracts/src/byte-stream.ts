import { z } from 'zod';
import { defineSubject, type Subject } from './subject';

/**
 * The reply of a subject that answers with a byte stream (a FASTA or CSV export): the bytes travel as NATS messages
 * to the caller's inbox while the handler reads them (libs/platform byte-stream.ts), and the handler's reply, sent
 * when the last chunk has left, says how many there were, so that the caller knows it has the whole body.
 */
export const StreamSummarySchema = z
  .object({ chunks: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() })
  .strict();
export type StreamSummary = z.infer<typeof StreamSummarySchema>;

/**
 * What the caller of a stream sends on the stream's credit subject: the chunks it has taken so far (the sender may
 * have `window` chunks beyond that in flight), sent as it reads and every second as a heartbeat; `cancel` when it
 * stops reading (its client went away), which stops the sender's read.
 */
export const StreamCreditSchema = z
  .object({ received: z.number().int().nonnegative(), cancel: z.literal(true).optional() })
  .strict();
export type StreamCredit = z.infer<typeof StreamCreditSchema>;

/** A subject answered with a byte stream (see StreamSummarySchema). */
export type StreamSubject<Req extends z.ZodTypeAny> = Subject<Req, typeof StreamSummarySchema>;

export function defineStreamSubject<Req extends z.ZodTypeAny>(name: string, request: Req): StreamSubject<Req> {
  return defineSubject(name, request, StreamSummarySchema);
}
