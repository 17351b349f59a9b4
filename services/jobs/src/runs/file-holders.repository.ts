import { InjectModel } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { FILE_HOLDER, type FileHolderDocument } from './file-holders.schema';

const holderId = (file: string, run: string) => `${file}|${run}`;

/** file_holders: which runs hold a shared input file (`<file>|<run>`). */
@Injectable()
export class FileHoldersRepository {
  constructor(@InjectModel(FILE_HOLDER) private readonly holders: Model<FileHolderDocument>) {}

  async isHeldByOwner(file: string, owner: string): Promise<boolean> {
    return (await this.holders.findOne({ file, owner }).lean()) !== null;
  }

  async isHeld(file: string): Promise<boolean> {
    return (await this.holders.findOne({ file }).lean()) !== null;
  }

  /** The run holds the file; a duplicate-key error when it did already. Returns the hold's id. */
  async insert(file: string, run: string, owner: string): Promise<string> {
    const _id = holderId(file, run);
    await this.holders.create({ _id, file, run, owner });
    return _id;
  }

  async deleteById(id: string): Promise<void> {
    await this.holders.deleteOne({ _id: id });
  }

  /** The run lets go of the file; whether it held it. */
  async release(file: string, run: string): Promise<boolean> {
    const { deletedCount } = await this.holders.deleteOne({ _id: holderId(file, run) });
    return deletedCount === 1;
  }
}
