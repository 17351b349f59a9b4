import { z } from 'zod';
import { defineStreamSubject } from './byte-stream';
import { defineSubject } from './subject';
import { RawJsonBodySchema } from './transfer';
import {
  AlleleDesignationSchema,
  AlleleDesignationsPageSchema,
  AlleleIdsPageSchema,
  AlleleSchema,
  AllelesPageSchema,
  ClassificationGroupPageSchema,
  ClassificationGroupsPageSchema,
  ClassificationSchemeListSchema,
  ClassificationSchemeSchema,
  ContigSchema,
  ContigsPageSchema,
  CuratorListSchema,
  DatabaseResourcesSchema,
  DesignationsQueryResultSchema,
  FieldValuesPageSchema,
  IsolateFieldSchema,
  IsolateHistorySchema,
  IsolateSchema,
  IsolatesPageSchema,
  LociPageSchema,
  LocusSchema,
  ProfileSchema,
  ProfilesPageSchema,
  ProjectIsolatesPageSchema,
  ProjectListSchema,
  ProjectSchema,
  ResourceGroupSchema,
  SchemeAlleleDesignationsSchema,
  SchemeAlleleIdsSchema,
  SchemeFieldSchema,
  SchemeListSchema,
  SchemeLociSchema,
  SchemeSchema,
  SequenceQueryResultSchema,
  SequencesSummarySchema,
  UserSchema,
} from './typing-db-replies';

export * from './typing-db-replies';

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

const DatabaseRead = BigsdbReadSchema.extend({ database: DatabaseName });
const IsolateRead = DatabaseRead.extend({ isolateId: Name });

/** What a sequence query types against: one locus, a scheme's loci, or every locus of the database. */
export const SequenceQueryTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('locus'), locus: Name }),
  z.object({ kind: z.literal('scheme'), schemeId: Name }),
  z.object({ kind: z.literal('all') }),
]);
export type SequenceQueryTarget = z.infer<typeof SequenceQueryTargetSchema>;

/** BIGSdb's answer to a body that is not a JSON object (Dancer2's JSON deserializer). */
export const BIGSDB_MALFORMED_REQUEST = 'Malformed request';

/** Largest sequence query body, BIGSdb's max_upload_size default (Dancer2 answers 413 past it). */
export const SEQUENCE_QUERY_MAX_BYTES = 32 * 1024 ** 2;

export const TypingSubjects = {
  listResources: defineSubject('typing-db.resources.list.v1', BigsdbReadSchema, z.array(ResourceGroupSchema)),
  getDatabase: defineSubject(
    'typing-db.databases.get.v1',
    BigsdbReadSchema.extend({ database: DatabaseName }),
    DatabaseResourcesSchema,
  ),
  listLoci: defineSubject(
    'typing-db.loci.list.v1',
    BigsdbReadSchema.extend({ database: DatabaseName, page: PageRequestSchema }),
    LociPageSchema,
  ),
  getLocus: defineSubject(
    'typing-db.loci.get.v1',
    BigsdbReadSchema.extend({ database: DatabaseName, locus: Name }),
    LocusSchema,
  ),
  listAlleles: defineSubject(
    'typing-db.alleles.list.v1',
    BigsdbReadSchema.extend({ database: DatabaseName, locus: Name, page: PageRequestSchema }),
    AllelesPageSchema,
  ),
  getAllele: defineSubject(
    'typing-db.alleles.get.v1',
    BigsdbReadSchema.extend({ database: DatabaseName, locus: Name, alleleId: Name }),
    AlleleSchema,
  ),
  /** The FASTA of a locus, streamed to the caller as it is read (text/plain). */
  allelesFasta: defineStreamSubject('typing-db.alleles.fasta.v2', z.object({ database: DatabaseName, locus: Name })),
  getSequences: defineSubject(
    'typing-db.sequences.get.v1',
    BigsdbReadSchema.extend({ database: DatabaseName }),
    SequencesSummarySchema,
  ),
  listCurators: defineSubject(
    'typing-db.curators.list.v1',
    BigsdbReadSchema.extend({ database: DatabaseName }),
    CuratorListSchema,
  ),
  getSchemeField: defineSubject(
    'typing-db.scheme-fields.get.v1',
    BigsdbReadSchema.extend({ database: DatabaseName, schemeId: Name, field: Name }),
    SchemeFieldSchema,
  ),
  listSchemes: defineSubject(
    'typing-db.schemes.list.v1',
    BigsdbReadSchema.extend({ database: DatabaseName, withPk: z.boolean() }),
    SchemeListSchema,
  ),
  getScheme: defineSubject(
    'typing-db.schemes.get.v1',
    BigsdbReadSchema.extend({ database: DatabaseName, schemeId: Name }),
    SchemeSchema,
  ),
  listProfiles: defineSubject(
    'typing-db.profiles.list.v1',
    BigsdbReadSchema.extend({ database: DatabaseName, schemeId: Name, page: PageRequestSchema }),
    ProfilesPageSchema,
  ),
  getProfile: defineSubject(
    'typing-db.profiles.get.v1',
    BigsdbReadSchema.extend({ database: DatabaseName, schemeId: Name, profileId: Name, alleleIdsOnly: z.boolean() }),
    ProfileSchema,
  ),
  /** All profiles of a scheme as tab-separated text, streamed to the caller as it is read. */
  profilesCsv: defineStreamSubject('typing-db.profiles.csv.v2', z.object({ database: DatabaseName, schemeId: Name })),
  /** The loci of a scheme; the page request carries the alleles_* date filters. */
  listSchemeLoci: defineSubject(
    'typing-db.scheme-loci.list.v1',
    DatabaseRead.extend({ schemeId: Name, page: PageRequestSchema }),
    SchemeLociSchema,
  ),
  getUser: defineSubject('typing-db.users.get.v1', z.object({ database: DatabaseName, userId: Name }), UserSchema),
  listClassificationSchemes: defineSubject(
    'typing-db.classification-schemes.list.v1',
    DatabaseRead,
    ClassificationSchemeListSchema,
  ),
  getClassificationScheme: defineSubject(
    'typing-db.classification-schemes.get.v1',
    DatabaseRead.extend({ classificationSchemeId: Name }),
    ClassificationSchemeSchema,
  ),
  listClassificationGroups: defineSubject(
    'typing-db.classification-groups.list.v1',
    DatabaseRead.extend({ classificationSchemeId: Name, page: PageRequestSchema }),
    ClassificationGroupsPageSchema,
  ),
  getClassificationGroup: defineSubject(
    'typing-db.classification-groups.get.v1',
    DatabaseRead.extend({ classificationSchemeId: Name, groupId: Name, page: PageRequestSchema }),
    ClassificationGroupPageSchema,
  ),

  /** POST loci/{locus}/sequence, POST sequence and POST schemes/{id}/sequence: type a sequence or an assembly. */
  querySequence: defineSubject(
    'typing-db.sequences.query.v1',
    DatabaseRead.extend({ target: SequenceQueryTargetSchema, body: RawJsonBodySchema }),
    SequenceQueryResultSchema,
  ),
  /** POST schemes/{id}/designations: the scheme fields of an allelic profile. */
  queryDesignations: defineSubject(
    'typing-db.scheme-designations.query.v1',
    DatabaseRead.extend({ schemeId: Name, body: z.record(z.unknown()) }),
    DesignationsQueryResultSchema,
  ),

  // Isolates databases
  listIsolates: defineSubject(
    'typing-db.isolates.list.v1',
    DatabaseRead.extend({ page: PageRequestSchema }),
    IsolatesPageSchema,
  ),
  listGenomes: defineSubject(
    'typing-db.genomes.list.v1',
    DatabaseRead.extend({ page: PageRequestSchema }),
    IsolatesPageSchema,
  ),
  /** POST /isolates/search: the JSON body's field./locus./scheme. terms, checked by the service as BIGSdb checks them. */
  searchIsolates: defineSubject(
    'typing-db.isolates.search.v1',
    DatabaseRead.extend({ terms: z.record(z.unknown()), page: PageRequestSchema }),
    IsolatesPageSchema,
  ),
  getIsolate: defineSubject(
    'typing-db.isolates.get.v1',
    IsolateRead.extend({ provenanceOnly: z.boolean() }),
    IsolateSchema,
  ),
  getIsolateHistory: defineSubject('typing-db.isolate-history.get.v1', IsolateRead, IsolateHistorySchema),
  listDesignations: defineSubject(
    'typing-db.allele-designations.list.v1',
    IsolateRead.extend({ page: PageRequestSchema }),
    AlleleDesignationsPageSchema,
  ),
  getDesignations: defineSubject(
    'typing-db.allele-designations.get.v1',
    IsolateRead.extend({ locus: Name }),
    z.array(AlleleDesignationSchema),
  ),
  listAlleleIds: defineSubject(
    'typing-db.allele-ids.list.v1',
    IsolateRead.extend({ page: PageRequestSchema }),
    AlleleIdsPageSchema,
  ),
  getSchemeAlleleIds: defineSubject(
    'typing-db.scheme-allele-ids.get.v1',
    IsolateRead.extend({ schemeId: Name }),
    SchemeAlleleIdsSchema,
  ),
  getSchemeDesignations: defineSubject(
    'typing-db.scheme-allele-designations.get.v1',
    IsolateRead.extend({ schemeId: Name }),
    SchemeAlleleDesignationsSchema,
  ),
  listContigs: defineSubject(
    'typing-db.contigs.list.v1',
    IsolateRead.extend({ page: PageRequestSchema }),
    ContigsPageSchema,
  ),
  getContig: defineSubject('typing-db.contigs.get.v1', DatabaseRead.extend({ contigId: Name }), ContigSchema),
  /** An isolate's contigs as FASTA (header: id or original_designation), streamed to the caller as it is read. */
  contigsFasta: defineStreamSubject(
    'typing-db.contigs.fasta.v2',
    z.object({ database: DatabaseName, isolateId: Name, header: z.string().max(50).optional() }),
  ),
  listFields: defineSubject('typing-db.fields.list.v1', DatabaseRead, z.array(IsolateFieldSchema)),
  listFieldValues: defineSubject(
    'typing-db.field-values.list.v1',
    DatabaseRead.extend({ field: Name, page: PageRequestSchema }),
    FieldValuesPageSchema,
  ),
  listProjects: defineSubject('typing-db.projects.list.v1', DatabaseRead, ProjectListSchema),
  getProject: defineSubject('typing-db.projects.get.v1', DatabaseRead.extend({ projectId: Name }), ProjectSchema),
  listProjectIsolates: defineSubject(
    'typing-db.project-isolates.list.v1',
    DatabaseRead.extend({ projectId: Name, page: PageRequestSchema }),
    ProjectIsolatesPageSchema,
  ),
};
