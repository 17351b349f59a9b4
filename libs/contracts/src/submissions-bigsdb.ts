import { z } from 'zod';
import { defineSubject } from './subject';
import { ObjectRefSchema } from './transfer';
import { RawJsonBodySchema } from './transfer';
import { DatabaseNameSchema, PageHeadersSchema, PageRequestSchema } from './typing-db';

/**
 * BIGSdb curator submissions (`/db/{database}/submissions…`): the submissions service owns them; typing-db
 * answers what it owns (users and curators of a database, loci, schemes, fields) and assigns the ids of accepted
 * alleles and profiles.
 */

/** The four kinds of submission BIGSdb takes; alleles and profiles on seqdef databases, the others on isolates databases. */
export const SUBMISSION_TYPES = ['alleles', 'profiles', 'isolates', 'genomes'] as const;
export type SubmissionType = (typeof SUBMISSION_TYPES)[number];

/** Sequencing technologies, as the REST documentation lists them (allele `technology`, genome `sequence_method`). */
export const SEQUENCING_TECHNOLOGIES = [
  '454',
  'Illumina',
  'Ion Torrent',
  'PacBio',
  'Oxford Nanopore',
  'Sanger',
  'Solexa',
  'SOLiD',
  'other',
] as const;
export const READ_LENGTHS = ['<100', '100-199', '200-299', '300-499', '>500'] as const;
export const COVERAGES = ['<20x', '20-49x', '50-99x', '>100x'] as const;
export const ASSEMBLY_METHODS = ['de novo', 'mapped'] as const;

/** Largest POST body on submission routes: BIGSdb's max_upload_size default. */
export const SUBMISSION_MAX_BODY_BYTES = 32 * 1024 ** 2;
/** Longest message (correspondence) a submission takes. */
export const SUBMISSION_MAX_MESSAGE_CHARS = 10_000;

const DatabaseName = DatabaseNameSchema;

/** Who is calling, as the gateway's OAuth check vouched for it. */
export const SubmissionCallerSchema = z.object({
  accountId: z.string().regex(/^[a-f0-9]{24}$/),
  email: z.string().max(254),
  firstName: z.string().max(200),
  surname: z.string().max(200),
  affiliation: z.string().max(300),
  clientName: z.string().max(200),
});
export type SubmissionCaller = z.infer<typeof SubmissionCallerSchema>;

const Call = z.object({ baseUri: z.string().url().max(500), database: DatabaseName, caller: SubmissionCallerSchema });
/** BIGSdb ids look like BIGSdb_20151013081836_14559_14740; anything else simply does not exist. */
const OfSubmission = Call.extend({ submissionId: z.string().max(200) });
const Message = z.object({ message: z.string() });

// Replies in BIGSdb's shapes. Keys are listed in the order BIGSdb (and the service) writes them: a parsed reply
// keeps the schema's order.

/** BIGSdb's paging links, each present only when it applies (`get_paging`). */
const PagingLinksSchema = z.object({
  first: z.string().optional(),
  previous: z.string().optional(),
  next: z.string().optional(),
  last: z.string().optional(),
  return_all: z.string().optional(),
});

/** `GET /submissions`: the caller's submissions as links. */
export const SubmissionListSchema = z.object({
  records: z.number().int(),
  submissions: z.array(z.string()),
  paging: PagingLinksSchema.optional(),
});

/** `POST /submissions` (201); genome submissions also name the assembly files still to upload, comma-joined. */
export const SubmissionCreatedSchema = z.object({
  submission: z.string(),
  missing_files: z.string().optional(),
  message: z.string().optional(),
});

/** An item's status as shown: one being accepted (its id not yet recorded) is still pending. */
const ItemStatus = z.enum(['pending', 'assigned', 'rejected']);

const CorrespondenceSchema = z.object({ timestamp: z.string(), message: z.string(), user: z.string() });

/** `GET /submissions/{id}`: the record, then what was submitted (by type), missing files and correspondence. */
export const SubmissionRecordSchema = z.object({
  id: z.string(),
  type: z.enum(SUBMISSION_TYPES),
  date_submitted: z.string(),
  datestamp: z.string(),
  status: z.enum(['pending', 'closed']),
  outcome: z.enum(['good', 'bad', 'mixed']).optional(),
  submitter: z.string(),
  curator: z.string().optional(),
  // alleles
  locus: z.string().optional(),
  technology: z.string().optional(),
  read_length: z.string().optional(),
  coverage: z.string().optional(),
  assembly: z.string().optional(),
  software: z.string().optional(),
  seqs: z
    .array(
      z.object({ seq_id: z.string(), sequence: z.string(), status: ItemStatus, assigned_id: z.string().optional() }),
    )
    .optional(),
  // profiles
  scheme: z.string().optional(),
  profiles: z
    .array(
      z.object({
        profile_id: z.string(),
        status: ItemStatus,
        assigned_id: z.string().optional(),
        /** Allele id by locus: the loci are the scheme's, chosen by the database. */
        designations: z.record(z.string(), z.string().optional()),
      }),
    )
    .optional(),
  /** Isolates and genomes: each row's non-empty values by column; the columns are the submitter's header. */
  isolates: z.array(z.record(z.string(), z.string())).optional(),
  // genomes
  missing_files: z.array(z.string()).optional(),
  message: z.string().optional(),
  correspondence: z.array(CorrespondenceSchema).optional(),
});

/** `GET /submissions/{id}/messages`: timestamps cut to the second. */
export const SubmissionMessageViewSchema = z.object({ user: z.string(), message: z.string(), timestamp: z.string() });

/** The submission's state after a curator's decision. */
const CuratedSubmission = z.object({
  id: z.string(),
  status: z.enum(['pending', 'closed']).optional(),
  outcome: z.enum(['good', 'bad', 'mixed']).optional(),
});
const Decision = { status: ItemStatus, assigned_id: z.string().optional(), submission: CuratedSubmission };
/** A curator's decision on a sequence (`seq_id`) or a profile (`profile_id`). */
export const CurationDecisionSchema = z.union([
  z.object({ seq_id: z.string(), ...Decision }),
  z.object({ profile_id: z.string(), ...Decision }),
]);

export const SubmissionsSubjects = {
  list: defineSubject(
    'submissions.bigsdb-submissions.list.v1',
    Call.extend({ page: PageRequestSchema }),
    z.object({ body: SubmissionListSchema, headers: PageHeadersSchema }),
  ),
  /** The client's JSON body (OAuth parameters removed), inline or parked in the object store when large. */
  create: defineSubject(
    'submissions.bigsdb-submissions.create.v1',
    Call.extend({ body: RawJsonBodySchema }),
    SubmissionCreatedSchema,
  ),
  get: defineSubject('submissions.bigsdb-submissions.get.v1', OfSubmission, SubmissionRecordSchema),
  delete: defineSubject('submissions.bigsdb-submissions.delete.v1', OfSubmission, Message),
  listMessages: defineSubject(
    'submissions.bigsdb-messages.list.v1',
    OfSubmission,
    z.array(SubmissionMessageViewSchema),
  ),
  addMessage: defineSubject(
    'submissions.bigsdb-messages.add.v1',
    OfSubmission.extend({ message: z.unknown() }),
    Message,
  ),
  listFiles: defineSubject('submissions.bigsdb-files.list.v1', OfSubmission, z.array(z.string())),
  /** The file's bytes (decoded from the client's base64) parked in the transfer bucket by the gateway. */
  uploadFile: defineSubject(
    'submissions.bigsdb-files.upload.v1',
    OfSubmission.extend({ filename: z.string().max(4096).optional(), upload: ObjectRefSchema.optional() }),
    Message,
  ),
  /** The file, copied into the transfer bucket for the gateway to stream. */
  downloadFile: defineSubject(
    'submissions.bigsdb-files.download.v1',
    OfSubmission.extend({ filename: z.string().max(4096) }),
    ObjectRefSchema,
  ),
  deleteFile: defineSubject(
    'submissions.bigsdb-files.delete.v1',
    OfSubmission.extend({ filename: z.string().max(4096) }),
    Message,
  ),
  /** Beyond BIGSdb: a curator accepts or rejects one sequence (`seqs`) or profile (`profiles`) of a submission. */
  curate: defineSubject(
    'submissions.bigsdb-curation.decide.v1',
    OfSubmission.extend({
      items: z.enum(['seqs', 'profiles']),
      itemId: z.string().max(1000),
      action: z.string().max(50),
    }),
    CurationDecisionSchema,
  ),
};
