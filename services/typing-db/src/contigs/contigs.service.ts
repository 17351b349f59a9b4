import { type PageRequest, ServiceError, type ReplyOf, type TypingSubjects } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { streamDownload } from '../common/downloads';
import { defined, Links } from '../common/links';
import { Lookup } from '../common/lookup';
import { pageResult, pageWindow } from '../common/paging';
import { ContigsRepository } from './contigs.repository';
import { contigKey } from './contigs.schema';

/** Characters of a contig sent at a time in a download. */
const FASTA_CHUNK = 1 << 20;

/** BIGSdb's sequence bin routes of isolates databases (Contigs.pm). */
@Injectable()
export class ContigsService {
  constructor(
    private readonly lookup: Lookup,
    private readonly contigs: ContigsRepository,
  ) {}

  /** GET /db/{db}/isolates/{id}/contigs: paged contig links, in id order. */
  async listContigs(baseUri: string, name: string, isolateId: string, page: PageRequest) {
    const db = await this.lookup.isolatesDatabase(name);
    const isolate = await this.lookup.isolate(db, isolateId);
    const window = pageWindow(page);
    const { total, ids } = await this.contigs.page(name, isolate.id, window);
    const links = new Links(baseUri, name);
    const { paging, headers } = pageResult(window, total, page, baseUri);
    const body: ReplyOf<typeof TypingSubjects.listContigs>['body'] = {
      records: total,
      contigs: ids.map((id) => links.to(`contigs/${id}`)),
    };
    if (paging) body.paging = paging;
    return { body, headers };
  }

  /** GET /db/{db}/contigs/{id}. */
  async getContig(baseUri: string, name: string, contigId: string) {
    await this.lookup.isolatesDatabase(name);
    if (!/^\d+$/.test(contigId) || contigId.length > 15) throw ServiceError.badRequest('Contig id must be an integer.');
    const key = contigKey(name, Number(contigId));
    const contig = await this.contigs.findById(key);
    const sequence = contig ? await this.contigs.sequence(key) : undefined;
    if (!contig || sequence === undefined) throw ServiceError.notFound(`Contig id-${Number(contigId)} does not exist.`);
    const links = new Links(baseUri, name);
    return defined({
      id: contig.id,
      isolate_id: contig.isolateId,
      sequence,
      length: contig.length,
      method: contig.method || undefined,
      original_designation: contig.originalDesignation || undefined,
      comments: contig.comments || undefined,
      sender: links.user(contig.sender),
      curator: links.user(contig.curator),
      date_entered: contig.dateEntered,
      datestamp: contig.datestamp,
    });
  }

  /** GET /db/{db}/isolates/{id}/contigs_fasta (?header=original_designation), streamed as each contig is read. */
  async contigsFasta(name: string, isolateId: string, header: string | undefined) {
    const db = await this.lookup.isolatesDatabase(name);
    const isolate = await this.lookup.isolate(db, isolateId);
    const useOriginal = header === 'original_designation';
    const contigs = await this.contigs.headers(name, isolate.id);
    const repository = this.contigs;
    async function* fasta() {
      for (const contig of contigs) {
        const sequence = await repository.sequence(contig._id);
        if (sequence === undefined) continue;
        yield `>${useOriginal && contig.originalDesignation ? contig.originalDesignation : contig.id}\n`;
        for (let i = 0; i < sequence.length; i += FASTA_CHUNK) yield sequence.slice(i, i + FASTA_CHUNK);
        yield '\n';
      }
    }
    return streamDownload(fasta());
  }
}
