import type { ResultType } from '@helixgate/contracts';
import { serveOffThread } from '@helixgate/platform';
import { checkSubmission, resultIdentity } from './submission';

/** A posted document checked, canonicalised and hashed: what the service stores, or why it refuses it. */
export type CheckedSubmission =
  { ok: true; type: ResultType; canonical: string; id: string; digest: string } | { ok: false; message: string };

/** The worker thread behind SubmissionChecker: up to a second of CPU per 10 MB document, off the event loop. */
serveOffThread((body: Uint8Array): CheckedSubmission => {
  const check = checkSubmission(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  return check.ok
    ? { ok: true, type: check.type, canonical: check.canonical, ...resultIdentity(check.canonical) }
    : check;
});
