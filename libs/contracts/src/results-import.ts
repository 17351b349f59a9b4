import { z } from 'zod';
import { defineSubject } from './subject';
import { ObjectRefSchema, RawJsonBodySchema } from './transfer';

/** The largest result document stored: MongoDB's 16 MiB document limit, with room to spare. */
export const RESULTS_MAX_DOCUMENT_BYTES = 15 * 1024 * 1024;

/** pATLAS import types accepted by POST /results/. */
export const RESULT_TYPES = ['mapping', 'mash_screen', 'assembly'] as const;
export type ResultType = (typeof RESULT_TYPES)[number];

/**
 * The stored form of a document: its canonical JSON, keys sorted, so always `{"samples":{…},"type":"<type>"}`.
 * Readers cut the samples' text out of it by these parts instead of parsing the whole document.
 */
export function storedResultsParts(type: ResultType): { head: string; tail: string } {
  return { head: '{"samples":', tail: `,"type":${JSON.stringify(type)}}` };
}

/** Decimal unsigned 64-bit id, as in `/results?query=15675682358507007771`. */
export const ResultIdSchema = z.string().regex(/^(0|[1-9][0-9]{0,19})$/);

const Timestamps = {
  createdAt: z.string().datetime(),
  expiresAt: z.string().datetime(),
};

export const ResultsSubjects = {
  /** Store a posted body (inline, or parked in the object store by the gateway when large) and return its id. */
  create: defineSubject(
    'results-import.documents.create.v1',
    z.object({ body: RawJsonBodySchema }),
    z.object({ id: ResultIdSchema, stored: z.boolean(), ...Timestamps }),
  ),
  /** Fetch a live (unexpired) document. Its canonical JSON comes inline when small, else as an ObjectRef. */
  get: defineSubject(
    'results-import.documents.get.v1',
    z.object({ id: ResultIdSchema }),
    z.object({
      id: ResultIdSchema,
      type: z.enum(RESULT_TYPES),
      ...Timestamps,
      document: z.union([z.object({ inline: z.string() }), z.object({ object: ObjectRefSchema })]),
    }),
  ),
};
