import { z } from 'zod';
import { defineSubject } from './subject';
import { ObjectRefSchema } from './transfer';

/** A BIGSdb database configuration name, e.g. pubmlst_neisseria_seqdef. */
export const DatabaseNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/);
const DatabaseName = DatabaseNameSchema;
const Name = z.string().min(1).max(200);

/**
 * What every BIGSdb read request carries: the base URI links are built on (BIGSdb answers with absolute
 * URIs) and, for paged routes, the page request as the client sent it, so the service can apply BIGSdb's
 * paging rules and build its links.
 */
export const BigsdbReadSchema = z.object({ baseUri: z.string().url().max(500) });

export const PageRequestSchema = z.object({
  /** The request path (without query), for paging links. */
  path: z.string().max(2000),
  /** Every query parameter, in order, as sent. */
  query: z.array(z.tuple([z.string().max(200), z.string().max(2000)])).max(100),
  /** The X-OFFSET and X-PER-PAGE request headers, as sent. */
  offsetHeader: z.string().max(50).optional(),
  perPageHeader: z.string().max(50).optional(),
});
export type PageRequest = z.infer<typeof PageRequestSchema>;

/** X-Per-Page, X-Offset and X-Total-Pages: the gateway sets them on every paged response. */
export const PageHeadersSchema = z.object({ perPage: z.number().int(), offset: z.number().int(), totalPages: z.number().int() });

/** A paged BIGSdb body (shape varies by route) with the headers the gateway adds. */
const Paged = z.object({ body: z.record(z.unknown()), headers: PageHeadersSchema });
const Body = z.record(z.unknown());

export const TypingSubjects = {
  listResources: defineSubject('typing-db.resources.list.v1', BigsdbReadSchema, z.array(Body)),
  getDatabase: defineSubject('typing-db.databases.get.v1', BigsdbReadSchema.extend({ database: DatabaseName }), Body),
  listLoci: defineSubject('typing-db.loci.list.v1', BigsdbReadSchema.extend({ database: DatabaseName, page: PageRequestSchema }), Paged),
  getLocus: defineSubject('typing-db.loci.get.v1', BigsdbReadSchema.extend({ database: DatabaseName, locus: Name }), Body),
  listAlleles: defineSubject('typing-db.alleles.list.v1', BigsdbReadSchema.extend({ database: DatabaseName, locus: Name, page: PageRequestSchema }), Paged),
  getAllele: defineSubject('typing-db.alleles.get.v1', BigsdbReadSchema.extend({ database: DatabaseName, locus: Name, alleleId: Name }), Body),
  /** The FASTA of a locus, streamed into the object store (text/plain). */
  allelesFasta: defineSubject('typing-db.alleles.fasta.v1', z.object({ database: DatabaseName, locus: Name }), ObjectRefSchema),
  getSequences: defineSubject('typing-db.sequences.get.v1', BigsdbReadSchema.extend({ database: DatabaseName }), Body),
  listCurators: defineSubject('typing-db.curators.list.v1', BigsdbReadSchema.extend({ database: DatabaseName }), Body),
  getSchemeField: defineSubject('typing-db.scheme-fields.get.v1', BigsdbReadSchema.extend({ database: DatabaseName, schemeId: Name, field: Name }), Body),
  listSchemes: defineSubject('typing-db.schemes.list.v1', BigsdbReadSchema.extend({ database: DatabaseName, withPk: z.boolean() }), Body),
  getScheme: defineSubject('typing-db.schemes.get.v1', BigsdbReadSchema.extend({ database: DatabaseName, schemeId: Name }), Body),
  listProfiles: defineSubject('typing-db.profiles.list.v1', BigsdbReadSchema.extend({ database: DatabaseName, schemeId: Name, page: PageRequestSchema }), Paged),
  getProfile: defineSubject(
    'typing-db.profiles.get.v1',
    BigsdbReadSchema.extend({ database: DatabaseName, schemeId: Name, profileId: Name, alleleIdsOnly: z.boolean() }),
    Body,
  ),
  /** All profiles of a scheme as tab-separated text, streamed into the object store. */
  profilesCsv: defineSubject('typing-db.profiles.csv.v1', z.object({ database: DatabaseName, schemeId: Name }), ObjectRefSchema),
};
