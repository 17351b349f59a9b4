import { InjectModel } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { batches, insertBatch, nextIntegerId } from '../common/collection-helpers';
import {
  PROFILE,
  PROFILE_BY_ALLELES,
  type Profile,
  type ProfileByAlleles,
  profileByAllelesKey,
} from './profiles.schema';

/**
 * profiles: every profile of every scheme, keyed by database|scheme id|profile id; and profiles_by_alleles, the
 * same profiles keyed by their allele ids, so that finding a profile from designations is one _id read.
 */
@Injectable()
export class ProfilesRepository {
  constructor(
    @InjectModel(PROFILE) private readonly model: Model<Profile>,
    @InjectModel(PROFILE_BY_ALLELES) private readonly byAlleles: Model<ProfileByAlleles>,
  ) {}

  findById(key: string): Promise<Profile | null> {
    return this.model.findById(key).lean<Profile>();
  }

  findByIds(keys: string[]): Promise<Profile[]> {
    return this.model.find({ _id: { $in: keys } }).lean<Profile[]>();
  }

  /** The profile ids of the scheme's profiles whose fields match (conditions on `fields.<name>`). */
  async idsWhere(database: string, schemeId: number, conditions: Record<string, unknown>): Promise<string[]> {
    return (await this.model.find({ database, schemeId, ...conditions }, { profileId: 1 }).lean<Profile[]>()).map(
      (p) => p.profileId,
    );
  }

  /** Every profile of a scheme, not sorted (FerretDB sorts large results slowly). */
  ofScheme(database: string, schemeId: number): Promise<Profile[]> {
    return this.model.find({ database, schemeId }).lean<Profile[]>();
  }

  /** A scheme's profiles in id order, their allele ids and order, for classifying them. */
  allelesInOrder(database: string, schemeId: number): Promise<Array<Pick<Profile, 'profileId' | 'order' | 'alleles'>>> {
    return this.model
      .find({ database, schemeId }, { profileId: 1, order: 1, alleles: 1 })
      .sort({ order: 1, profileId: 1 })
      .lean<Profile[]>();
  }

  nextId(database: string, schemeId: number): Promise<string> {
    return nextIntegerId(this.model, { database, schemeId });
  }

  /** Inserts a profile; a duplicate key is the caller's to handle. */
  async create(profile: Profile): Promise<void> {
    await this.model.create(profile);
  }

  async delete(key: string): Promise<void> {
    await this.model.deleteOne({ _id: key });
  }

  /** The profile id of an allele-ids key (profileByAllelesKey). */
  findByAlleles(key: string): Promise<ProfileByAlleles | null> {
    return this.byAlleles.findById(key).lean<ProfileByAlleles>();
  }

  /** The profile ids of allele-ids keys, by key; keys with no profile are left out. */
  async idsByAlleles(keys: string[]): Promise<Map<string, string>> {
    if (!keys.length) return new Map();
    return new Map(
      (await this.byAlleles.find({ _id: { $in: keys } }).lean<ProfileByAlleles[]>()).map((p) => [p._id, p.profileId]),
    );
  }

  /** Files a profile under its allele ids; a duplicate key (the same profile filed meanwhile) is the caller's. */
  async fileByAlleles(key: string, profileId: string): Promise<void> {
    await this.byAlleles.create({ _id: key, profileId });
  }

  /**
   * Imports profiles: those not there yet are inserted, and each batch's profiles are then filed under their alleles
   * (both skipped where already there, with nothing read first: insertBatch), so an import that stops between the two
   * leaves nothing that another run does not complete.
   */
  async importMissing(rows: AsyncIterable<Profile>) {
    let seen = 0;
    let inserted = 0;
    for await (const batch of batches(rows)) {
      seen += batch.length;
      inserted += await insertBatch(this.model, batch);
      await insertBatch(
        this.byAlleles,
        batch.map((p) => ({ _id: profileByAllelesKey(p.database, p.schemeId, p.alleles), profileId: p.profileId })),
      );
    }
    return { seen, inserted };
  }
}
