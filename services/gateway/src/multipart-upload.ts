import type { Readable } from 'node:stream';
import { type ObjectRef, ServiceError } from '@helixgate/contracts';
import type { TransferStore } from '@helixgate/platform';
import busboy from 'busboy';
import type { Request } from 'express';

/** What a multipart form held: its text fields in order (repeats kept) and its stored files. */
export interface MultipartUpload {
  fields: Array<[string, string]>;
  files: Array<{ field: string; fileName: string; ref: ObjectRef }>;
}

export interface MultipartRules {
  /** Whether a file part is stored: 'store', 'ignore' (drained), or an error that fails the form. */
  file(field: string, stored: ReadonlySet<string>): 'store' | 'ignore' | ServiceError;
  fileMaxBytes: number;
  fileTooLarge(field: string): string;
  maxFiles: number;
  maxFields: number;
  fieldMaxBytes: number;
  tooManyFiles: string;
}

/** How long a form may stay open once its whole body has arrived (its last file being stored). */
const CLOSE_AFTER_END_MS = 30_000;

/** Busboy's own messages, said for a client. */
function unreadable(error?: Error): ServiceError {
  const message = error?.message ?? '';
  if (/unexpected end/i.test(message))
    return ServiceError.badRequest('The multipart form ends early: its closing boundary is missing.');
  if (/malformed part header/i.test(message))
    return ServiceError.badRequest('A part header of the multipart form is malformed.');
  return ServiceError.badRequest('The multipart form could not be read.');
}

/**
 * Reads a multipart/form-data body as it arrives: files go straight to the object store (never whole in
 * memory), text fields are kept. Settles once, whatever the body: on the first failure (a malformed or
 * truncated form, a limit, a client gone, the store refusing) reading stops, the rest of the body is
 * discarded, the files already stored are removed and that failure is thrown as a 4xx (or the store's 503).
 */
export function readMultipartUpload(
  request: Request,
  transfers: TransferStore,
  rules: MultipartRules,
): Promise<MultipartUpload> {
  return new Promise<MultipartUpload>((resolve, reject) => {
    const form: MultipartUpload = { fields: [], files: [] };
    const uploads: Array<Promise<void>> = [];
    const fileStreams = new Set<Readable>();
    let failed: Error | undefined;
    let settled = false;
    let parser: busboy.Busboy | undefined;
    let closeGuard: NodeJS.Timeout | undefined;

    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(closeGuard);
      request.off('close', onRequestClose);
      request.off('end', onRequestEnd);
      // Every upload settles: its file stream ends, or is destroyed below.
      void Promise.allSettled(uploads).then(async () => {
        if (failed) {
          for (const file of form.files) await transfers.remove(file.ref);
          reject(failed);
        } else resolve(form);
      });
    };
    const fail = (error: Error) => {
      failed ??= error;
      if (settled) return;
      if (parser) request.unpipe(parser);
      request.resume(); // the rest of the body is discarded, so the client can read the answer
      settle();
      // Not inside busboy's own callback (this may be one): its parser and file streams are ended next tick.
      process.nextTick(() => {
        parser?.destroy();
        for (const stream of fileStreams) stream.destroy();
      });
    };
    const onRequestClose = () => {
      if (!request.complete) fail(ServiceError.badRequest('The upload was interrupted.'));
    };
    // Last resort: a body that has fully arrived yet leaves the form open is not waited on for ever.
    const onRequestEnd = () => {
      closeGuard = setTimeout(() => fail(unreadable()), CLOSE_AFTER_END_MS);
      closeGuard.unref();
    };
    request.on('close', onRequestClose);
    request.on('end', onRequestEnd);
    request.on('error', () => fail(ServiceError.badRequest('The upload was interrupted.')));

    try {
      parser = busboy({
        headers: request.headers,
        limits: {
          fileSize: rules.fileMaxBytes,
          files: rules.maxFiles,
          fields: rules.maxFields,
          fieldSize: rules.fieldMaxBytes,
          parts: rules.maxFiles + rules.maxFields,
        },
      });
    } catch {
      fail(ServiceError.badRequest('The multipart form could not be read: its Content-Type has no boundary.'));
      return;
    }
    parser.on('field', (name, value, { valueTruncated }) => {
      if (valueTruncated)
        fail(
          ServiceError.payloadTooLarge(
            `The form field ${JSON.stringify(name.slice(0, 50))} is longer than ${rules.fieldMaxBytes} bytes.`,
          ),
        );
      else form.fields.push([name, value]);
    });
    const stored = new Set<string>();
    parser.on('file', (field, stream, { filename }) => {
      // Busboy ends a file stream with an error when the form breaks off inside it: always heard.
      stream.on('error', (error) => fail(unreadable(error)));
      if (settled) {
        stream.resume();
        return;
      }
      const decision = rules.file(field, stored);
      if (decision !== 'store') {
        stream.resume();
        if (decision instanceof ServiceError) fail(decision);
        return;
      }
      stored.add(field);
      fileStreams.add(stream);
      stream.on('limit', () => fail(ServiceError.payloadTooLarge(rules.fileTooLarge(field))));
      uploads.push(
        transfers
          .put(stream, rules.fileMaxBytes, rules.fileTooLarge(field))
          .then((ref) => {
            form.files.push({ field, fileName: (filename ?? field).slice(0, 255), ref });
          })
          .catch((error: unknown) => fail(error as Error))
          .finally(() => fileStreams.delete(stream)),
      );
    });
    parser.on('filesLimit', () => fail(ServiceError.badRequest(rules.tooManyFiles)));
    parser.on('fieldsLimit', () => fail(ServiceError.badRequest('Too many form fields.')));
    parser.on('partsLimit', () => fail(ServiceError.badRequest('Too many form parts.')));
    // Busboy emits a malformed part header as an error without ending itself, and the pipe then stops feeding
    // it: the form would never close. Any error fails the form here.
    parser.on('error', (error: Error) => fail(unreadable(error)));
    parser.on('close', settle);
    request.pipe(parser);
  });
}
