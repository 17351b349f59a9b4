import { Injectable } from '@nestjs/common';
import { AlleleDesignationsRepository } from '../allele-designations/allele-designations.repository';
import { VersionedCache } from '../common/versioned-cache';
import { ContigsRepository } from '../contigs/contigs.repository';
import { DatabasesRepository } from '../databases/databases.repository';
import type { TypingDatabase } from '../databases/databases.schema';
import { IsolatesRepository } from './isolates.repository';
import { type CatalogueEntry, ISOLATE_SYSTEM_FIELDS, type SequenceBinFigures } from './isolates.schema';

/** Entries per stored block. */
const BLOCK = 2000;

/**
 * Lets the event loop run (NATS keepalives, other requests) between slices of a long computation over a whole
 * catalogue: a request's caller gives up on a service silent for 3 s.
 */
export const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Contig count, total length, N50 and L50 of an isolate's contig lengths (undefined without contigs). */
export function sequenceBinFigures(lengths: number[]): SequenceBinFigures | undefined {
  if (!lengths.length) return undefined;
  const sorted = [...lengths].sort((a, b) => b - a);
  const total = sorted.reduce((a, b) => a + b, 0);
  let sum = 0;
  for (const [i, length] of sorted.entries()) {
    sum += length;
    if (sum * 2 >= total) return { contigs: sorted.length, total, N50: length, L50: i + 1 };
  }
  return { contigs: sorted.length, total, N50: 0, L50: 0 };
}

/** A provenance or system field's value in a catalogue entry. */
export function fieldValue(entry: CatalogueEntry, name: string): CatalogueEntry['provenance'][string] | undefined {
  const system = ISOLATE_SYSTEM_FIELDS[name as keyof typeof ISOLATE_SYSTEM_FIELDS];
  return system ? entry[system] : entry.provenance[name];
}

/** An isolates database's isolates in id order, with the look-ups the routes and the importer need. */
export class Catalogue {
  readonly entries: CatalogueEntry[];
  private readonly byId = new Map<number, CatalogueEntry>();
  private readonly olderOf = new Map<number, number>();

  constructor(
    readonly version: number | undefined,
    entries: CatalogueEntry[],
  ) {
    this.entries = entries.sort((a, b) => a.id - b.id);
    for (const entry of this.entries) {
      this.byId.set(entry.id, entry);
      if (entry.newVersion !== undefined) this.olderOf.set(entry.newVersion, entry.id);
    }
  }

  get(id: number): CatalogueEntry | undefined {
    return this.byId.get(id);
  }

  /** The record a newer one replaced. */
  olderVersion(id: number): number | undefined {
    return this.olderOf.get(id);
  }

  /** Adds a new isolate or puts a changed one in place, keeping id order. */
  put(entry: CatalogueEntry): void {
    const last = this.entries[this.entries.length - 1];
    if (this.byId.has(entry.id)) this.entries[this.entries.findIndex((e) => e.id === entry.id)] = entry;
    else if (!last || last.id < entry.id) this.entries.push(entry);
    else
      this.entries.splice(
        this.entries.findIndex((e) => e.id > entry.id),
        0,
        entry,
      );
    this.byId.set(entry.id, entry);
    if (entry.newVersion !== undefined) this.olderOf.set(entry.newVersion, entry.id);
  }

  lastId(): number | undefined {
    return this.entries[this.entries.length - 1]?.id;
  }
}

/**
 * The isolates of each isolates database, held in memory and reloaded when the database's catalogue version changes.
 * On the MongoDB-compatible server used in development every query reads its whole collection (FerretDB 1.24 filters
 * with `_jsonb->key @> value`, which no index serves), so a record, a search or a page read from the collections
 * costs seconds at 100,000 isolates; read from here, milliseconds. The collections stay the one writable copy: the
 * importers write them, then store the catalogue they leave (blocks of JSON text, read in one query) under a new
 * version, so that every replica reloads it; a database without a stored catalogue is read from its collections.
 */
@Injectable()
export class IsolateCatalogue {
  private readonly catalogues = new VersionedCache<Catalogue>();

  constructor(
    private readonly databases: DatabasesRepository,
    private readonly isolates: IsolatesRepository,
    private readonly designations: AlleleDesignationsRepository,
    private readonly contigs: ContigsRepository,
  ) {}

  /**
   * The catalogue of an isolates database at the version its row names now (shared: never change it). The row is
   * read here, not taken from the catalog of databases held in memory, which may be a second old: an isolate
   * imported or changed a moment ago is served as it now is.
   */
  async of(db: TypingDatabase): Promise<Catalogue> {
    const head = (await this.databases.find(db._id))?.catalogue ?? db.catalogue;
    return this.catalogues.get(db._id, head?.version, () => this.load({ _id: db._id, catalogue: head }));
  }

  /** The catalogue read afresh, for a writer to change and save. */
  async load(db: Pick<TypingDatabase, '_id' | 'catalogue'>): Promise<Catalogue> {
    const head = db.catalogue;
    if (head) {
      const blocks = await this.isolates.catalogueBlocks(db._id, head.version);
      if (blocks.length === head.blocks) {
        const entries: CatalogueEntry[] = [];
        for (const block of blocks) {
          for (const entry of JSON.parse(block.entries) as CatalogueEntry[]) entries.push(entry);
          await breathe();
        }
        return new Catalogue(head.version, entries);
      }
    }
    return new Catalogue(head?.version, await this.fromCollections(db._id));
  }

  /** The catalogue worked out from the collections themselves. */
  private async fromCollections(database: string): Promise<CatalogueEntry[]> {
    const [isolates, designations, contigs, history] = await Promise.all([
      this.isolates.ofDatabase(database),
      this.designations.ofDatabase(database),
      this.contigs.lengthsOfDatabase(database),
      this.isolates.historyIsolates(database),
    ]);
    const designated = new Map<number, CatalogueEntry['designations']>();
    for (const d of designations) {
      const list = designated.get(d.isolateId) ?? [];
      list.push([d.locus, d.alleleId, d.status]);
      designated.set(d.isolateId, list);
    }
    const lengths = new Map<number, number[]>();
    for (const c of contigs) lengths.set(c.isolateId, [...(lengths.get(c.isolateId) ?? []), c.length]);
    const curated = new Set(history);
    return isolates.map(({ _id, database: _database, ...isolate }) => ({
      ...isolate,
      designations: designated.get(isolate.id) ?? [],
      sequenceBin: sequenceBinFigures(lengths.get(isolate.id) ?? []),
      ...(curated.has(isolate.id) ? { history: true } : {}),
    }));
  }

  /**
   * Stores a changed catalogue as the database's current one: the new version's blocks first, then the database's
   * row points at them, then the previous version's blocks go.
   */
  async save(database: string, catalogue: Catalogue): Promise<void> {
    const version = Math.max(Date.now(), (catalogue.version ?? 0) + 1);
    const blocks = [];
    for (let i = 0; i * BLOCK < catalogue.entries.length || i === 0; i += 1)
      blocks.push({
        _id: `${database}|${version}|${i}`,
        database,
        version,
        entries: JSON.stringify(catalogue.entries.slice(i * BLOCK, (i + 1) * BLOCK)),
      });
    await this.isolates.saveCatalogueBlocks(blocks);
    await this.databases.setCatalogue(database, { version, blocks: blocks.length });
    if (catalogue.version !== undefined) await this.isolates.dropCatalogue(database, catalogue.version);
  }
}
