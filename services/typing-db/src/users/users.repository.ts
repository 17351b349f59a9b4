import { InjectModel } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import { DatabasesRepository } from '../databases/databases.repository';
import type { Model } from 'mongoose';
import { TYPING_USER, type TypingUser } from './users.schema';

/** users: the users of each database, by database and id. */
@Injectable()
export class UsersRepository {
  constructor(
    @InjectModel(TYPING_USER) private readonly model: Model<TypingUser>,
    private readonly databases: DatabasesRepository,
  ) {}

  find(database: string, id: number): Promise<TypingUser | null> {
    return this.model.findOne({ database, id }).lean<TypingUser>();
  }

  findByEmail(database: string, email: string): Promise<TypingUser | null> {
    return this.model.findOne({ database, email }).lean<TypingUser>();
  }

  /** The user an account signs in as: the lowest id linked to it. */
  findByAccount(database: string, account: string): Promise<TypingUser | null> {
    return this.model.findOne({ database, account }).sort({ id: 1 }).lean<TypingUser>();
  }

  /** The ids of the database's curators and admins (user id > 0), in id order. */
  async curatorIds(database: string): Promise<number[]> {
    const users = await this.model
      .find({ database, status: { $in: ['curator', 'admin'] }, id: { $gt: 0 } }, { id: 1 })
      .sort({ id: 1 })
      .lean<Array<Pick<TypingUser, 'id'>>>();
    return users.map((u) => u.id);
  }

  /** The curators and admins (user id > 0) of every database, for the catalog. */
  everyCurator(): Promise<Array<Pick<TypingUser, 'database' | 'id'>>> {
    return this.model
      .find({ status: { $in: ['curator', 'admin'] }, id: { $gt: 0 } }, { _id: 0, database: 1, id: 1 })
      .lean<Array<Pick<TypingUser, 'database' | 'id'>>>();
  }

  async lastId(database: string): Promise<number | undefined> {
    return (await this.model.findOne({ database }, { id: 1 }).sort({ id: -1 }).lean<Pick<TypingUser, 'id'>>())?.id;
  }

  /** Inserts a user; a duplicate key (its _id or its id taken) is the caller's to handle. */
  async create(user: TypingUser): Promise<void> {
    await this.model.create(user);
    await this.databases.definitionsChanged(user.database);
  }

  /** Writes the user with this database and id, inserting it when missing. */
  async save(user: TypingUser): Promise<void> {
    await this.model.updateOne({ database: user.database, id: user.id }, { $set: user }, { upsert: true });
    await this.databases.definitionsChanged(user.database);
  }
}
