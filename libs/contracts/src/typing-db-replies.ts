import { z } from 'zod';

/**
 * The bodies typing-db answers BIGSdb's REST read routes with (lib/BIGSdb/REST/Routes/*.pm; research notes,
 * sections 1–3). Replies are parsed with these schemas and zod objects drop keys they do not name, so every key
 * the service can send is here, optional where it can be absent; keys are in the order the service writes them
 * (zod writes them in schema order). Where the keys are data (isolate fields, scheme fields, loci, classification
 * scheme names) the schema is a record, its value type spelled out.
 */

/** An absolute URI, as BIGSdb's request->uri_for writes it. */
const Uri = z.string();
/** A date as BIGSdb writes it: YYYY-MM-DD. */
const DateText = z.string();
const Count = z.number().int().nonnegative();
const Id = z.number().int();

/** X-Per-Page, X-Offset and X-Total-Pages: the gateway sets them on every paged response. */
export const PageHeadersSchema = z.object({
  perPage: z.number().int(),
  offset: z.number().int(),
  totalPages: z.number().int(),
});

/** BIGSdb's paging links, sent only when there is more than one page (and not with return_all or X-OFFSET). */
export const PagingSchema = z.object({
  first: Uri.optional(),
  previous: Uri.optional(),
  next: Uri.optional(),
  last: Uri.optional(),
  return_all: Uri.optional(),
});
export type Paging = z.infer<typeof PagingSchema>;

/** A paged reply: BIGSdb's `{records, <items>, paging?}` body (items in the given order) and the page headers. */
function paged<Items extends z.ZodRawShape>(items: Items) {
  return z.object({
    body: z.object({ records: Count, ...items, paging: PagingSchema.optional() }),
    headers: PageHeadersSchema,
  });
}

/** GET / and /db: a resource group and its databases. */
export const ResourceGroupSchema = z.object({
  name: z.string(),
  description: z.string(),
  databases: z.array(z.object({ name: z.string(), description: z.string(), href: Uri })),
});
export type ResourceGroup = z.infer<typeof ResourceGroupSchema>;

/** GET /db/{db}: links to what the database offers (seqdef: sequences; isolates: isolates, fields, genomes, projects). */
export const DatabaseResourcesSchema = z.object({
  curators: Uri,
  loci: Uri.optional(),
  schemes: Uri.optional(),
  sequences: Uri.optional(),
  isolates: Uri.optional(),
  fields: Uri.optional(),
  genomes: Uri.optional(),
  projects: Uri.optional(),
});
export type DatabaseResources = z.infer<typeof DatabaseResourcesSchema>;

/** GET /db/{db}/loci. */
export const LociPageSchema = paged({ loci: z.array(Uri) });
export type LociPage = z.infer<typeof LociPageSchema>;

/** A scheme a locus or an isolate belongs to, as lists name it: its link and description. */
const SchemeLinkSchema = z.object({ scheme: Uri, description: z.string() });

/** GET /db/{db}/loci/{locus}: min/max_length for loci whose length varies, alleles links on seqdef databases. */
export const LocusSchema = z.object({
  id: z.string(),
  data_type: z.enum(['DNA', 'peptide']),
  allele_id_format: z.enum(['integer', 'text']),
  length_varies: z.boolean(),
  coding_sequence: z.boolean(),
  length: z.number().int().optional(),
  schemes: z.array(SchemeLinkSchema).optional(),
  min_length: z.number().int().optional(),
  max_length: z.number().int().optional(),
  alleles: Uri.optional(),
  alleles_fasta: Uri.optional(),
});
export type Locus = z.infer<typeof LocusSchema>;

/** GET /db/{db}/loci/{locus}/alleles: last_updated over the selection when there is one. */
export const AllelesPageSchema = paged({ alleles: z.array(Uri), last_updated: DateText.optional() });
export type AllelesPage = z.infer<typeof AllelesPageSchema>;

/** GET /db/{db}/loci/{locus}/alleles/{id}. */
export const AlleleSchema = z.object({
  locus: Uri,
  allele_id: z.string(),
  sequence: z.string(),
  status: z.string(),
  type_allele: z.boolean(),
  date_entered: DateText,
  datestamp: DateText,
});
export type Allele = z.infer<typeof AlleleSchema>;

/** GET /db/{db}/sequences: how many alleles are defined, and when one last changed. */
export const SequencesSummarySchema = z.object({ loci: Uri, records: Count, last_updated: DateText.optional() });
export type SequencesSummary = z.infer<typeof SequencesSummarySchema>;

/** GET /db/{db}/curators: the curators' and admins' user links. */
export const CuratorListSchema = z.object({ records: Count, curators: z.array(Uri) });
export type CuratorList = z.infer<typeof CuratorListSchema>;

/** GET /db/{db}/users/{id}: the e-mail only for curators and admins. */
export const UserSchema = z.object({
  id: Id,
  first_name: z.string(),
  surname: z.string(),
  affiliation: z.string(),
  email: z.string().optional(),
});
export type User = z.infer<typeof UserSchema>;

/** GET /db/{db}/schemes/{id}/fields/{field}; type is BIGSdb's, `integer` or `text`. */
export const SchemeFieldSchema = z.object({ field: z.string(), type: z.string(), primary_key: z.boolean() });
export type SchemeField = z.infer<typeof SchemeFieldSchema>;

/** GET /db/{db}/schemes (?with_pk=1). */
export const SchemeListSchema = z.object({ records: Count, schemes: z.array(SchemeLinkSchema) });
export type SchemeList = z.infer<typeof SchemeListSchema>;

/**
 * GET /db/{db}/schemes/{id}. A scheme with a primary key has primary_key_field; on seqdef databases it also has
 * its profile count, dates (null before the first profile), profile links and curators.
 */
export const SchemeSchema = z.object({
  id: Id,
  description: z.string(),
  has_primary_key_field: z.boolean(),
  fields: z.array(Uri),
  locus_count: Count,
  loci: z.array(Uri),
  allow_missing_loci: z.boolean(),
  allow_presence: z.boolean(),
  display_order: z.number().int(),
  primary_key_field: Uri.optional(),
  records: Count.optional(),
  last_added: DateText.nullable().optional(),
  last_updated: DateText.nullable().optional(),
  profiles: Uri.optional(),
  profiles_csv: Uri.optional(),
  curators: z.array(Uri).optional(),
  classification_schemes: z.array(z.object({ href: Uri, name: z.string() })).optional(),
});
export type Scheme = z.infer<typeof SchemeSchema>;

/** GET /db/{db}/schemes/{id}/loci (unpaged, in scheme order). */
export const SchemeLociSchema = z.object({ records: Count, loci: z.array(Uri) });
export type SchemeLoci = z.infer<typeof SchemeLociSchema>;

/** GET /db/{db}/schemes/{id}/profiles: last_updated over the selection when there is one. */
export const ProfilesPageSchema = paged({ last_updated: DateText.optional(), profiles: z.array(Uri) });
export type ProfilesPage = z.infer<typeof ProfilesPageSchema>;

/** A scheme field's value in a profile (ST, clonal_complex…): integer fields as numbers. */
export const SchemeFieldValueSchema = z.union([z.string(), z.number()]);
export type SchemeFieldValue = z.infer<typeof SchemeFieldValueSchema>;

/** The classification group of a profile in one classification scheme. */
export const ProfileClassificationSchema = z.object({
  href: Uri,
  group: z.object({ group: z.number().int(), records: Count, profiles: Uri }),
});
export type ProfileClassification = z.infer<typeof ProfileClassificationSchema>;

const ProfileRecordSchema = z.object({
  /** Allele links, or with allele_ids_only=1 `{locus, allele_id}` pairs (never both); in the scheme's locus order. */
  alleles: z.array(z.union([Uri, z.object({ locus: z.string(), allele_id: z.string() })])),
  date_entered: DateText,
  datestamp: DateText,
  /** Keyed by classification scheme name. */
  classification_schemes: z.record(z.string(), ProfileClassificationSchema).optional(),
});
/** A profile: its scheme fields as top-level keys named by the scheme (TypeScript cannot type "every other key"). */
export type Profile = z.infer<typeof ProfileRecordSchema> & { [schemeField: string]: unknown };
/**
 * GET /db/{db}/schemes/{id}/profiles/{pid}. The scheme's fields (its primary key among them) are keys named by the
 * scheme's definition, so they are the catchall; zod writes them after the fixed keys.
 */
export const ProfileSchema: z.ZodType<Profile> = ProfileRecordSchema.catchall(SchemeFieldValueSchema);

/** GET /db/{db}/classification_schemes. */
export const ClassificationSchemeListSchema = z.object({ records: Count, classification_schemes: z.array(Uri) });
export type ClassificationSchemeList = z.infer<typeof ClassificationSchemeListSchema>;

/** GET /db/{db}/classification_schemes/{id}: description only when set, groups on seqdef databases. */
export const ClassificationSchemeSchema = z.object({
  id: Id,
  scheme: Uri,
  name: z.string(),
  description: z.string().optional(),
  inclusion_threshold: z.number().int(),
  relative_threshold: z.boolean(),
  groups: Uri.optional(),
});
export type ClassificationScheme = z.infer<typeof ClassificationSchemeSchema>;

/** GET /db/{db}/classification_schemes/{id}/groups. */
export const ClassificationGroupsPageSchema = paged({ groups: z.array(Uri) });
export type ClassificationGroupsPage = z.infer<typeof ClassificationGroupsPageSchema>;

/** GET /db/{db}/classification_schemes/{id}/groups/{group}: its profiles (seqdef) or its isolates (isolates). */
export const ClassificationGroupPageSchema = z.union([
  paged({ profiles: z.array(Uri) }),
  paged({ isolates: z.array(Uri) }),
]);
export type ClassificationGroupPage = z.infer<typeof ClassificationGroupPageSchema>;

// Sequence queries (research section 3)

/** An exact match: href unless details were asked for (then the position; contig unless the input was raw). */
export const ExactMatchSchema = z.object({
  allele_id: z.string(),
  href: Uri.optional(),
  start: z.number().int().optional(),
  end: z.number().int().optional(),
  length: z.number().int().optional(),
  orientation: z.enum(['forward', 'reverse']).optional(),
  contig: z.string().optional(),
});
export type ExactMatch = z.infer<typeof ExactMatchSchema>;

/** The locus route's best match when nothing matches exactly: predicted allele ends, no href. */
export const BestMatchSchema = z.object({
  allele_id: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  length: z.number().int(),
  alignment: z.number().int(),
  mismatches: z.number().int(),
  gaps: z.number().int(),
  identity: z.number(),
  orientation: z.enum(['forward', 'reverse']),
  contig: z.string().optional(),
});
export type BestMatch = z.infer<typeof BestMatchSchema>;

/** The scheme route's partial match of a locus: BIGSdb's internal best-bitscore hit, keys as it names them. */
export const PartialMatchSchema = z.object({
  allele: z.string(),
  identity: z.number(),
  length: z.number().int(),
  mismatches: z.number().int(),
  gaps: z.number().int(),
  qstart: z.number().int(),
  qend: z.number().int(),
  sstart: z.number().int(),
  send: z.number().int(),
  bitscore: z.number(),
  alignment: z.number().int(),
  start: z.number().int(),
  end: z.number().int(),
  predicted_start: z.number().int(),
  predicted_end: z.number().int(),
  query: z.string(),
  locus: z.string(),
  sequence: z.string().optional(),
  flanking_sequence: z.string().optional(),
  /** 1 for a hit on the reverse strand. */
  reverse: z.literal(1).optional(),
});
export type PartialMatch = z.infer<typeof PartialMatchSchema>;

/** POST loci/{locus}/sequence: the exact matches, or the best match when there is none. */
export const LocusQueryResultSchema = z.object({
  exact_matches: z.array(ExactMatchSchema),
  best_match: BestMatchSchema.optional(),
});
export type LocusQueryResult = z.infer<typeof LocusQueryResultSchema>;

/**
 * POST sequence (every locus; exact_matches always there) and POST schemes/{id}/sequence (each part only when not
 * empty). Keyed by locus name; fields are the scheme's, as strings (several values sorted and comma-joined).
 */
export const LociQueryResultSchema = z.object({
  exact_matches: z.record(z.string(), z.array(ExactMatchSchema)).optional(),
  fields: z.record(z.string(), z.string()).optional(),
  partial_matches: z.record(z.string(), PartialMatchSchema).optional(),
});
export type LociQueryResult = z.infer<typeof LociQueryResultSchema>;

/** The answer to a sequence query: a locus's matches (an array) or matches keyed by locus. */
export const SequenceQueryResultSchema = z.union([LocusQueryResultSchema, LociQueryResultSchema]);
export type SequenceQueryResult = z.infer<typeof SequenceQueryResultSchema>;

/** POST schemes/{id}/designations: the alleles given that exist (keyed by locus) and the profile's fields. */
export const DesignationsQueryResultSchema = z.object({
  exact_matches: z.record(z.string(), z.array(z.object({ allele_id: z.string() }))).optional(),
  fields: z.record(z.string(), z.string()).optional(),
});
export type DesignationsQueryResult = z.infer<typeof DesignationsQueryResultSchema>;

// Isolates databases

/** GET /db/{db}/isolates, /genomes and POST /isolates/search: dates over the whole selection. */
export const IsolatesPageSchema = paged({
  last_added: DateText.optional(),
  last_updated: DateText.optional(),
  isolates: z.array(Uri),
});
export type IsolatesPage = z.infer<typeof IsolatesPageSchema>;

/**
 * An isolate's provenance: the database's configured fields (id, isolate, country, year…, sender and curator as
 * user links), so keyed by field name; int fields as numbers. A field without a value is left out.
 */
export const IsolateProvenanceSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).optional());
export type IsolateProvenance = z.infer<typeof IsolateProvenanceSchema>;

/** An isolate's scheme field values, keyed by field: an array when a mixed sample gives several. */
export const IsolateSchemeFieldsSchema = z.record(
  z.string(),
  z.union([SchemeFieldValueSchema, z.array(SchemeFieldValueSchema)]),
);
export type IsolateSchemeFields = z.infer<typeof IsolateSchemeFieldsSchema>;

/** The groups (with more than one isolate) of an isolate's profile, keyed by classification scheme name. */
export const IsolateClassificationsSchema = z.record(
  z.string(),
  z.object({
    href: Uri,
    groups: z.array(z.object({ group: z.number().int(), records: Count, isolates: Uri })),
  }),
);
export type IsolateClassifications = z.infer<typeof IsolateClassificationsSchema>;

/** A scheme with at least one locus designated for the isolate. */
export const IsolateSchemeSchema = z.object({
  description: z.string(),
  loci_designated_count: Count,
  full_designations: Uri,
  allele_ids: Uri,
  fields: IsolateSchemeFieldsSchema.optional(),
  classification_schemes: IsolateClassificationsSchema.optional(),
});
export type IsolateScheme = z.infer<typeof IsolateSchemeSchema>;

/** GET /db/{db}/isolates/{id}: provenance, and (unless provenance_only=1) whatever else the isolate has. */
export const IsolateSchema = z.object({
  provenance: IsolateProvenanceSchema,
  aliases: z.array(z.string()).optional(),
  history: Uri.optional(),
  publications: z.array(z.object({ pubmed_id: z.number().int(), citation_link: Uri })).optional(),
  sequence_bin: z
    .object({
      contig_count: Count,
      total_length: Count,
      N50: Count,
      L50: Count,
      contigs: Uri,
      contigs_fasta: Uri,
    })
    .optional(),
  allele_designations: z.object({ designation_count: Count, full_designations: Uri, allele_ids: Uri }).optional(),
  schemes: z.array(IsolateSchemeSchema).optional(),
  projects: z.array(z.object({ id: Uri, description: z.string() })).optional(),
  new_version: Uri.optional(),
  old_version: Uri.optional(),
});
export type Isolate = z.infer<typeof IsolateSchema>;

/** GET /db/{db}/isolates/{id}/history: curator left out for user 0; timestamps as PostgreSQL writes them. */
export const IsolateHistorySchema = z.object({
  records: Count,
  updates: z.array(z.object({ curator: Uri.optional(), timestamp: z.string(), actions: z.array(z.string()) })),
});
export type IsolateHistory = z.infer<typeof IsolateHistorySchema>;

/** GET /db/{db}/isolates/{id}/allele_designations: a link per designated locus. */
export const AlleleDesignationsPageSchema = paged({ allele_designations: z.array(Uri) });
export type AlleleDesignationsPage = z.infer<typeof AlleleDesignationsPageSchema>;

/** An allele id of a designation: a number when the locus's ids are integers. */
const DesignatedAlleleId = z.union([z.string(), z.number().int()]);

/** One designation of GET /db/{db}/isolates/{id}/allele_designations/{locus} (no date_entered, as BIGSdb). */
export const AlleleDesignationSchema = z.object({
  locus: Uri,
  allele_id: DesignatedAlleleId,
  status: z.string(),
  method: z.string(),
  comments: z.string().optional(),
  sender: Uri.optional(),
  curator: Uri.optional(),
  datestamp: DateText,
});
export type AlleleDesignation = z.infer<typeof AlleleDesignationSchema>;

/** One designation in a scheme's designations (no comments, with date_entered, as BIGSdb). */
export const SchemeAlleleDesignationSchema = z.object({
  locus: Uri,
  allele_id: DesignatedAlleleId,
  sender: Uri.optional(),
  status: z.string(),
  method: z.string(),
  curator: Uri.optional(),
  date_entered: DateText,
  datestamp: DateText,
});
export type SchemeAlleleDesignation = z.infer<typeof SchemeAlleleDesignationSchema>;

/** `{locus: id}`, or `{locus: [ids]}` when the isolate has several: one object per locus, keyed by its name. */
export const LocusAlleleIdsSchema = z.record(z.string(), z.union([DesignatedAlleleId, z.array(DesignatedAlleleId)]));
export type LocusAlleleIds = z.infer<typeof LocusAlleleIdsSchema>;

/** GET /db/{db}/isolates/{id}/allele_ids: paged by locus. */
export const AlleleIdsPageSchema = paged({ allele_ids: z.array(LocusAlleleIdsSchema) });
export type AlleleIdsPage = z.infer<typeof AlleleIdsPageSchema>;

/** GET /db/{db}/isolates/{id}/schemes/{scheme}/allele_ids: the scheme's designated loci, in scheme order. */
export const SchemeAlleleIdsSchema = z.object({ records: Count, allele_ids: z.array(LocusAlleleIdsSchema) });
export type SchemeAlleleIds = z.infer<typeof SchemeAlleleIdsSchema>;

/** GET /db/{db}/isolates/{id}/schemes/{scheme}/allele_designations: `[{locus: [designations]}]`, keyed by locus. */
export const SchemeAlleleDesignationsSchema = z.object({
  records: Count,
  allele_designations: z.array(z.record(z.string(), z.array(SchemeAlleleDesignationSchema))),
});
export type SchemeAlleleDesignations = z.infer<typeof SchemeAlleleDesignationsSchema>;

/** GET /db/{db}/isolates/{id}/contigs. */
export const ContigsPageSchema = paged({ contigs: z.array(Uri) });
export type ContigsPage = z.infer<typeof ContigsPageSchema>;

/** GET /db/{db}/contigs/{id}: method, original_designation and comments only when set. */
export const ContigSchema = z.object({
  id: Id,
  isolate_id: Id,
  sequence: z.string(),
  length: Count,
  method: z.string().optional(),
  original_designation: z.string().optional(),
  comments: z.string().optional(),
  sender: Uri.optional(),
  curator: Uri.optional(),
  date_entered: DateText,
  datestamp: DateText,
});
export type Contig = z.infer<typeof ContigSchema>;

/** A provenance field of GET /db/{db}/fields, with its rules as config.xml gives them (type int, text, date…). */
export const IsolateFieldSchema = z.object({
  name: z.string(),
  type: z.string(),
  required: z.boolean(),
  length: z.number().int().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  regex: z.string().optional(),
  comments: z.string().optional(),
  allowed_values: z.array(z.string()).optional(),
  values: Uri,
});
export type IsolateField = z.infer<typeof IsolateFieldSchema>;

/** A value an isolate field takes (int and float fields as numbers). */
export const FieldValueSchema = z.union([z.string(), z.number(), z.boolean()]);
export type FieldValue = z.infer<typeof FieldValueSchema>;

/** GET /db/{db}/fields/{field}: the distinct values in use, in order. */
export const FieldValuesPageSchema = paged({ values: z.array(FieldValueSchema) });
export type FieldValuesPage = z.infer<typeof FieldValuesPageSchema>;

/** GET /db/{db}/projects: the projects with current isolates. */
export const ProjectListSchema = z.object({
  records: Count,
  projects: z.array(z.object({ project: Uri, description: z.string() })),
});
export type ProjectList = z.infer<typeof ProjectListSchema>;

/** GET /db/{db}/projects/{id}. */
export const ProjectSchema = z.object({ id: Id, description: z.string(), isolates: Uri });
export type Project = z.infer<typeof ProjectSchema>;

/** GET /db/{db}/projects/{id}/isolates. */
export const ProjectIsolatesPageSchema = paged({ isolates: z.array(Uri) });
export type ProjectIsolatesPage = z.infer<typeof ProjectIsolatesPageSchema>;
