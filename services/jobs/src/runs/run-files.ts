import { type ObjectRef, type ParsedRequest, type JobSubjects, ServiceError } from '@helixgate/contracts';
import { InjectJobFiles, isDuplicateKeyError, TransferStore } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import { FileHoldersRepository } from './file-holders.repository';

/** Largest input file a run takes. */
const INPUT_LIMIT_BYTES = 2 * 1024 ** 3;

/** What a submission did with its inputs so far, so that a failed one leaves nothing behind. */
export interface InputsTaken {
  copied: ObjectRef[];
  holders: string[];
}

/**
 * A run's files. Its inputs: moved from the short-lived upload bucket to the run files (kept until the run is deleted),
 * or, shared by the runs of a batch, held by each run and removed with the last one.
 */
@Injectable()
export class RunFiles {
  constructor(
    private readonly holders: FileHoldersRepository,
    /** Short-lived uploads the gateway parked (they expire on their own). */
    private readonly transfers: TransferStore,
    /** Run files kept until the run is deleted. */
    @InjectJobFiles() private readonly files: TransferStore,
  ) {}

  /**
   * One input of a new run: a copy in the run's files of the upload, or with `sharedInputs` a file another run of
   * the owner holds already, and then held by this run too.
   */
  async take(
    request: ParsedRequest<typeof JobSubjects.submitRun>,
    runId: string,
    ref: ObjectRef,
    taken: InputsTaken,
  ): Promise<ObjectRef> {
    let file = ref;
    if (request.sharedInputs && ref.bucket === this.files.bucket) {
      if (!(await this.holders.isHeldByOwner(ref.name, request.owner)))
        throw ServiceError.badRequest("An input is no file of this owner's runs.");
    } else {
      file = await this.files.put(this.transfers.stream(ref), INPUT_LIMIT_BYTES, 'The input file is too large.');
      taken.copied.push(file);
      // The caller's upload, unless several runs read it.
      if (!request.sharedInputs) await this.transfers.remove(ref);
    }
    if (request.sharedInputs) {
      try {
        taken.holders.push(await this.holders.insert(file.name, runId, request.owner));
      } catch (error) {
        if (isDuplicateKeyError(error)) throw new ServiceError(409, 'conflict', `Run ${runId} exists already.`);
        throw error;
      }
    }
    return file;
  }

  /** A submission that fails after its inputs moved leaves none behind in the bucket that never expires. */
  async discard(taken: InputsTaken): Promise<void> {
    for (const holder of taken.holders) await this.holders.deleteById(holder);
    for (const ref of taken.copied) await this.files.remove(ref);
  }

  /** A deleted run's input: removed unless other runs still hold it. */
  async removeInput(runId: string, ref: ObjectRef): Promise<void> {
    if ((await this.holders.release(ref.name, runId)) && (await this.holders.isHeld(ref.name))) return;
    await this.files.remove(ref);
  }

  /** An output of a run. */
  async removeOutput(ref: ObjectRef): Promise<void> {
    await this.files.remove(ref);
  }
}
