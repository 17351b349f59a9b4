import {
  type ParsedRequest,
  SEQUENCING_TECHNOLOGIES,
  ServiceError,
  SubmissionSupportSubjects,
} from '@helixgate/contracts';
import { isDuplicateKeyError } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import { AllelesRepository } from '../alleles/alleles.repository';
import { alleleKey } from '../alleles/alleles.schema';
import { Catalog } from '../common/catalog';
import { Lookup } from '../common/lookup';
import { order, sequenceDigest, today } from '../common/records';
import { definitionsOf } from '../databases/databases.schema';
import { checkFieldValue } from '../fields/field-check';
import { ISOLATE_SYSTEM_FIELDS } from '../isolates/isolates.schema';
import { LociRepository } from '../loci/loci.repository';
import type { Locus } from '../loci/loci.schema';
import { ProfilesRepository } from '../profiles/profiles.repository';
import { type Profile, profileByAllelesKey, profileKey } from '../profiles/profiles.schema';
import { SchemesRepository } from '../schemes/schemes.repository';
import type { Scheme } from '../schemes/schemes.schema';
import { UsersRepository } from '../users/users.repository';
import { accountUserKey, type TypingUser } from '../users/users.schema';

/** How often an id allocation is retried when another writer took the id first. */
const ALLOCATION_ATTEMPTS = 20;
/** Columns an isolate submission may carry besides fields and loci (BIGSdb's _get_isolate_header_positions). */
const ISOLATE_EXTRA_COLUMNS = ['references', 'aliases'];
const GENOME_COLUMNS = ['assembly_filename', 'sequence_method'];

/**
 * What the submissions service asks typing-db, the owner of users, loci, schemes and fields: who the caller is in a
 * database, whether submitted data fits it, and the ids of accepted alleles and profiles (idempotent: the same sequence
 * or allelic profile always gets the id it already has).
 */
@Injectable()
export class SubmissionSupportService {
  constructor(
    private readonly lookup: Lookup,
    private readonly users: UsersRepository,
    private readonly loci: LociRepository,
    private readonly alleles: AllelesRepository,
    private readonly schemes: SchemesRepository,
    private readonly profiles: ProfilesRepository,
    private readonly catalog: Catalog,
  ) {}

  /**
   * The database's type and the caller's user there; an account new to the database is registered as a submitter.
   * The registered row's _id is the account's key in the database, so of first calls made at once exactly one insert
   * succeeds and every other call reads that row. A user a curator linked to the account (the lowest id) comes first.
   */
  async context({ database, account }: ParsedRequest<typeof SubmissionSupportSubjects.context>) {
    const db = await this.lookup.database(database);
    const email = account.email.toLowerCase();
    const key = accountUserKey(database, email);
    let user: TypingUser | null = null;
    for (let attempt = 0; !user && attempt < ALLOCATION_ATTEMPTS; attempt += 1) {
      user = await this.users.findByAccount(database, email);
      if (user) break;
      const last = await this.users.lastId(database);
      const candidate: TypingUser = {
        _id: key,
        database,
        id: Math.max(1, (last ?? 0) + 1),
        firstName: account.firstName,
        surname: account.surname,
        affiliation: account.affiliation,
        email,
        status: 'submitter',
        account: email,
      };
      try {
        await this.users.create(candidate);
        user = candidate;
      } catch (error) {
        // The account was registered meanwhile (the key) or its id taken by another user: look again.
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    if (!user) throw ServiceError.unavailable('Could not register the user in this database; try again.');
    const profileSchemes = db.type === 'seqdef' ? await this.schemes.anyWithPrimaryKey(database) : false;
    return {
      type: db.type,
      userId: user.id,
      curator: user.status === 'curator' || user.status === 'admin',
      profileSchemes,
    };
  }

  private async locus(database: string, name: string): Promise<Locus> {
    await this.lookup.seqdef(database);
    const locus = await this.loci.find(database, name);
    if (!locus) throw ServiceError.badRequest(`Invalid value for locus: ${name}`);
    return locus;
  }

  async checkAlleles({
    database,
    locus: name,
    sequences,
  }: ParsedRequest<typeof SubmissionSupportSubjects.checkAlleles>) {
    const locus = await this.locus(database, name);
    const digests = [...new Set(sequences.map((s) => s.digest))];
    const found = await this.alleles.byDigests(database, locus.id, digests);
    const byDigest = new Map(found.map((a) => [a.digest, a.alleleId]));
    return {
      locus: {
        id: locus.id,
        dataType: locus.dataType,
        lengthVaries: locus.lengthVaries,
        length: locus.lengthVaries ? undefined : locus.minLength,
      },
      existing: sequences.map((s) => byDigest.get(s.digest) ?? null),
    };
  }

  private async schemeWithKey(database: string, schemeId: string | number): Promise<Scheme & { primaryKey: string }> {
    await this.lookup.seqdef(database);
    if (!/^\d{1,9}$/.test(String(schemeId))) throw ServiceError.badRequest('Scheme id must be an integer');
    const scheme = await this.schemes.find(database, Number(schemeId));
    const primaryKey = scheme?.fields.find((f) => f.primaryKey)?.name;
    if (!scheme || !primaryKey)
      throw ServiceError.badRequest('Scheme does not exist (or it does not contain a primary key field).');
    return { ...scheme, primaryKey };
  }

  async scheme({ database, schemeId }: ParsedRequest<typeof SubmissionSupportSubjects.scheme>) {
    const scheme = await this.schemeWithKey(database, schemeId);
    return { id: scheme.id, loci: scheme.loci, primaryKey: scheme.primaryKey };
  }

  async checkProfiles({ database, schemeId, profiles }: ParsedRequest<typeof SubmissionSupportSubjects.checkProfiles>) {
    const scheme = await this.schemeWithKey(database, schemeId);
    const wanted = new Map<string, [string, string]>();
    for (const profile of profiles) {
      if (profile.length !== scheme.loci.length)
        throw ServiceError.badRequest(`A profile of scheme ${scheme.id} has ${scheme.loci.length} allele ids.`);
      profile.forEach((alleleId, i) =>
        wanted.set(alleleKey(database, scheme.loci[i], alleleId), [scheme.loci[i], alleleId]),
      );
    }
    const defined = await this.alleles.existingKeys([...wanted.keys()]);
    const keys = profiles.map((alleles) => profileByAllelesKey(database, scheme.id, alleles));
    const existing = await this.profiles.idsByAlleles(keys);
    return {
      undefinedAlleles: [...wanted].filter(([key]) => !defined.has(key)).map(([, pair]) => pair),
      existing: keys.map((key) => existing.get(key) ?? null),
    };
  }

  /** BIGSdb's check_new_isolates: header first (unrecognised, missing, duplicate columns), then each row's values. */
  async checkIsolates({
    database,
    genomes,
    header,
    rows,
    firstRow,
  }: ParsedRequest<typeof SubmissionSupportSubjects.checkIsolates>) {
    const db = await this.lookup.isolatesDatabase(database);
    const systemFields = new Set(Object.keys(ISOLATE_SYSTEM_FIELDS));
    const fields = (db.fields ?? []).filter((f) => !systemFields.has(f.name));
    const byName = new Map(fields.map((f) => [f.name, f]));
    const loci = new Map((await this.loci.idFormats(definitionsOf(db))).map((l) => [l.id, l]));
    const extra = new Set([...ISOLATE_EXTRA_COLUMNS, ...(genomes ? GENOME_COLUMNS : [])]);
    const required = [...fields.filter((f) => f.required).map((f) => f.name), ...(genomes ? GENOME_COLUMNS : [])];
    const headerErrors: string[] = [];
    const seen = new Set<string>();
    const duplicates = new Set<string>();
    for (const column of header) (seen.has(column) ? duplicates : seen).add(column);
    const unrecognized = header.filter((c) => !byName.has(c) && !loci.has(c) && !extra.has(c));
    const missing = required.filter((name) => !seen.has(name));
    if (unrecognized.length)
      headerErrors.push(`The header contains an unrecognized column for: ${[...new Set(unrecognized)].join(', ')}.`);
    if (missing.length) headerErrors.push(`The header is missing a column for: ${missing.join(', ')}.`);
    if (duplicates.size) headerErrors.push(`The header has duplicate columns for: ${[...duplicates].join(', ')}.`);
    if (headerErrors.length) return { headerErrors, rowErrors: [] };

    const rowErrors: string[] = [];
    rows.forEach((cells, i) => {
      const value = (column: string) => (cells[header.indexOf(column)] ?? '').trim();
      const rowId = value('isolate') || `Row ${firstRow + i}`;
      const absent = required.filter((name) => value(name) === '');
      const problems: string[] = [];
      header.forEach((column, c) => {
        const cell = (cells[c] ?? '').trim();
        if (!cell || absent.includes(column)) return;
        const field = byName.get(column);
        const locus = loci.get(column);
        if (field) {
          const checked = checkFieldValue(field, cell);
          if ('error' in checked) problems.push(checked.error);
        } else if (locus) {
          if (locus.alleleIdFormat === 'integer' && !/^\d+$/.test(cell))
            problems.push(`locus ${column}: must be an integer`);
        } else if (column === 'references') {
          if (!cell.split(';').every((pmid) => /^\d{1,9}$/.test(pmid.trim())))
            problems.push('references: should be a semi-colon separated list of PubMed ids (integers)');
        } else if (column === 'aliases') {
          if (cell.split(';').some((alias) => alias.trim() === value('isolate')))
            problems.push('aliases: should be ALTERNATIVE names for the isolate');
        } else if (column === 'sequence_method' && !(SEQUENCING_TECHNOLOGIES as readonly string[]).includes(cell)) {
          problems.push(`sequence_method: '${cell}' is not one of ${SEQUENCING_TECHNOLOGIES.join(', ')}`);
        }
      });
      if (absent.length) rowErrors.push(`${rowId} is missing required fields: ${absent.join(', ')}`);
      if (problems.length) rowErrors.push(`${rowId} has problems - ${problems.join('; ')}`);
    });
    return { headerErrors, rowErrors };
  }

  async assignAllele({
    database,
    locus: name,
    sequence,
    status,
  }: ParsedRequest<typeof SubmissionSupportSubjects.assignAllele>) {
    const locus = await this.locus(database, name);
    const upper = sequence.toUpperCase();
    const digest = sequenceDigest(upper);
    for (let attempt = 0; attempt < ALLOCATION_ATTEMPTS; attempt += 1) {
      const existing = await this.alleles.idOfDigest(database, locus.id, digest);
      if (existing !== undefined) return { alleleId: existing, created: false };
      const alleleId = await this.alleles.nextId(database, locus.id);
      const date = today();
      try {
        await this.alleles.create({
          _id: alleleKey(database, locus.id, alleleId),
          database,
          locus: locus.id,
          alleleId,
          order: order(alleleId),
          sequence: upper,
          digest,
          status,
          dateEntered: date,
          datestamp: date,
        });
      } catch (error) {
        if (isDuplicateKeyError(error)) continue; // the id or the sequence was taken meanwhile: look again
        throw error;
      }
      const minLength = Math.min(locus.minLength ?? upper.length, upper.length);
      const maxLength = Math.max(locus.maxLength ?? upper.length, upper.length);
      // A new version makes every reader (pages, the sequence-query engine) reload the locus.
      await this.loci.alleleAdded(database, locus.id, minLength, maxLength);
      await this.catalog.changed();
      return { alleleId, created: true };
    }
    throw ServiceError.unavailable('Could not allocate an allele id; try again.');
  }

  async assignProfile({ database, schemeId, alleles }: ParsedRequest<typeof SubmissionSupportSubjects.assignProfile>) {
    const scheme = await this.schemeWithKey(database, schemeId);
    if (alleles.length !== scheme.loci.length)
      throw ServiceError.badRequest(`A profile of scheme ${scheme.id} has ${scheme.loci.length} allele ids.`);
    const key = profileByAllelesKey(database, scheme.id, alleles);
    for (let attempt = 0; attempt < ALLOCATION_ATTEMPTS; attempt += 1) {
      const existing = await this.profiles.findByAlleles(key);
      if (existing) return { profileId: existing.profileId, created: false };
      const profileId = await this.profiles.nextId(database, scheme.id);
      const date = today();
      const row: Profile = {
        _id: profileKey(database, scheme.id, profileId),
        database,
        schemeId: scheme.id,
        profileId,
        order: order(profileId),
        alleles,
        fields: { [scheme.primaryKey]: Number(profileId) },
        dateEntered: date,
        datestamp: date,
      };
      try {
        await this.profiles.create(row);
      } catch (error) {
        if (isDuplicateKeyError(error)) continue;
        throw error;
      }
      try {
        await this.profiles.fileByAlleles(key, profileId);
      } catch (error) {
        // The same profile was assigned by another request meanwhile: keep theirs.
        await this.profiles.delete(row._id);
        if (isDuplicateKeyError(error)) continue;
        throw error;
      }
      await this.schemes.profilesAdded(database, scheme.id);
      await this.catalog.changed();
      return { profileId, created: true };
    }
    throw ServiceError.unavailable('Could not allocate a profile id; try again.');
  }
}
