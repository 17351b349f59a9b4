import { InjectModel } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import {
  SUBMISSION_FILE,
  SUBMISSION_FILE_CHUNK,
  type SubmissionFile,
  type SubmissionFileChunk,
} from './bigsdb-files.schema';

/** bigsdb_submission_files and their chunks: the only code that reads or writes them. */
@Injectable()
export class BigsdbFilesRepository {
  constructor(
    @InjectModel(SUBMISSION_FILE) private readonly files: Model<SubmissionFile>,
    @InjectModel(SUBMISSION_FILE_CHUNK) private readonly chunks: Model<SubmissionFileChunk>,
  ) {}

  async hasCompleteFile(submissionId: string, filename: string): Promise<boolean> {
    return (await this.files.exists({ submissionId, filename, complete: true })) !== null;
  }

  /** The file of that name, complete or (left by an earlier version) not. */
  findFile(submissionId: string, filename: string): Promise<SubmissionFile | null> {
    return this.files.findOne({ submissionId, filename }).lean<SubmissionFile>();
  }

  findCompleteFile(submissionId: string, filename: string): Promise<SubmissionFile | null> {
    return this.files.findOne({ submissionId, filename, complete: true }).lean<SubmissionFile>();
  }

  async completeFileNames(submissionId: string): Promise<string[]> {
    const files = await this.files
      .find({ submissionId, complete: true }, { filename: 1 })
      .lean<Array<Pick<SubmissionFile, 'filename'>>>();
    return files.map((f) => f.filename);
  }

  async fileIdsOf(submissionId: string): Promise<string[]> {
    return (await this.files.find({ submissionId }, { _id: 1 }).lean<Array<{ _id: string }>>()).map((f) => f._id);
  }

  /** Throws a duplicate-key error when the submission has a file of that name already. */
  async insertFile(file: SubmissionFile): Promise<void> {
    await this.files.create(file);
  }

  /** A file's record, only while it still matches `state`. */
  async deleteFile(fileId: string, state: Partial<Pick<SubmissionFile, 'complete'>> = {}): Promise<void> {
    await this.files.deleteOne({ _id: fileId, ...state });
  }

  async insertChunk(chunk: SubmissionFileChunk): Promise<void> {
    await this.chunks.create(chunk);
  }

  /** The n-th chunk's bytes, or undefined past the last. */
  async chunkData(fileId: string, n: number): Promise<Buffer | undefined> {
    // Not lean: mongoose gives the bytes as a Buffer (a lean read gives the driver's Binary).
    const chunk = await this.chunks.findById(`${fileId}|${n}`);
    return chunk ? Buffer.from(chunk.data) : undefined;
  }

  async deleteChunksOfFile(fileId: string): Promise<void> {
    await this.chunks.deleteMany({ fileId });
  }

  async deleteChunksOfSubmission(submissionId: string): Promise<void> {
    await this.chunks.deleteMany({ submissionId });
  }
}
