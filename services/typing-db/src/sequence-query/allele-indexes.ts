import type { Logger } from 'pino';
import { type Allele, EXCLUDED_ALLELE_IDS, type Locus, type TypingModels } from '../models';
import { type AlleleIndexData, type LocusAlleles, packAlleles } from './allele-index';

/** Past this many loci changed since the last build, one read of the whole database beats a read per locus. */
const PER_LOCUS_RELOAD_LIMIT = 20;

interface DatabaseIndex {
  versions: Map<string, number>;
  loci: Map<string, LocusAlleles>;
  data: AlleleIndexData;
}

const versionOf = (locus: Pick<Locus, 'version'>) => locus.version ?? 0;

/**
 * The allele index of each sequence definition database, built from MongoDB and kept current: every query reads
 * the loci's versions (which an import bumps when it adds alleles) and reloads only the loci that changed.
 */
export class AlleleIndexes {
  private readonly built = new Map<string, DatabaseIndex>();
  private readonly building = new Map<string, Promise<AlleleIndexData>>();

  constructor(
    private readonly models: TypingModels,
    private readonly logger: Logger,
  ) {}

  private async alleles(database: string, loci?: string[]): Promise<Map<string, LocusAlleles>> {
    const filter: Record<string, unknown> = { database, alleleId: { $nin: EXCLUDED_ALLELE_IDS } };
    if (loci) filter.locus = loci.length === 1 ? loci[0] : { $in: loci };
    // No sort in the database: FerretDB sorts large results slowly; the order is put right here.
    const rows = await this.models.alleles
      .find(filter, { _id: 0, locus: 1, alleleId: 1, sequence: 1, order: 1 })
      .lean<Allele[]>();
    rows.sort((a, b) =>
      a.locus < b.locus
        ? -1
        : a.locus > b.locus
          ? 1
          : a.order - b.order || (a.alleleId < b.alleleId ? -1 : a.alleleId > b.alleleId ? 1 : 0),
    );
    const byLocus = new Map<string, LocusAlleles>((loci ?? []).map((name) => [name, { name, alleles: [] }]));
    for (const row of rows) {
      let locus = byLocus.get(row.locus);
      if (!locus) byLocus.set(row.locus, (locus = { name: row.locus, alleles: [] }));
      locus.alleles.push({ id: row.alleleId, sequence: row.sequence });
    }
    return byLocus;
  }

  private async build(
    database: string,
    loci: Array<Pick<Locus, 'id' | 'version'>>,
    previous: DatabaseIndex | undefined,
  ): Promise<AlleleIndexData> {
    const started = Date.now();
    const changed = loci.filter((l) => previous?.versions.get(l.id) !== versionOf(l)).map((l) => l.id);
    const fresh =
      previous && changed.length <= PER_LOCUS_RELOAD_LIMIT
        ? await this.alleles(database, changed)
        : await this.alleles(database);
    const byLocus = new Map<string, LocusAlleles>();
    for (const { id } of loci) byLocus.set(id, fresh.get(id) ?? previous?.loci.get(id) ?? { name: id, alleles: [] });
    const versions = new Map(loci.map((l) => [l.id, versionOf(l)]));
    const key = `${database}|${[...versions.values()].join('.')}|${Date.now()}`;
    const data = packAlleles(key, [...byLocus.values()]);
    this.built.set(database, { versions, loci: byLocus, data });
    this.logger.info(
      {
        database,
        loci: loci.length,
        alleles: data.alleleIds.length,
        bytes: data.bases.byteLength,
        reloadedLoci: previous ? changed.length : loci.length,
        ms: Date.now() - started,
      },
      'allele index built',
    );
    return data;
  }

  /** Builds the index of every sequence definition database. */
  async warm(): Promise<void> {
    const databases = await this.models.databases.find({ type: 'seqdef' }, { _id: 1 }).lean<Array<{ _id: string }>>();
    for (const { _id } of databases) await this.current(_id);
  }

  /** The database's index as its alleles are now. */
  async current(database: string): Promise<AlleleIndexData> {
    const loci = (await this.models.loci.find({ database }, { _id: 0, id: 1, version: 1 }).lean<Locus[]>()).sort(
      (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    const existing = this.built.get(database);
    if (
      existing &&
      existing.versions.size === loci.length &&
      loci.every((l) => existing.versions.get(l.id) === versionOf(l))
    )
      return existing.data;
    const pending = this.building.get(database);
    if (pending) return pending;
    const build = this.build(database, loci, existing).finally(() => this.building.delete(database));
    this.building.set(database, build);
    return build;
  }
}
