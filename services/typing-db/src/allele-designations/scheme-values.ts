import type { IsolateSchemeFields } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { definitionsOf, type TypingDatabase } from '../databases/databases.schema';
import { ProfilesRepository } from '../profiles/profiles.repository';
import { type Profile, type ProfileByAlleles, profileByAllelesKey, profileKey } from '../profiles/profiles.schema';
import type { Scheme } from '../schemes/schemes.schema';
import { VersionedCache } from '../common/versioned-cache';
import { breathe, type Catalogue, IsolateCatalogue } from '../isolates/isolate-catalogue';

/** Past this many isolates, their profiles are found in the scheme's whole profile table. */
const TABLE_FROM_ISOLATES = 1000;

interface ProfileTable {
  byAlleles: Map<string, Profile>;
  byId: Map<string, Profile>;
}

/** A mixed sample can have several designations per locus; past this many combinations no profile is looked up. */
const MAX_COMBINATIONS = 64;

function* combinations(choices: string[][], prefix: string[] = []): Generator<string[]> {
  if (prefix.length === choices.length) {
    yield prefix;
    return;
  }
  for (const choice of choices[prefix.length]) yield* combinations(choices, [...prefix, choice]);
}

/**
 * Scheme field values that allele designations give (ST, clonal_complex…): BIGSdb's isolate scheme-field view, worked
 * out from the isolates' allele designations and the seqdef database's profiles, in two queries whatever the number
 * of isolates; and the profiles a sequence query's alleles give.
 */
@Injectable()
export class SchemeValues {
  private readonly profileTables = new VersionedCache<ProfileTable>();
  /** Every isolate's profiles, per isolates database and scheme, while neither changes. */
  private readonly everyIsolateProfiles = new VersionedCache<Map<number, string[]>>();

  constructor(
    private readonly catalogue: IsolateCatalogue,
    private readonly profiles: ProfilesRepository,
  ) {}

  /**
   * The profiles_by_alleles keys of every combination of one allele per locus (choices in the scheme's locus
   * order), or undefined when a locus has none or there are too many combinations to look up.
   */
  static profileKeys(definitions: string, scheme: Scheme, choices: string[][]): string[] | undefined {
    return SchemeValues.alleleCombinations(choices)?.map((alleles) =>
      profileByAllelesKey(definitions, scheme.id, alleles),
    );
  }

  /** Every combination of one allele per locus, or undefined when a locus has none or there are too many. */
  private static alleleCombinations(choices: string[][]): string[][] | undefined {
    if (choices.some((c) => !c.length) || choices.reduce((n, c) => n * c.length, 1) > MAX_COMBINATIONS)
      return undefined;
    return [...combinations(choices)];
  }

  /**
   * A scheme's profiles by their allele ids (joined with tabs) and by id, read in one query per version of the
   * scheme: finding the profiles of 100,000 isolates is then a look-up each, not a query over every scheme's
   * profiles.
   */
  private profileTable(definitions: string, scheme: Scheme): Promise<ProfileTable> {
    return this.profileTables.get(`${definitions}|${scheme.id}`, scheme.version, async () => {
      const table: ProfileTable = { byAlleles: new Map(), byId: new Map() };
      for (const profile of await this.profiles.ofScheme(definitions, scheme.id)) {
        table.byAlleles.set(profile.alleles.join('\t'), profile);
        table.byId.set(profile.profileId, profile);
      }
      return table;
    });
  }

  /**
   * The profiles defined for any combination of the choices (BIGSdb ORs the alleles found at a locus). Point
   * reads, one per combination: FerretDB answers `_id: {$in: …}` by scanning the collection.
   */
  async profilesMatching(definitions: string, scheme: Scheme, choices: string[][]): Promise<Profile[]> {
    const keys = SchemeValues.profileKeys(definitions, scheme, choices) ?? [];
    const found = await Promise.all(keys.map((key) => this.profiles.findByAlleles(key)));
    const profiles = await Promise.all(
      found
        .filter((p): p is ProfileByAlleles => p !== null)
        .map((p) => this.profiles.findById(profileKey(definitions, scheme.id, p.profileId))),
    );
    return profiles.filter((p): p is Profile => p !== null);
  }

  /** The profile ids each isolate's designations give (several for a mixed sample), for isolates with every locus designated. */
  async isolateProfiles(db: TypingDatabase, scheme: Scheme): Promise<Map<number, string[]>> {
    const catalogue = await this.catalogue.of(db);
    // An import of isolates (the catalogue's version) or a new profile (the scheme's) changes what this gives.
    return this.everyIsolateProfiles.get(
      `${db._id}|${definitionsOf(db)}|${scheme.id}|${scheme.version ?? 0}`,
      catalogue.version,
      () => this.profilesOf(db, scheme, catalogue),
    );
  }

  /**
   * Whether a database's isolates are looked up in the scheme's whole profile table (read once per version) rather
   * than by their own allele combinations (one query, cheaper for a few isolates).
   */
  private static usesTable(catalogue: Catalogue): boolean {
    return catalogue.entries.length > TABLE_FROM_ISOLATES;
  }

  private async profilesOf(db: TypingDatabase, scheme: Scheme, catalogue: Catalogue): Promise<Map<number, string[]>> {
    const schemeLoci = new Set(scheme.loci);
    const byIsolate = new Map<number, Map<string, string[]>>();
    for (const [i, entry] of catalogue.entries.entries()) {
      if (i % 5000 === 4999) await breathe();
      for (const [locus, alleleId, status] of entry.designations) {
        if (!schemeLoci.has(locus) || status === 'ignore') continue;
        const loci = byIsolate.get(entry.id) ?? new Map<string, string[]>();
        loci.set(locus, [...(loci.get(locus) ?? []), alleleId]);
        byIsolate.set(entry.id, loci);
      }
    }
    const definitions = definitionsOf(db);
    const wanted = new Map<number, string[][]>();
    for (const [isolateId, loci] of byIsolate) {
      const combinations = SchemeValues.alleleCombinations(scheme.loci.map((locus) => loci.get(locus) ?? []));
      if (combinations) wanted.set(isolateId, combinations);
    }
    let profileOf: (alleles: string[]) => string | undefined;
    if (SchemeValues.usesTable(catalogue)) {
      const table = await this.profileTable(definitions, scheme);
      profileOf = (alleles) => table.byAlleles.get(alleles.join('\t'))?.profileId;
    } else {
      const keys = [...wanted.values()].flat().map((alleles) => profileByAllelesKey(definitions, scheme.id, alleles));
      const found = await this.profiles.idsByAlleles([...new Set(keys)]);
      profileOf = (alleles) => found.get(profileByAllelesKey(definitions, scheme.id, alleles));
    }
    const result = new Map<number, string[]>();
    let looked = 0;
    for (const [isolateId, combinations] of wanted) {
      if (++looked % 5000 === 0) await breathe();
      const ids = combinations.map(profileOf).filter((id): id is string => id !== undefined);
      if (ids.length) result.set(isolateId, ids);
    }
    return result;
  }

  /** An isolate's scheme field values: one value, or an array when a mixed sample gives several, as BIGSdb sends them. */
  async fieldValues(db: TypingDatabase, scheme: Scheme, isolateId: number): Promise<IsolateSchemeFields> {
    const profileIds = (await this.isolateProfiles(db, scheme)).get(isolateId) ?? [];
    if (!profileIds.length) return {};
    const definitions = definitionsOf(db);
    const table = SchemeValues.usesTable(await this.catalogue.of(db))
      ? await this.profileTable(definitions, scheme)
      : undefined;
    const profiles = (
      table
        ? profileIds.map((id) => table.byId.get(id))
        : await Promise.all(profileIds.map((id) => this.profiles.findById(profileKey(definitions, scheme.id, id))))
    ).filter((p): p is Profile => p !== undefined && p !== null);
    const values: IsolateSchemeFields = {};
    for (const field of scheme.fields) {
      const distinct = [
        ...new Set(profiles.map((p) => p.fields[field.name]).filter((v) => v !== undefined && v !== '')),
      ];
      if (distinct.length === 1) values[field.name] = distinct[0];
      else if (distinct.length > 1) values[field.name] = distinct;
    }
    return values;
  }
}
