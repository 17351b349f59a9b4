import { InjectModel } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { PROJECT, type Project } from './projects.schema';

/** projects: the projects of each isolates database, by database and id. */
@Injectable()
export class ProjectsRepository {
  constructor(@InjectModel(PROJECT) private readonly model: Model<Project>) {}

  async existsIn(database: string): Promise<boolean> {
    return (await this.model.exists({ database })) !== null;
  }

  find(database: string, id: number): Promise<Project | null> {
    return this.model.findOne({ database, id }).lean<Project>();
  }

  /** A database's projects (or those named) in id order. */
  list(database: string, ids?: number[]): Promise<Project[]> {
    return this.model
      .find({ database, ...(ids ? { id: { $in: ids } } : {}) })
      .sort({ id: 1 })
      .lean<Project[]>();
  }

  /** Creates a project with this id unless it exists. */
  async ensure(database: string, id: number, description: string): Promise<void> {
    await this.model.updateOne({ database, id }, { $setOnInsert: { description } }, { upsert: true });
  }
}
