import { InjectLogger } from '@helixgate/platform';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { ClassificationRepository } from '../classification/classification.repository';
import type { ClassificationScheme } from '../classification/classification.schema';
import { DatabasesRepository } from '../databases/databases.repository';
import type { TypingDatabase } from '../databases/databases.schema';
import { LociRepository } from '../loci/loci.repository';
import type { Locus } from '../loci/loci.schema';
import { SchemesRepository } from '../schemes/schemes.repository';
import { UsersRepository } from '../users/users.repository';
import type { Scheme } from '../schemes/schemes.schema';

/** How often the databases are read again: changes made by another process (an import) show within this. */
export const CATALOG_REFRESH_MS = 1_000;
/**
 * Loci, schemes, classification schemes and curators are read again when a database's definitionsVersion changed
 * (every repository write to them bumps it), when something is missing, and at least this often whatever happens.
 */
const DEFINITIONS_RELOAD_MS = 30_000;
/** Look-ups of names the catalog does not hold read it again, but not more often than this (a flood of 404s). */
const MISS_REFRESH_SPACING_MS = 25;

/** What a seqdef database defines: its loci, schemes and classification schemes, each in id order. */
export interface Definitions {
  loci: Map<string, Locus>;
  lociInOrder: string[];
  schemes: Map<number, Scheme>;
  schemesInOrder: Scheme[];
  classification: Map<number, ClassificationScheme>;
  classificationInOrder: ClassificationScheme[];
}

interface Snapshot {
  /** When the read that made it started. */
  readAt: number;
  /** When its definitions were read, and the databases' definitionsVersions they were read at. */
  definitionsReadAt: number;
  signature: string;
  databases: Map<string, TypingDatabase>;
  definitions: Map<string, Definitions>;
  /** Curator and admin ids of each database, in id order. */
  curators: Map<string, number[]>;
}

const noDefinitions = (): Definitions => ({
  loci: new Map(),
  lociInOrder: [],
  schemes: new Map(),
  schemesInOrder: [],
  classification: new Map(),
  classificationInOrder: [],
});

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The databases, loci, schemes and classification schemes of every typing database, held in memory: a few
 * thousand small documents that every route reads and only imports and curation change. Routes read them here
 * instead of from the database (a round trip each, tens of milliseconds on FerretDB under load); the whole
 * catalog is read again every CATALOG_REFRESH_MS, at once after a change made by this process, and when a route
 * names something the catalog does not hold (so a database imported a moment ago is found). The database stays
 * the one copy that is written; every replica holds its own catalog. The versions on loci, schemes and
 * classification schemes, which writers bump, key the larger read models built from them (alleles, profiles).
 */
@Injectable()
export class Catalog implements OnModuleDestroy {
  private snapshot?: Snapshot;
  private reading?: { startedAt: number; done: Promise<Snapshot> };
  private next?: Promise<Snapshot>;
  /** The next read reads the definitions too, whatever the versions say. */
  private readDefinitions = true;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly databases: DatabasesRepository,
    private readonly loci: LociRepository,
    private readonly schemes: SchemesRepository,
    private readonly classification: ClassificationRepository,
    private readonly users: UsersRepository,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async read(): Promise<Snapshot> {
    const readAt = Date.now();
    // The databases first: a writer bumps a database's definitionsVersion after it wrote its definitions.
    const databases = await this.databases.list();
    const byName = new Map(databases.map((db) => [db._id, db]));
    const signature = databases.map((db) => `${db._id}:${db.definitionsVersion ?? 0}`).join('|');
    const previous = this.snapshot;
    const forced = this.readDefinitions;
    this.readDefinitions = false;
    if (
      previous &&
      !forced &&
      previous.signature === signature &&
      readAt - previous.definitionsReadAt < DEFINITIONS_RELOAD_MS
    )
      return { ...previous, readAt, databases: byName };
    const [loci, schemes, classification, curators] = await Promise.all([
      this.loci.every(),
      this.schemes.every(),
      this.classification.every(),
      this.users.everyCurator(),
    ]);
    const definitions = new Map<string, Definitions>();
    const of = (database: string) => {
      let entry = definitions.get(database);
      if (!entry) {
        entry = noDefinitions();
        definitions.set(database, entry);
      }
      return entry;
    };
    for (const locus of loci) of(locus.database).loci.set(locus.id, locus);
    for (const scheme of schemes) of(scheme.database).schemes.set(scheme.id, scheme);
    for (const cscheme of classification) of(cscheme.database).classification.set(cscheme.id, cscheme);
    for (const entry of definitions.values()) {
      entry.lociInOrder = [...entry.loci.keys()].sort(byText);
      entry.schemesInOrder = [...entry.schemes.values()].sort((a, b) => a.id - b.id);
      entry.classificationInOrder = [...entry.classification.values()].sort((a, b) => a.id - b.id);
    }
    const curatorIds = new Map<string, number[]>();
    for (const { database, id } of curators) curatorIds.set(database, [...(curatorIds.get(database) ?? []), id]);
    for (const ids of curatorIds.values()) ids.sort((a, b) => a - b);
    return {
      readAt,
      definitionsReadAt: readAt,
      signature,
      databases: byName,
      definitions,
      curators: curatorIds,
    };
  }

  /** A read that starts now, or the one already running; the snapshot is kept unless a newer one was kept. */
  private startRead(): Promise<Snapshot> {
    if (this.reading) return this.reading.done;
    const done = this.read()
      .then((snapshot) => {
        if (!this.snapshot || snapshot.readAt >= this.snapshot.readAt) this.snapshot = snapshot;
        return this.snapshot;
      })
      .finally(() => {
        this.reading = undefined;
      });
    this.reading = { startedAt: Date.now(), done };
    return done;
  }

  /** A snapshot read after `since`: the running read if it started since, else the next one. */
  private readSince(since: number): Promise<Snapshot> {
    if (this.snapshot && this.snapshot.readAt >= since) return Promise.resolve(this.snapshot);
    if (this.reading && this.reading.startedAt >= since) return this.reading.done;
    if (!this.reading) return this.startRead();
    this.next ??= this.reading.done
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.startRead();
      });
    return this.next;
  }

  private current(): Promise<Snapshot> {
    if (!this.timer) {
      this.timer = setInterval(() => {
        this.startRead().catch((error: unknown) =>
          this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'catalog not read'),
        );
      }, CATALOG_REFRESH_MS);
      this.timer.unref();
    }
    return this.snapshot ? Promise.resolve(this.snapshot) : this.startRead();
  }

  /** The catalog as this process changed it: call after writing loci, schemes or classification schemes. */
  async changed(): Promise<void> {
    const asked = Date.now();
    this.readDefinitions = true;
    await this.readSince(asked);
  }

  /**
   * A catalog read since `asked`, after something was not found: a record of a locus or scheme may be missing
   * because another process added it a moment ago (the versions in a fresh catalog say so). Such reads are spaced
   * by MISS_REFRESH_SPACING_MS, so a flood of requests for missing things costs a few reads a second.
   */
  async missed(asked = Date.now()): Promise<void> {
    const since = Math.max(asked, (this.snapshot?.readAt ?? 0) + MISS_REFRESH_SPACING_MS);
    if (since > asked) await new Promise((resolve) => setTimeout(resolve, since - asked));
    this.readDefinitions = true;
    await this.readSince(since);
  }

  /**
   * After a record of a locus or scheme (`owner`, as the catalog had it at `asked`) was not found: the owner as a
   * catalog read since then has it, when its version changed meanwhile (the record may be new); else undefined.
   */
  async newerVersion<T extends { version?: number }>(
    asked: number,
    database: string,
    owner: T,
    find: (definitions: Definitions) => T | undefined,
  ): Promise<T | undefined> {
    await this.missed(asked);
    const fresh = find(await this.definitions(database));
    return fresh && fresh.version !== owner.version ? fresh : undefined;
  }

  /** Looks `find` up in the catalog; when it is not there, once more in a catalog read since the look-up began. */
  private async lookUp<T>(find: (snapshot: Snapshot) => T | undefined): Promise<T | undefined> {
    const asked = Date.now();
    const found = find(await this.current());
    if (found !== undefined) return found;
    await this.missed(asked);
    return find(await this.current());
  }

  database(name: string): Promise<TypingDatabase | undefined> {
    return this.lookUp((s) => s.databases.get(name));
  }

  /** Every database, by name. */
  async allDatabases(): Promise<TypingDatabase[]> {
    return [...(await this.current()).databases.values()].sort((a, b) => byText(a._id, b._id));
  }

  /** What a seqdef database defines (nothing, when it defines nothing yet). */
  async definitions(database: string): Promise<Definitions> {
    return (await this.current()).definitions.get(database) ?? noDefinitions();
  }

  /** The ids of a database's curators and admins, in id order. */
  async curatorIds(database: string): Promise<number[]> {
    return (await this.current()).curators.get(database) ?? [];
  }

  locus(database: string, id: string): Promise<Locus | undefined> {
    return this.lookUp((s) => s.definitions.get(database)?.loci.get(id));
  }

  scheme(database: string, id: number): Promise<Scheme | undefined> {
    return this.lookUp((s) => s.definitions.get(database)?.schemes.get(id));
  }

  classificationScheme(database: string, id: number): Promise<ClassificationScheme | undefined> {
    return this.lookUp((s) => s.definitions.get(database)?.classification.get(id));
  }
}
