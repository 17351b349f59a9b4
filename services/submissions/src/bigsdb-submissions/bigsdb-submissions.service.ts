import {
  INLINE_PAYLOAD_LIMIT_BYTES,
  BIGSDB_MALFORMED_REQUEST,
  type PageRequest,
  parseJsonObject,
  renameInvalidJson,
  type RawJsonBody,
  type ReplyOf,
  ServiceError,
  SUBMISSION_MAX_BODY_BYTES,
  SUBMISSION_MAX_MESSAGE_CHARS,
  type SubmissionsSubjects,
  type SubmissionContext,
  SubmissionSupportSubjects,
  type SubmissionType,
} from '@helixgate/contracts';
import { InjectConfig, isDuplicateKeyError, TransferStore } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { SubmissionsConfig } from '../config';
import { BigsdbFilesService } from './bigsdb-files.service';
import { BigsdbSubmissionsRepository } from './bigsdb-submissions.repository';
import { type Submission, type SubmissionItem, wireStatus } from './bigsdb-submissions.schema';
import {
  alleleMetadata,
  fileNameProblem,
  parseProfiles,
  parseSequences,
  pgTimestamp,
  requireFields,
  sequenceDigest,
  submissionId,
  tabular,
  text,
  today,
} from './parsing';
import { type Call, type OfSubmission, SubmissionAccess } from './submission-access';
import { TypingDbRpc } from './typing-db.rpc';

/** BIGSdb's words for the quota (REST/Routes/Submissions.pm _check_if_over_limit). */
export const QUOTA_MESSAGE =
  'You have made too many separate submissions today - please try again tomorrow. A quota is in place to prevent misbehaving scripts flooding the submission system.';
const MISSING_FILES_MESSAGE = 'Please upload missing contig files to complete submission.';
const MAX_ISOLATE_COLUMNS = 5000;
/**
 * Largest isolate header and isolate row, as JSON: the header rides in every request that checks rows, so a header
 * and one row always fit a NATS message together (INLINE_PAYLOAD_LIMIT_BYTES, far under NATS's 1 MB).
 */
export const MAX_ISOLATE_HEADER_BYTES = 64 * 1024;
export const MAX_ISOLATE_ROW_BYTES = 64 * 1024;
/** Room in a request to typing-db for each chunk of sequences, profiles or rows it checks, besides what it repeats. */
const CHECK_CHUNK_BYTES = Math.floor(INLINE_PAYLOAD_LIMIT_BYTES / 2);

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
/** The object without its undefined values (an allele submission's unset read length or coverage). */
const withoutUndefined = <T extends object>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/**
 * Splits items into runs whose JSON, with `fixedBytes` of the request repeated in each (an isolate header), stays
 * under a request's room. An item larger than the room alone is a run of its own: callers bound their items' size.
 */
function chunksOf<T>(items: T[], limitBytes = CHECK_CHUNK_BYTES, fixedBytes = 0): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = fixedBytes;
  for (const item of items) {
    const size = jsonBytes(item) + 1;
    if (current.length && bytes + size > limitBytes) {
      chunks.push(current);
      current = [];
      bytes = fixedBytes;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/** BIGSdb's page and page_size parameters (return_all disables paging), and its paging links. */
function paging(page: PageRequest, total: number, uri: string) {
  const query = new Map(page.query);
  const positive = (value: string | undefined) =>
    value && /^\d{1,9}$/.test(value) && Number(value) > 0 ? Number(value) : undefined;
  const pageSize = positive(query.get('page_size')) ?? 100;
  const current = positive(query.get('page')) ?? 1;
  const returnAll = ![undefined, '', '0'].includes(query.get('return_all'));
  const pages = Math.ceil(total / pageSize);
  const links: Record<string, string> = {};
  if (!returnAll && pages > 1) {
    const filters = [...query]
      .filter(([key]) => key === 'type' || key === 'status')
      .sort(([a], [b]) => (a < b ? -1 : 1));
    const rest = filters.map(([key, value]) => `&${key}=${encodeURIComponent(value)}`).join('');
    const link = (n: number) => `${uri}?page=${n}&page_size=${pageSize}${rest}`;
    if (current > 1) Object.assign(links, { first: link(1), previous: link(Math.min(current - 1, pages)) });
    if (current < pages) links.next = link(current + 1);
    if (current !== pages) links.last = link(pages);
    if (Object.keys(links).length) links.return_all = `${uri}?return_all=1${rest}`;
  }
  return {
    skip: returnAll ? 0 : (current - 1) * pageSize,
    limit: returnAll ? undefined : pageSize,
    links,
    headers: { perPage: pageSize, offset: (current - 1) * pageSize, totalPages: pages },
  };
}

/**
 * BIGSdb curator submissions: created, listed and deleted by their submitter, read by the submitter and the
 * database's curators (SubmissionAccess). Their messages, files and curation have services of their own.
 */
@Injectable()
export class BigsdbSubmissionsService {
  constructor(
    private readonly repository: BigsdbSubmissionsRepository,
    private readonly access: SubmissionAccess,
    private readonly files: BigsdbFilesService,
    private readonly rpc: TypingDbRpc,
    private readonly transfers: TransferStore,
    @InjectConfig() private readonly config: SubmissionsConfig,
  ) {}

  async list(call: Call & { page: PageRequest }): Promise<ReplyOf<typeof SubmissionsSubjects.list>> {
    await this.access.context(call);
    const query = new Map(call.page.query);
    const type = query.get('type');
    const status = query.get('status');
    const filter: Partial<Pick<Submission, 'database' | 'account' | 'type' | 'status'>> = {
      database: call.database,
      account: call.caller.accountId,
    };
    if (type) filter.type = await this.checkType(call, type);
    if (status) {
      if (status !== 'pending' && status !== 'closed')
        throw ServiceError.badRequest('Invalid status value - use either "pending" or "closed".');
      filter.status = status;
    }
    const total = await this.repository.countSubmissions(filter);
    const page = paging(call.page, total, `${call.baseUri}/db/${call.database}/submissions`);
    const ids = await this.repository.submissionIds(filter, page.skip, page.limit);
    const body: ReplyOf<typeof SubmissionsSubjects.list>['body'] = {
      records: total,
      submissions: ids.map((id) => this.access.links(call).submission(id)),
    };
    if (Object.keys(page.links).length) body.paging = page.links;
    return { body, headers: page.headers };
  }

  /** _check_db_type: which submissions this kind of database takes. */
  private async checkType(call: Call, type: string | undefined, context?: SubmissionContext): Promise<SubmissionType> {
    if (!type) throw ServiceError.badRequest('Submission type not selected');
    const ctx = context ?? (await this.access.context(call));
    const allowed = ctx.type === 'seqdef' ? ['alleles', 'profiles'] : ['isolates', 'genomes'];
    if (!allowed.includes(type))
      throw ServiceError.notFound(`Submissions of type "${type}" are not supported by this database`);
    if (type === 'profiles' && !ctx.profileSchemes)
      throw ServiceError.notFound('Profile submissions are not enabled on this database');
    return type as SubmissionType;
  }

  private async readBody(body: RawJsonBody): Promise<Record<string, unknown>> {
    let raw: string;
    if ('ref' in body) {
      try {
        raw = (await this.transfers.read(body.ref, SUBMISSION_MAX_BODY_BYTES)).toString('utf8');
      } finally {
        await this.transfers.remove(body.ref);
      }
    } else raw = body.text;
    try {
      return parseJsonObject(raw); // nesting, NULs and prototype keys refused here too, not only at the gateway
    } catch (error) {
      return renameInvalidJson(BIGSDB_MALFORMED_REQUEST)(error);
    }
  }

  /** The caller's pending submissions made today to this database (BIGSdb's quota is per database). */
  private pendingToday({ database, caller }: Call): Promise<number> {
    return this.repository.countSubmissions({
      database,
      account: caller.accountId,
      status: 'pending',
      dateSubmitted: today(),
    });
  }

  async create(call: Call & { body: RawJsonBody }) {
    const body = await this.readBody(call.body);
    const context = await this.access.context(call);
    const type = await this.checkType(call, text(body, 'type'), context);
    if ((await this.pendingToday(call)) >= this.config.BIGSDB_SUBMISSIONS_DAILY_LIMIT)
      throw new ServiceError(429, 'too_many_requests', QUOTA_MESSAGE);
    const message = text(body, 'message');
    if (message !== undefined && message.length > SUBMISSION_MAX_MESSAGE_CHARS)
      throw ServiceError.badRequest(`Message is too long (at most ${SUBMISSION_MAX_MESSAGE_CHARS} characters).`);
    const prepared =
      type === 'alleles'
        ? await this.prepareAlleles(call.database, body)
        : type === 'profiles'
          ? await this.prepareProfiles(call.database, body)
          : await this.prepareIsolates(call.database, body, type === 'genomes');

    const date = today();
    let id = '';
    for (let attempt = 0; !id; attempt += 1) {
      const candidate = submissionId(new Date(), process.pid, Math.random());
      const submission: Submission = {
        _id: candidate,
        database: call.database,
        type,
        account: call.caller.accountId,
        submitter: context.userId,
        status: 'pending',
        dateSubmitted: date,
        datestamp: date,
        email: text(body, 'email') === '1',
        ...prepared.fields,
      };
      try {
        await this.repository.insertSubmission(submission);
        id = candidate;
      } catch (error) {
        if (!isDuplicateKeyError(error) || attempt > 10) throw error;
      }
    }
    try {
      // Counted again once inserted, so that submissions made at the same moment cannot pass the quota together.
      if ((await this.pendingToday(call)) > this.config.BIGSDB_SUBMISSIONS_DAILY_LIMIT)
        throw new ServiceError(429, 'too_many_requests', QUOTA_MESSAGE);
      for (const chunk of chunksOf(prepared.items, 4 * 1024 ** 2)) {
        await this.repository.insertItems(
          chunk.map((item) => ({ ...item, _id: `${id}|${item.index}`, submissionId: id })),
        );
      }
      const first = `Submission via REST interface (client: ${call.caller.clientName}).${message ? `\n${message}` : ''}`;
      await this.repository.insertMessage({ submissionId: id, at: new Date(), userId: context.userId, message: first });
    } catch (error) {
      await this.erase(id);
      throw error;
    }
    const reply: ReplyOf<typeof SubmissionsSubjects.create> = { submission: this.access.links(call).submission(id) };
    if (type === 'genomes')
      Object.assign(reply, { missing_files: (await this.missingFiles(id)).join(', '), message: MISSING_FILES_MESSAGE });
    return reply;
  }

  private async prepareAlleles(database: string, body: Record<string, unknown>) {
    const meta = alleleMetadata(body);
    const { locus } = await this.rpc.request(SubmissionSupportSubjects.checkAlleles, {
      database,
      locus: meta.locus,
      sequences: [],
    });
    const { sequences, errors } = parseSequences(text(body, 'sequences')!, locus.dataType);
    const units = locus.dataType === 'DNA' ? 'bp' : 'residues';
    const existing: Array<string | null> = [];
    for (const chunk of chunksOf(
      sequences.map((s) => ({ length: s.sequence.length, digest: sequenceDigest(s.sequence) })),
    )) {
      existing.push(
        ...(
          await this.rpc.request(SubmissionSupportSubjects.checkAlleles, {
            database,
            locus: locus.id,
            sequences: chunk,
          })
        ).existing,
      );
    }
    sequences.forEach((s, i) => {
      if (!locus.lengthVaries && locus.length !== undefined && s.sequence.length !== locus.length) {
        errors.push(
          `Sequence "${s.seqId}" has a length of ${s.sequence.length} ${units} while this locus has a non-variable length of ${locus.length} ${units}.`,
        );
      }
      if (existing[i]) errors.push(`Sequence "${s.seqId}" has already been defined as ${locus.id}-${existing[i]}.`);
    });
    if (errors.length) throw ServiceError.badRequest(errors.join(' '));
    const items = sequences.map((s, i): Omit<SubmissionItem, '_id' | 'submissionId'> => ({
      index: i + 1,
      key: s.seqId,
      sequence: s.sequence,
      status: 'pending',
    }));
    return { fields: { alleles: { ...meta, locus: locus.id } }, items };
  }

  private async prepareProfiles(database: string, body: Record<string, unknown>) {
    requireFields(body, ['scheme_id', 'profiles']);
    const scheme = await this.rpc.request(SubmissionSupportSubjects.scheme, {
      database,
      schemeId: text(body, 'scheme_id')!.slice(0, 50),
    });
    const { profiles, errors } = parseProfiles(text(body, 'profiles')!, scheme.loci);
    if (!profiles.length) throw ServiceError.badRequest(errors.join(' '));
    const undefinedAlleles = new Set<string>();
    const existing: Array<string | null> = [];
    for (const chunk of chunksOf(profiles.map((p) => p.alleles))) {
      const checked = await this.rpc.request(SubmissionSupportSubjects.checkProfiles, {
        database,
        schemeId: scheme.id,
        profiles: chunk,
      });
      checked.undefinedAlleles.forEach(([locus, allele]) => undefinedAlleles.add(`${locus}:${allele}`));
      existing.push(...checked.existing);
    }
    profiles.forEach((profile, i) => {
      profile.alleles.forEach((allele, l) => {
        if (allele !== '' && allele !== 'N' && undefinedAlleles.has(`${scheme.loci[l]}:${allele}`))
          errors.push(`${profile.profileId}: ${scheme.loci[l]}:${allele} has not been defined.`);
      });
      if (existing[i])
        errors.push(`${profile.profileId}: Profile has already been defined as ${scheme.primaryKey}-${existing[i]}.`);
    });
    if (errors.length) throw ServiceError.badRequest(errors.join(' '));
    const items = profiles.map((p, i): Omit<SubmissionItem, '_id' | 'submissionId'> => ({
      index: i + 1,
      key: p.profileId,
      alleles: p.alleles,
      status: 'pending',
    }));
    return { fields: { profiles: { schemeId: scheme.id, loci: scheme.loci } }, items };
  }

  private async prepareIsolates(database: string, body: Record<string, unknown>, genomes: boolean) {
    requireFields(body, ['isolates']);
    const { header: rawHeader, rows } = tabular(text(body, 'isolates')!, { noun: 'isolates' });
    const header = rawHeader.map((cell) => cell.trim());
    const headerBytes = jsonBytes(header);
    if (
      header.length > MAX_ISOLATE_COLUMNS ||
      header.some((cell) => cell.length > 1000) ||
      headerBytes > MAX_ISOLATE_HEADER_BYTES
    ) {
      throw ServiceError.badRequest(
        `The header has too many or too long columns (at most ${MAX_ISOLATE_COLUMNS} columns, ${MAX_ISOLATE_HEADER_BYTES} bytes in all).`,
      );
    }
    const tooLong = rows.findIndex((cells) => jsonBytes(cells) > MAX_ISOLATE_ROW_BYTES);
    if (tooLong >= 0)
      throw ServiceError.badRequest(
        `Row ${tooLong + 1} has problems - the row is longer than ${MAX_ISOLATE_ROW_BYTES} bytes`,
      );
    const errors: string[] = [];
    let firstRow = 1;
    for (const chunk of chunksOf(rows.length ? rows : [[]], CHECK_CHUNK_BYTES, headerBytes)) {
      const checked = await this.rpc.request(SubmissionSupportSubjects.checkIsolates, {
        database,
        genomes,
        header,
        rows: rows.length ? chunk : [],
        firstRow,
      });
      if (firstRow === 1) errors.push(...checked.headerErrors);
      if (checked.headerErrors.length) break;
      errors.push(...checked.rowErrors);
      firstRow += chunk.length;
    }
    if (!errors.length && !rows.length) errors.push('No isolates in upload.');
    const column = (name: string) => header.indexOf(name);
    if (genomes && !errors.length) {
      rows.forEach((cells, i) => {
        const filename = (cells[column('assembly_filename')] ?? '').trim();
        const problem = fileNameProblem(filename);
        if (problem)
          errors.push(
            `${(cells[column('isolate')] ?? '').trim() || `Row ${i + 1}`} has problems - assembly_filename: ${problem}`,
          );
      });
    }
    if (errors.length) throw ServiceError.badRequest(errors.join(' '));
    const items = rows.map((cells, i): Omit<SubmissionItem, '_id' | 'submissionId'> => {
      const values = Object.fromEntries(
        header.map((name, c): [string, string] => [name, (cells[c] ?? '').trim()]).filter(([, value]) => value !== ''),
      );
      return { index: i + 1, key: String(i + 1), values, status: 'pending' };
    });
    return { fields: { isolates: { fields: header } }, items };
  }

  /** Genome submissions: the assembly files named in the isolates that are not uploaded yet. */
  private async missingFiles(submissionId: string): Promise<string[]> {
    const items = await this.repository.listItemValues(submissionId);
    const uploaded = new Set(await this.files.names(submissionId));
    return items
      .map((item) => item.values?.assembly_filename)
      .filter((name): name is string => !!name && !uploaded.has(name));
  }

  async get(call: OfSubmission): Promise<ReplyOf<typeof SubmissionsSubjects.get>> {
    const { submission } = await this.access.visible(call);
    const links = this.access.links(call);
    const record: ReplyOf<typeof SubmissionsSubjects.get> = {
      id: submission._id,
      type: submission.type,
      date_submitted: submission.dateSubmitted,
      datestamp: submission.datestamp,
      status: submission.status,
      ...(submission.outcome ? { outcome: submission.outcome } : {}),
      submitter: links.user(submission.submitter),
      ...(submission.curator !== undefined ? { curator: links.user(submission.curator) } : {}),
    };
    const items = await this.repository.listItems(submission._id);
    const assigned = (item: SubmissionItem) => (item.assignedId ? { assigned_id: item.assignedId } : {});
    if (submission.alleles) {
      const a = submission.alleles;
      Object.assign(record, {
        locus: a.locus,
        technology: a.technology,
        read_length: a.readLength,
        coverage: a.coverage,
        assembly: a.assembly,
        software: a.software,
      });
      record.seqs = items.map((item) => ({
        seq_id: item.key,
        sequence: item.sequence!,
        status: wireStatus(item.status),
        ...assigned(item),
      }));
    }
    if (submission.profiles) {
      const loci = submission.profiles.loci;
      record.scheme = links.scheme(submission.profiles.schemeId);
      record.profiles = items.map((item) => ({
        profile_id: item.key,
        status: wireStatus(item.status),
        ...assigned(item),
        designations: Object.fromEntries(loci.map((locus, i) => [locus, item.alleles?.[i]])),
      }));
    }
    if (submission.isolates && items.length) record.isolates = items.map((item) => item.values ?? {});
    if (submission.type === 'genomes') {
      const missing = await this.missingFiles(submission._id);
      if (missing.length) Object.assign(record, { missing_files: missing, message: MISSING_FILES_MESSAGE });
    }
    const messages = await this.repository.listMessages(submission._id);
    if (messages.length)
      record.correspondence = messages.map((m) => ({
        timestamp: pgTimestamp(m.at, false),
        message: m.message,
        user: links.user(m.userId),
      }));
    return withoutUndefined(record);
  }

  async delete(call: OfSubmission) {
    const { submission } = await this.access.visible(call, { ownerOnly: true });
    if (submission.status === 'pending')
      throw new ServiceError(403, 'forbidden', 'You cannot delete a pending submission.');
    await this.erase(submission._id);
    return { message: 'Submission deleted.' };
  }

  /** Everything of a submission; the record last, so that a failure part-way leaves it to delete again. */
  private async erase(submissionId: string): Promise<void> {
    await this.files.deleteAll(submissionId);
    await this.repository.erase(submissionId);
  }
}
