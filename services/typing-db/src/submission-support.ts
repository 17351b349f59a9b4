import { SEQUENCING_TECHNOLOGIES, ServiceError, SubmissionSupportSubjects } from '@helixgate/contracts';
import { HandleRequest, isDuplicateKeyError } from '@helixgate/platform';
import { Controller, type DynamicModule, Module } from '@nestjs/common';
import type { Model } from 'mongoose';
import type { z } from 'zod';
import { order, sequenceDigest, today } from './importer';
import { checkFieldValue } from './isolate-importer';
import { Lookup } from './lookup';
import {
  accountUserKey,
  type Allele,
  alleleKey,
  ISOLATE_SYSTEM_FIELDS,
  type Locus,
  type Profile,
  profileByAllelesKey,
  profileKey,
  type Scheme,
  type TypingModels,
  type TypingUser,
} from './models';

type In<K extends keyof typeof SubmissionSupportSubjects> = z.output<(typeof SubmissionSupportSubjects)[K]['request']>;

/** How often an id allocation is retried when another writer took the id first. */
const ALLOCATION_ATTEMPTS = 20;
/** Columns an isolate submission may carry besides fields and loci (BIGSdb's _get_isolate_header_positions). */
const ISOLATE_EXTRA_COLUMNS = ['references', 'aliases'];
const GENOME_COLUMNS = ['assembly_filename', 'sequence_method'];

/** The integer id after the highest one among the rows (alleles of a locus, profiles of a scheme); text ids are left out. */
async function nextId(model: Model<Allele> | Model<Profile>, filter: Record<string, unknown>): Promise<string> {
  const last = await (model as unknown as Model<{ _id: string; order: number }>)
    .findOne({ ...filter, order: { $lt: Number.MAX_SAFE_INTEGER } }, { order: 1 })
    .sort({ order: -1 })
    .lean<{ order: number }>();
  return String((last?.order ?? 0) + 1);
}

/**
 * What the submissions service asks typing-db, the owner of users, loci, schemes and fields: who the caller is in a
 * database, whether submitted data fits it, and the ids of accepted alleles and profiles (idempotent: the same sequence
 * or allelic profile always gets the id it already has).
 */
export class SubmissionSupport {
  private readonly lookup: Lookup;
  constructor(private readonly models: TypingModels) {
    this.lookup = new Lookup(models);
  }

  /**
   * The database's type and the caller's user there; an account new to the database is registered as a submitter.
   * The registered row's _id is the account's key in the database, so of first calls made at once exactly one insert
   * succeeds and every other call reads that row. A user a curator linked to the account (the lowest id) comes first.
   */
  async context({ database, account }: In<'context'>) {
    const db = await this.lookup.database(database);
    const email = account.email.toLowerCase();
    const key = accountUserKey(database, email);
    let user: TypingUser | null = null;
    for (let attempt = 0; !user && attempt < ALLOCATION_ATTEMPTS; attempt += 1) {
      user = await this.models.users.findOne({ database, account: email }).sort({ id: 1 }).lean<TypingUser>();
      if (user) break;
      const last = await this.models.users
        .findOne({ database }, { id: 1 })
        .sort({ id: -1 })
        .lean<Pick<TypingUser, 'id'>>();
      const candidate: TypingUser = {
        _id: key,
        database,
        id: Math.max(1, (last?.id ?? 0) + 1),
        firstName: account.firstName,
        surname: account.surname,
        affiliation: account.affiliation,
        email,
        status: 'submitter',
        account: email,
      };
      try {
        await this.models.users.create(candidate);
        user = candidate;
      } catch (error) {
        // The account was registered meanwhile (the key) or its id taken by another user: look again.
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    if (!user) throw ServiceError.unavailable('Could not register the user in this database; try again.');
    const schemes =
      db.type === 'seqdef' ? await this.models.schemes.find({ database }, { fields: 1 }).lean<Scheme[]>() : [];
    const profileSchemes = schemes.some((scheme) => scheme.fields.some((f) => f.primaryKey));
    return {
      type: db.type,
      userId: user.id,
      curator: user.status === 'curator' || user.status === 'admin',
      profileSchemes,
    };
  }

  private async locus(database: string, name: string): Promise<Locus> {
    await this.lookup.seqdef(database);
    const locus = await this.models.loci.findOne({ database, id: name }).lean<Locus>();
    if (!locus) throw ServiceError.badRequest(`Invalid value for locus: ${name}`);
    return locus;
  }

  async checkAlleles({ database, locus: name, sequences }: In<'checkAlleles'>) {
    const locus = await this.locus(database, name);
    const digests = [...new Set(sequences.map((s) => s.digest))];
    const found = await this.models.alleles
      .find({ database, locus: locus.id, digest: { $in: digests } }, { alleleId: 1, digest: 1 })
      .lean<Allele[]>();
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
    const scheme = await this.models.schemes.findOne({ database, id: Number(schemeId) }).lean<Scheme>();
    const primaryKey = scheme?.fields.find((f) => f.primaryKey)?.name;
    if (!scheme || !primaryKey)
      throw ServiceError.badRequest('Scheme does not exist (or it does not contain a primary key field).');
    return { ...scheme, primaryKey };
  }

  async scheme({ database, schemeId }: In<'scheme'>) {
    const scheme = await this.schemeWithKey(database, schemeId);
    return { id: scheme.id, loci: scheme.loci, primaryKey: scheme.primaryKey };
  }

  async checkProfiles({ database, schemeId, profiles }: In<'checkProfiles'>) {
    const scheme = await this.schemeWithKey(database, schemeId);
    const wanted = new Map<string, [string, string]>();
    for (const profile of profiles) {
      if (profile.length !== scheme.loci.length)
        throw ServiceError.badRequest(`A profile of scheme ${scheme.id} has ${scheme.loci.length} allele ids.`);
      profile.forEach((alleleId, i) =>
        wanted.set(alleleKey(database, scheme.loci[i], alleleId), [scheme.loci[i], alleleId]),
      );
    }
    const defined = new Set(
      (
        await this.models.alleles.find({ _id: { $in: [...wanted.keys()] } }, { _id: 1 }).lean<Array<{ _id: string }>>()
      ).map((a) => a._id),
    );
    const keys = profiles.map((alleles) => profileByAllelesKey(database, scheme.id, alleles));
    const existing = new Map(
      (await this.models.profilesByAlleles.find({ _id: { $in: keys } }).lean()).map((p) => [p._id, p.profileId]),
    );
    return {
      undefinedAlleles: [...wanted].filter(([key]) => !defined.has(key)).map(([, pair]) => pair),
      existing: keys.map((key) => existing.get(key) ?? null),
    };
  }

  /** BIGSdb's check_new_isolates: header first (unrecognised, missing, duplicate columns), then each row's values. */
  async checkIsolates({ database, genomes, header, rows, firstRow }: In<'checkIsolates'>) {
    const db = await this.lookup.isolates(database);
    const systemFields = new Set(Object.keys(ISOLATE_SYSTEM_FIELDS));
    const fields = (db.fields ?? []).filter((f) => !systemFields.has(f.name));
    const byName = new Map(fields.map((f) => [f.name, f]));
    const loci = new Map(
      (
        await this.models.loci.find({ database: Lookup.definitions(db) }, { id: 1, alleleIdFormat: 1 }).lean<Locus[]>()
      ).map((l) => [l.id, l]),
    );
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

  async assignAllele({ database, locus: name, sequence, status }: In<'assignAllele'>) {
    const locus = await this.locus(database, name);
    const upper = sequence.toUpperCase();
    const digest = sequenceDigest(upper);
    const filter = { database, locus: locus.id, digest };
    for (let attempt = 0; attempt < ALLOCATION_ATTEMPTS; attempt += 1) {
      const existing = await this.models.alleles.findOne(filter, { alleleId: 1 }).lean<Pick<Allele, 'alleleId'>>();
      if (existing) return { alleleId: existing.alleleId, created: false };
      const alleleId = await nextId(this.models.alleles, { database, locus: locus.id });
      const date = today();
      try {
        await this.models.alleles.create({
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
      await this.models.loci.updateOne(
        { database, id: locus.id },
        { $set: { minLength, maxLength, lengthVaries: minLength !== maxLength, version: Date.now() } },
      );
      return { alleleId, created: true };
    }
    throw ServiceError.unavailable('Could not allocate an allele id; try again.');
  }

  async assignProfile({ database, schemeId, alleles }: In<'assignProfile'>) {
    const scheme = await this.schemeWithKey(database, schemeId);
    if (alleles.length !== scheme.loci.length)
      throw ServiceError.badRequest(`A profile of scheme ${scheme.id} has ${scheme.loci.length} allele ids.`);
    const key = profileByAllelesKey(database, scheme.id, alleles);
    for (let attempt = 0; attempt < ALLOCATION_ATTEMPTS; attempt += 1) {
      const existing = await this.models.profilesByAlleles.findById(key).lean();
      if (existing) return { profileId: existing.profileId, created: false };
      const profileId = await nextId(this.models.profiles, { database, schemeId: scheme.id });
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
        await this.models.profiles.create(row);
      } catch (error) {
        if (isDuplicateKeyError(error)) continue;
        throw error;
      }
      try {
        await this.models.profilesByAlleles.create({ _id: key, profileId });
      } catch (error) {
        // The same profile was assigned by another request meanwhile: keep theirs.
        await this.models.profiles.deleteOne({ _id: row._id });
        if (isDuplicateKeyError(error)) continue;
        throw error;
      }
      await this.models.schemes.updateOne({ database, id: scheme.id }, { $set: { version: Date.now() } });
      return { profileId, created: true };
    }
    throw ServiceError.unavailable('Could not allocate a profile id; try again.');
  }
}

@Controller()
class SubmissionSupportController {
  constructor(private readonly support: SubmissionSupport) {}

  @HandleRequest(SubmissionSupportSubjects.context)
  context(request: In<'context'>) {
    return this.support.context(request);
  }
  @HandleRequest(SubmissionSupportSubjects.checkAlleles)
  checkAlleles(request: In<'checkAlleles'>) {
    return this.support.checkAlleles(request);
  }
  @HandleRequest(SubmissionSupportSubjects.scheme)
  scheme(request: In<'scheme'>) {
    return this.support.scheme(request);
  }
  @HandleRequest(SubmissionSupportSubjects.checkProfiles)
  checkProfiles(request: In<'checkProfiles'>) {
    return this.support.checkProfiles(request);
  }
  @HandleRequest(SubmissionSupportSubjects.checkIsolates)
  checkIsolates(request: In<'checkIsolates'>) {
    return this.support.checkIsolates(request);
  }
  @HandleRequest(SubmissionSupportSubjects.assignAllele)
  assignAllele(request: In<'assignAllele'>) {
    return this.support.assignAllele(request);
  }
  @HandleRequest(SubmissionSupportSubjects.assignProfile)
  assignProfile(request: In<'assignProfile'>) {
    return this.support.assignProfile(request);
  }
}

@Module({})
class SubmissionSupportModule {}

/** typing-db's handlers for BIGSdb submissions, as a module its main imports. */
export function submissionSupportModule(models: TypingModels): DynamicModule {
  return {
    module: SubmissionSupportModule,
    controllers: [SubmissionSupportController],
    providers: [{ provide: SubmissionSupport, useValue: new SubmissionSupport(models) }],
  };
}
