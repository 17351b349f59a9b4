import {
  INLINE_PAYLOAD_LIMIT_BYTES,
  type RawJsonBody,
  RESULTS_MAX_DOCUMENT_BYTES,
  ServiceError,
} from '@helixgate/contracts';
import { InjectConfig, TransferStore } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { ResultsImportConfig } from '../config';
import { DocumentsRepository } from './documents.repository';
import { RecentDocuments } from './recent-documents';
import { SubmissionChecker } from './submission-checker';

/** pATLAS result documents: stored once per distinct document, served by id until they expire. */
@Injectable()
export class DocumentsService {
  private readonly recent = new RecentDocuments();

  constructor(
    private readonly documents: DocumentsRepository,
    private readonly transfers: TransferStore,
    private readonly checker: SubmissionChecker,
    @InjectConfig() private readonly config: ResultsImportConfig,
  ) {}

  private async bytes(body: RawJsonBody): Promise<Buffer> {
    if ('text' in body) return Buffer.from(body.text, 'utf8');
    try {
      return await this.transfers.read(body.ref, RESULTS_MAX_DOCUMENT_BYTES);
    } finally {
      await this.transfers.remove(body.ref);
    }
  }

  async create(posted: RawJsonBody) {
    const check = await this.checker.check(await this.bytes(posted));
    if (!check.ok) throw new ServiceError(400, 'results.invalid_document', check.message);
    const { id, digest } = check;
    const now = new Date();
    const known = this.recent.live(id, digest, now);
    if (known)
      return { id, stored: false, createdAt: known.createdAt.toISOString(), expiresAt: known.expiresAt.toISOString() };
    const { row, stored } = await this.documents.store(
      { _id: id, type: check.type, document: check.canonical },
      now,
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
    this.recent.remember(id, { digest, createdAt: row.createdAt, expiresAt: row.expiresAt });
    return { id, stored, createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt.toISOString() };
  }

  async get(id: string) {
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
