import { Injectable } from '@nestjs/common';
import { sequenceDigest, today } from '../common/records';
import { ContigsRepository } from '../contigs/contigs.repository';
import { contigKey } from '../contigs/contigs.schema';
import { DatabasesRepository } from '../databases/databases.repository';
import { IsolateCatalogue, sequenceBinFigures } from '../isolates/isolate-catalogue';
import { IsolatesRepository } from '../isolates/isolates.repository';
import { isolateKey, type SequenceBinFigures } from '../isolates/isolates.schema';
import { fastaRecords } from './text-files';

const IUPAC_DNA = /^[ACGTUNRYKMSWBDHV]+$/;

export interface ContigsImport {
  database: string;
  isolateId: number;
  /** A FASTA file of the isolate's assembly (any number of contigs). */
  file: string;
  method?: string;
  curator: number;
}

export interface ContigsReport {
  seen: number;
  inserted: number;
  bases: number;
  /** The isolate's sequence bin afterwards. */
  sequenceBin?: SequenceBinFigures;
}

/** Loads assemblies into isolates' sequence bins (`npm run typing -- import-contigs`, and isolates tables). */
@Injectable()
export class ContigImporter {
  constructor(
    private readonly databases: DatabasesRepository,
    private readonly isolates: IsolatesRepository,
    private readonly contigs: ContigsRepository,
    private readonly catalogue: IsolateCatalogue,
  ) {}

  /** Adds an assembly's contigs to an isolate's sequence bin (`import-contigs`), and its figures to the catalogue. */
  async importContigs(spec: ContigsImport): Promise<Omit<ContigsReport, 'sequenceBin'>> {
    const db = await this.databases.find(spec.database);
    if (!db || db.type !== 'isolates') throw new Error(`${spec.database} is not an isolates database here`);
    const catalogue = await this.catalogue.load(db);
    const entry = catalogue.get(spec.isolateId);
    if (!entry || !(await this.isolates.exists(isolateKey(spec.database, spec.isolateId))))
      throw new Error(`isolate ${spec.isolateId} does not exist in ${spec.database}`);
    const { sequenceBin, ...report } = await this.storeContigs(spec);
    if (report.inserted) {
      catalogue.put({ ...entry, sequenceBin });
      await this.catalogue.save(spec.database, catalogue);
    }
    return report;
  }

  /**
   * Stores an assembly's contigs in an isolate's sequence bin (a contig already there, same sequence, is skipped) and
   * works out the bin's figures; the caller puts them in the catalogue.
   */
  async storeContigs(spec: ContigsImport): Promise<ContigsReport> {
    const date = today();
    let nextId = ((await this.contigs.lastId(spec.database)) ?? 0) + 1;
    const result = { seen: 0, inserted: 0, bases: 0 };
    const stored = await this.contigs.digests(spec.database, spec.isolateId);
    for await (const { header, sequence } of fastaRecords(spec.file)) {
      result.seen += 1;
      if (!sequence) throw new Error(`${spec.file}: contig "${header}" has no sequence`);
      if (!IUPAC_DNA.test(sequence)) throw new Error(`${spec.file}: contig "${header}" is not a DNA sequence`);
      const digest = sequenceDigest(sequence);
      if (stored.has(digest)) continue;
      stored.add(digest);
      const id = nextId++;
      const designation = header.split(/\s+/)[0] || undefined;
      await this.contigs.create(
        {
          _id: contigKey(spec.database, id),
          database: spec.database,
          id,
          isolateId: spec.isolateId,
          length: sequence.length,
          digest,
          method: spec.method,
          originalDesignation: designation,
          sender: spec.curator,
          curator: spec.curator,
          dateEntered: date,
          datestamp: date,
        },
        sequence,
      );
      result.inserted += 1;
      result.bases += sequence.length;
    }
    if (!result.seen) throw new Error(`${spec.file}: no FASTA records`);
    return {
      ...result,
      sequenceBin: sequenceBinFigures(await this.contigs.lengths(spec.database, spec.isolateId)),
    };
  }
}
