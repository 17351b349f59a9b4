import { join } from 'node:path';
import { OffThread } from '@helixgate/platform';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { CheckedSubmission } from './submission-worker';

/** Checks posted documents on a worker thread (submission-worker.ts), one at a time, in arrival order. */
@Injectable()
export class SubmissionChecker implements OnApplicationShutdown {
  private readonly thread = new OffThread<Uint8Array, CheckedSubmission>(join(__dirname, 'submission-worker.js'));

  check(body: Buffer): Promise<CheckedSubmission> {
    // A copy the worker owns: the body may be a slice of a shared pool buffer, which cannot be transferred.
    const owned = new Uint8Array(body);
    return this.thread.run(owned, [owned.buffer]);
  }

  onApplicationShutdown(): Promise<void> {
    return this.thread.close();
  }
}
