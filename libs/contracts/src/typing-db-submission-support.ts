import { z } from 'zod';
import { defineSubject } from './subject';
import { DatabaseNameSchema } from './typing-db';

const DatabaseName = DatabaseNameSchema;
const Name = z.string().min(1).max(200);

/** typing-db's part of BIGSdb submissions: what the submissions service asks of the owner of loci, schemes, fields and users. */

/** A database as submissions see it, and the caller's user in it (registered as a submitter on first use). */
export const SubmissionContextSchema = z.object({
  type: z.enum(['seqdef', 'isolates']),
  userId: z.number().int(),
  curator: z.boolean(),
  /** Seqdef databases: whether any scheme has a primary key (profile submissions are possible). */
  profileSchemes: z.boolean(),
});
export type SubmissionContext = z.infer<typeof SubmissionContextSchema>;

/** A sequence as the check needs it: its length and the SHA-256 of the upper-cased sequence (typing-db's digest). */
const SequenceDigest = z.object({ length: z.number().int().nonnegative(), digest: z.string().regex(/^[a-f0-9]{64}$/) });

export const SubmissionSupportSubjects = {
  context: defineSubject(
    'typing-db.submission-context.get.v1',
    z.object({
      database: DatabaseName,
      account: z.object({
        email: z.string().max(254),
        firstName: z.string().max(200),
        surname: z.string().max(200),
        affiliation: z.string().max(300),
      }),
    }),
    SubmissionContextSchema,
  ),
  /** The locus (400 "Invalid value for locus: X" when undefined) and the allele each digest already is, if any. */
  checkAlleles: defineSubject(
    'typing-db.submission-alleles.check.v1',
    z.object({ database: DatabaseName, locus: z.string().max(1000), sequences: z.array(SequenceDigest).max(5000) }),
    z.object({
      locus: z.object({
        id: z.string(),
        dataType: z.enum(['DNA', 'peptide']),
        lengthVaries: z.boolean(),
        length: z.number().int().optional(),
      }),
      existing: z.array(z.string().nullable()),
    }),
  ),
  /** A scheme's loci and primary key, checked as BIGSdb checks a profile submission's scheme_id. */
  scheme: defineSubject(
    'typing-db.submission-scheme.get.v1',
    z.object({ database: DatabaseName, schemeId: z.string().max(50) }),
    z.object({ id: z.number().int(), loci: z.array(z.string()), primaryKey: z.string() }),
  ),
  /** Which (locus, allele) pairs are not defined and which profiles already exist (their id), in order. */
  checkProfiles: defineSubject(
    'typing-db.submission-profiles.check.v1',
    z.object({
      database: DatabaseName,
      schemeId: z.number().int(),
      profiles: z.array(z.array(z.string().max(100))).max(20000),
    }),
    z.object({
      undefinedAlleles: z.array(z.tuple([z.string(), z.string()])),
      existing: z.array(z.string().nullable()),
    }),
  ),
  /** Isolate rows checked against the database's fields and loci; errors in BIGSdb's words, rows numbered from firstRow. */
  checkIsolates: defineSubject(
    'typing-db.submission-isolates.check.v1',
    z.object({
      database: DatabaseName,
      genomes: z.boolean(),
      header: z.array(z.string().max(1000)).max(5000),
      rows: z.array(z.array(z.string().max(100_000))).max(20000),
      firstRow: z.number().int().positive(),
    }),
    z.object({ headerErrors: z.array(z.string()), rowErrors: z.array(z.string()) }),
  ),
  /** An accepted allele: its id, new or (same sequence already defined) existing. Idempotent. */
  assignAllele: defineSubject(
    'typing-db.submission-alleles.assign.v1',
    z.object({
      database: DatabaseName,
      locus: Name,
      sequence: z.string().min(1).max(100_000),
      status: z.string().max(100),
    }),
    z.object({ alleleId: z.string(), created: z.boolean() }),
  ),
  /** An accepted profile (allele ids in the order of the scheme's loci): its id, new or existing. Idempotent. */
  assignProfile: defineSubject(
    'typing-db.submission-profiles.assign.v1',
    z.object({
      database: DatabaseName,
      schemeId: z.number().int(),
      alleles: z.array(z.string().min(1).max(100)).min(1).max(20000),
    }),
    z.object({ profileId: z.string(), created: z.boolean() }),
  ),
};
