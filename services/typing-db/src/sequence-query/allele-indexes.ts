import { InjectLogger } from '@helixgate/platform';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { AllelesRepository } from '../alleles/alleles.repository';
import { DatabasesRepository } from '../databases/databases.repository';
import { Catalog } from '../common/catalog';
import type { Locus } from '../loci/loci.schema';
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
@Injectable()
export class AlleleIndexes implements OnApplicationBootstrap {
  private readonly built = new Map<string, DatabaseIndex>();
  private readonly building = new Map<string, Promise<AlleleIndexData>>();

  constructor(
    private readonly databases: DatabasesRepository,
    private readonly catalog: Catalog,
    private readonly alleles: AllelesRepository,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** Built at start rather than on the first query; a failure here is retried by that query. */
  onApplicationBootstrap(): void {
    void this.warm().catch((error: unknown) =>
      this.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'allele indexes not built at start',
      ),
    );
  }

  private async allelesByLocus(database: string, loci?: string[]): Promise<Map<string, LocusAlleles>> {
    // Not sorted by the database (FerretDB sorts large results slowly): the order is put right here.
    const rows = await this.alleles.forIndex(database, loci);
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
        ? await this.allelesByLocus(database, changed)
        : await this.allelesByLocus(database);
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
    for (const database of await this.databases.seqdefNames()) await this.current(database);
  }

  /** The database's index as its alleles are now. */
  async current(database: string): Promise<AlleleIndexData> {
    const { loci: defined, lociInOrder } = await this.catalog.definitions(database);
    const loci = lociInOrder.map((id) => ({ id, version: defined.get(id)?.version }));
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
