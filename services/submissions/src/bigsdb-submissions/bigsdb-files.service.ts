import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { type ObjectRef, ServiceError } from '@helixgate/contracts';
import { isDuplicateKeyError, TransferStore } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import { BigsdbFilesRepository } from './bigsdb-files.repository';
import type { SubmissionFile } from './bigsdb-files.schema';
import { fileNameProblem } from './parsing';
import { type OfSubmission, SubmissionAccess } from './submission-access';

/** Chunks small enough for any MongoDB-compatible server's document limit and FerretDB's rows. */
const CHUNK_BYTES = 255 * 1024;

/**
 * Supporting files of submissions, kept in MongoDB as chunks under a random id. The client's file name is a field
 * of the file's record, looked up by equality, never a path anywhere.
 */
@Injectable()
export class BigsdbFilesService {
  constructor(
    private readonly repository: BigsdbFilesRepository,
    private readonly access: SubmissionAccess,
    private readonly transfers: TransferStore,
  ) {}

  async listFiles(call: OfSubmission) {
    const { submission } = await this.access.visible(call);
    return (await this.names(submission._id)).map((name) => this.access.links(call).file(submission._id, name));
  }

  async uploadFile(call: OfSubmission & { filename?: string; upload?: ObjectRef }) {
    try {
      const { submission } = await this.access.visible(call);
      if (!call.filename) throw ServiceError.badRequest('Filename is required.');
      const problem = fileNameProblem(call.filename);
      if (problem) throw ServiceError.badRequest(problem);
      if (!call.upload) throw ServiceError.badRequest('No data in upload.');
      await this.save(submission._id, call.filename, call.upload);
      return { message: 'File uploaded.' };
    } finally {
      if (call.upload) await this.transfers.remove(call.upload);
    }
  }

  async downloadFile(call: OfSubmission & { filename: string }) {
    const { submission } = await this.access.visible(call);
    if (fileNameProblem(call.filename)) throw ServiceError.notFound('File does not exist.');
    return this.download(submission._id, call.filename);
  }

  async deleteFile(call: OfSubmission & { filename: string }) {
    const { submission } = await this.access.visible(call, { ownerOnly: true });
    if (fileNameProblem(call.filename)) throw ServiceError.badRequest('Filename contains invalid characters.');
    await this.delete(submission._id, call.filename);
    return { message: 'File deleted.' };
  }

  /**
   * Copies the bytes the gateway parked into the submission's files; a name already used is refused. The chunks are
   * written first, under a fresh file id, and the record (complete) last, so an upload cut off part-way leaves no
   * record that would hold its name: only chunks nobody points at, which the submission's erasure removes. A record
   * left incomplete by an earlier version of this code holds no file and is reclaimed.
   */
  async save(submissionId: string, filename: string, upload: ObjectRef): Promise<void> {
    const taken = () => ServiceError.badRequest(`File ${filename} is already uploaded.`);
    if (await this.repository.hasCompleteFile(submissionId, filename)) throw taken();
    const fileId = randomUUID();
    let size = 0;
    try {
      let n = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async () => {
        if (!pendingBytes) return;
        const data = Buffer.concat(pending);
        await this.repository.insertChunk({ _id: `${fileId}|${n}`, fileId, submissionId, n, data });
        n += 1;
        size += data.length;
        pending = [];
        pendingBytes = 0;
      };
      for await (const chunk of this.transfers.stream(upload)) {
        pending.push(Buffer.from(chunk));
        pendingBytes += chunk.byteLength;
        if (pendingBytes >= CHUNK_BYTES) await flush();
      }
      await flush();
      if (size === 0) throw ServiceError.badRequest('No data in upload.');
      const file: SubmissionFile = {
        _id: fileId,
        submissionId,
        filename,
        size,
        complete: true,
        uploadedAt: new Date(),
      };
      for (let attempt = 0; ; attempt += 1) {
        try {
          await this.repository.insertFile(file);
          return;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          const holder = await this.repository.findFile(submissionId, filename);
          if (holder?.complete || attempt > 0) throw taken();
          if (holder) await this.remove(holder._id, { complete: false });
        }
      }
    } catch (error) {
      await this.repository.deleteChunksOfFile(fileId);
      throw error;
    }
  }

  /** Names of the complete files, in name order. */
  async names(submissionId: string): Promise<string[]> {
    return (await this.repository.completeFileNames(submissionId)).sort();
  }

  private async find(submissionId: string, filename: string): Promise<SubmissionFile> {
    const file = await this.repository.findCompleteFile(submissionId, filename);
    if (!file) throw ServiceError.notFound('File does not exist.');
    return file;
  }

  /** The file copied into the transfer bucket, chunk by chunk, for the gateway to stream. */
  async download(submissionId: string, filename: string): Promise<ObjectRef> {
    const file = await this.find(submissionId, filename);
    const repository = this.repository;
    async function* chunks() {
      for (let n = 0; ; n += 1) {
        const data = await repository.chunkData(file._id, n);
        if (!data) return;
        yield data;
      }
    }
    return this.transfers.put(Readable.from(chunks()), file.size, 'The file changed while it was read.');
  }

  async delete(submissionId: string, filename: string): Promise<void> {
    await this.remove((await this.find(submissionId, filename))._id);
  }

  /** Every file of a submission, whatever its state, and chunks of uploads that never got a record. */
  async deleteAll(submissionId: string): Promise<void> {
    for (const fileId of await this.repository.fileIdsOf(submissionId)) await this.remove(fileId);
    await this.repository.deleteChunksOfSubmission(submissionId);
  }

  /** A file's chunks, then its record (only while it still matches `state`). */
  private async remove(fileId: string, state: Partial<Pick<SubmissionFile, 'complete'>> = {}): Promise<void> {
    await this.repository.deleteChunksOfFile(fileId);
    await this.repository.deleteFile(fileId, state);
  }
}
