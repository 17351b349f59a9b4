import { Injectable } from '@nestjs/common';
import { sequenceDigest, today } from '../common/records';
import { ContigsRepository } from '../contigs/contigs.repository';
import { contigKey } from '../contigs/contigs.schema';
import { DatabasesRepository } from '../databases/databases.repository';
import { IsolatesRepository } from '../isolates/isolates.repository';
import { isolateKey } from '../isolates/isolates.schema';
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

/** Loads assemblies into isolates' sequence bins (`npm run typing -- import-contigs`, and isolates tables). */
@Injectable()
export class ContigImporter {
  constructor(
    private readonly databases: DatabasesRepository,
    private readonly isolates: IsolatesRepository,
    private readonly contigs: ContigsRepository,
  ) {}

  /** Adds an assembly's contigs to an isolate's sequence bin; a contig already there (same sequence) is skipped. */
  async importContigs(spec: ContigsImport): Promise<{ seen: number; inserted: number; bases: number }> {
    const db = await this.databases.find(spec.database);
    if (!db || db.type !== 'isolates') throw new Error(`${spec.database} is not an isolates database here`);
    if (!(await this.isolates.exists(isolateKey(spec.database, spec.isolateId))))
      throw new Error(`isolate ${spec.isolateId} does not exist in ${spec.database}`);
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
    return result;
  }
}
