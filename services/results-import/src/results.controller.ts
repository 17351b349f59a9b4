import {
  INLINE_PAYLOAD_LIMIT_BYTES,
  RESULTS_MAX_DOCUMENT_BYTES,
  ResultsSubjects,
  ServiceError,
} from '@helixgate/contracts';
import { HandleRequest, TransferStore } from '@helixgate/platform';
import { Controller, Inject } from '@nestjs/common';
import { RESULTS_IMPORT_CONFIG, type ResultsImportConfig } from './config';
import { ResultDocumentRepository } from './result-document.repository';
import { checkSubmission, resultId } from './submission';

@Controller()
export class ResultsController {
  constructor(
    private readonly documents: ResultDocumentRepository,
    private readonly transfers: TransferStore,
    @Inject(RESULTS_IMPORT_CONFIG) private readonly config: ResultsImportConfig,
  ) {}

  @HandleRequest(ResultsSubjects.create)
  async create({ upload }: { upload: { bucket: string; name: string; size: number } }) {
    let body: Buffer;
    try {
      body = await this.transfers.read(upload, RESULTS_MAX_DOCUMENT_BYTES);
    } finally {
      await this.transfers.remove(upload);
    }
    const check = checkSubmission(body);
    if (!check.ok) throw new ServiceError(400, 'results.invalid_document', check.message);
    const id = resultId(check.canonical);
    const { row, stored } = await this.documents.store(
      { _id: id, type: check.type, document: check.canonical },
      new Date(),
      this.config.RESULTS_TTL_SECONDS * 1000,
    );
    if (row.document !== check.canonical) {
      // Two different documents with the same 64-bit id: never seen, but never served as each other either.
      throw new ServiceError(
        409,
        'results.id_collision',
        'A different document already holds this id; change the document slightly and post it again.',
      );
    }
    return { id, stored, createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt.toISOString() };
  }

  @HandleRequest(ResultsSubjects.get)
  async get({ id }: { id: string }) {
    const row = await this.documents.findLive(id, new Date());
    if (!row) {
      const hours = Math.round(this.config.RESULTS_TTL_SECONDS / 360) / 10;
      throw ServiceError.notFound(
        `No results are stored under ${id}: the link is wrong or has expired (links live ${hours} hours).`,
      );
    }
    const bytes = Buffer.byteLength(row.document);
    const document =
      bytes <= INLINE_PAYLOAD_LIMIT_BYTES
        ? { inline: row.document }
        : { object: await this.transfers.park(`result-${id}-${row.createdAt.getTime()}`, Buffer.from(row.document)) };
    return {
      id,
      type: row.type,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      document,
    };
  }
}
