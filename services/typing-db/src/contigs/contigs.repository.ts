import { InjectModel, isDuplicateKeyError } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { idPage } from '../common/collection-helpers';
import type { PageWindow } from '../common/paging';
import { CONTIG, CONTIG_SEQUENCE, type Contig, type ContigSequence } from './contigs.schema';

/** sequence_bin: the contigs of each isolate, keyed by database|contig id; sequence_bin_sequences: their bases. */
@Injectable()
export class ContigsRepository {
  constructor(
    @InjectModel(CONTIG) private readonly model: Model<Contig>,
    @InjectModel(CONTIG_SEQUENCE) private readonly sequences: Model<ContigSequence>,
  ) {}

  findById(key: string): Promise<Contig | null> {
    return this.model.findById(key).lean<Contig>();
  }

  async sequence(key: string): Promise<string | undefined> {
    return (await this.sequences.findById(key).lean<ContigSequence>())?.sequence;
  }

  /** The length of every contig of a database, with its isolate (one equality query; for building its catalogue). */
  lengthsOfDatabase(database: string): Promise<Array<Pick<Contig, 'isolateId' | 'length'>>> {
    return this.model.find({ database }, { _id: 0, isolateId: 1, length: 1 }).lean<Contig[]>();
  }

  async lengths(database: string, isolateId: number): Promise<number[]> {
    return (await this.model.find({ database, isolateId }, { length: 1 }).lean<Array<Pick<Contig, 'length'>>>()).map(
      (c) => c.length,
    );
  }

  page(database: string, isolateId: number, window: PageWindow) {
    return idPage<number, Contig>(this.model, { database, isolateId }, window);
  }

  /** An isolate's contigs in id order, without their bases. */
  headers(database: string, isolateId: number): Promise<Array<Pick<Contig, '_id' | 'id' | 'originalDesignation'>>> {
    return this.model.find({ database, isolateId }, { id: 1, originalDesignation: 1 }).sort({ id: 1 }).lean<Contig[]>();
  }

  async digests(database: string, isolateId: number): Promise<Set<string>> {
    return new Set(
      (await this.model.find({ database, isolateId }, { digest: 1 }).lean<Array<Pick<Contig, 'digest'>>>()).map(
        (c) => c.digest,
      ),
    );
  }

  async lastId(database: string): Promise<number | undefined> {
    return (await this.model.findOne({ database }, { id: 1 }).sort({ id: -1 }).lean<Pick<Contig, 'id'>>())?.id;
  }

  /**
   * Stores a contig: its bases first, with a plain insert (a filtered upsert of megabases is slow on FerretDB); bases
   * left by an interrupted import are replaced.
   */
  async create(contig: Contig, sequence: string): Promise<void> {
    try {
      await this.sequences.create({ _id: contig._id, sequence });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      await this.sequences.replaceOne({ _id: contig._id }, { _id: contig._id, sequence });
    }
    await this.model.create(contig);
  }
}
