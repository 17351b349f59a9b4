import type { IsolateSchemeFields } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { definitionsOf, type TypingDatabase } from '../databases/databases.schema';
import { ProfilesRepository } from '../profiles/profiles.repository';
import { type Profile, type ProfileByAlleles, profileByAllelesKey, profileKey } from '../profiles/profiles.schema';
import type { Scheme } from '../schemes/schemes.schema';
import { VersionedCache } from '../common/versioned-cache';
import { type Catalogue, IsolateCatalogue } from '../isolates/isolate-catalogue';
import type { CatalogueEntry } from '../isolates/isolates.schema';

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
    if (choices.some((c) => !c.length) || choices.reduce((n, c) => n * c.length, 1) > MAX_COMBINATIONS)
      return undefined;
    return [...combinations(choices)].map((alleles) => profileByAllelesKey(definitions, scheme.id, alleles));
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
  async isolateProfiles(db: TypingDatabase, scheme: Scheme, isolateIds?: number[]): Promise<Map<number, string[]>> {
    const catalogue = await this.catalogue.of(db);
    if (isolateIds) return this.profilesOf(db, scheme, catalogue, isolateIds);
    // An import of isolates (the catalogue's version) or a new profile (the scheme's) changes what this gives.
    return this.everyIsolateProfiles.get(
      `${db._id}|${definitionsOf(db)}|${scheme.id}|${scheme.version ?? 0}`,
      catalogue.version,
      () => this.profilesOf(db, scheme, catalogue),
    );
  }

  private async profilesOf(
    db: TypingDatabase,
    scheme: Scheme,
    catalogue: Catalogue,
    isolateIds?: number[],
  ): Promise<Map<number, string[]>> {
    const entries = isolateIds
      ? isolateIds.map((id) => catalogue.get(id)).filter((e): e is CatalogueEntry => e !== undefined)
      : catalogue.entries;
    const schemeLoci = new Set(scheme.loci);
    const byIsolate = new Map<number, Map<string, string[]>>();
    for (const entry of entries) {
      for (const [locus, alleleId, status] of entry.designations) {
        if (!schemeLoci.has(locus) || status === 'ignore') continue;
        const loci = byIsolate.get(entry.id) ?? new Map<string, string[]>();
        loci.set(locus, [...(loci.get(locus) ?? []), alleleId]);
        byIsolate.set(entry.id, loci);
      }
    }
    const definitions = definitionsOf(db);
    const wanted = new Map<number, string[]>();
    for (const [isolateId, loci] of byIsolate) {
      const keys = SchemeValues.profileKeys(
        definitions,
        scheme,
        scheme.loci.map((locus) => loci.get(locus) ?? []),
      );
      if (keys) wanted.set(isolateId, keys);
    }
    const found = await this.profiles.idsByAlleles([...new Set([...wanted.values()].flat())]);
    const result = new Map<number, string[]>();
    for (const [isolateId, profileKeys] of wanted) {
      const ids = profileKeys.map((k) => found.get(k)).filter((id): id is string => id !== undefined);
      if (ids.length) result.set(isolateId, ids);
    }
    return result;
  }

  /** An isolate's scheme field values: one value, or an array when a mixed sample gives several, as BIGSdb sends them. */
  async fieldValues(db: TypingDatabase, scheme: Scheme, isolateId: number): Promise<IsolateSchemeFields> {
    const profileIds = (await this.isolateProfiles(db, scheme, [isolateId])).get(isolateId) ?? [];
    if (!profileIds.length) return {};
    const definitions = definitionsOf(db);
    const profiles = await this.profiles.findByIds(profileIds.map((id) => profileKey(definitions, scheme.id, id)));
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
