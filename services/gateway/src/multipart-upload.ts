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

/**
 * Reads a multipart/form-data body as it arrives: files go straight to the object store (never whole in
 * memory), text fields are kept. On any failure the files already stored are removed and the first error is
 * thrown; a client that goes away mid-upload ends the read.
 */
export function readMultipartUpload(request: Request, transfers: TransferStore, rules: MultipartRules): Promise<MultipartUpload> {
  return new Promise<MultipartUpload>((resolve, reject) => {
    const form: MultipartUpload = { fields: [], files: [] };
    const uploads: Array<Promise<void>> = [];
    let failed: Error | undefined;
    const fail = (error: Error) => {
      failed ??= error;
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        limits: { fileSize: rules.fileMaxBytes, files: rules.maxFiles, fields: rules.maxFields, fieldSize: rules.fieldMaxBytes, parts: rules.maxFiles + rules.maxFields },
      });
    } catch {
      reject(ServiceError.badRequest('The multipart form could not be read.'));
      return;
    }
    parser.on('field', (name, value, { valueTruncated }) => {
      if (valueTruncated) fail(ServiceError.payloadTooLarge(`The form field ${JSON.stringify(name.slice(0, 50))} is longer than ${rules.fieldMaxBytes} bytes.`));
      else form.fields.push([name, value]);
    });
    const stored = new Set<string>();
    parser.on('file', (field, stream, { filename }) => {
      const decision = rules.file(field, stored);
      if (decision !== 'store') {
        stream.resume();
        if (decision instanceof ServiceError) fail(decision);
        return;
      }
      stored.add(field);
      stream.on('limit', () => fail(ServiceError.payloadTooLarge(rules.fileTooLarge(field))));
      uploads.push(
        transfers
          .put(stream, rules.fileMaxBytes, rules.fileTooLarge(field))
          .then((ref) => {
            form.files.push({ field, fileName: (filename ?? field).slice(0, 255), ref });
          })
          .catch((error: Error) => {
            stream.resume();
            fail(error);
          }),
      );
    });
    parser.on('filesLimit', () => fail(ServiceError.badRequest(rules.tooManyFiles)));
    parser.on('fieldsLimit', () => fail(ServiceError.badRequest('Too many form fields.')));
    parser.on('partsLimit', () => fail(ServiceError.badRequest('Too many form parts.')));
    parser.on('error', () => fail(ServiceError.badRequest('The multipart form could not be read.')));
    parser.on('close', () => {
      void Promise.all(uploads).then(async () => {
        if (failed) {
          for (const file of form.files) await transfers.remove(file.ref);
          reject(failed);
        } else resolve(form);
      });
    });
    // A client that goes away mid-upload: busboy is not told by pipe, so end it here (its file streams error out).
    request.on('close', () => {
      if (!request.complete) parser.destroy(new Error('The upload was interrupted.'));
    });
    request.pipe(parser);
  });
}
