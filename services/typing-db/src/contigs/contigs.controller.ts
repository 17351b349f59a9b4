import { type ParsedRequest, TypingSubjects } from '@helixgate/contracts';
import { HandleRequest, HandleStream } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { ContigsService } from './contigs.service';

/** typing-db.contigs.*: isolates' sequence bins. */
@Controller()
export class ContigsController {
  constructor(private readonly contigs: ContigsService) {}

  @HandleRequest(TypingSubjects.listContigs)
  listContigs({ baseUri, database, isolateId, page }: ParsedRequest<typeof TypingSubjects.listContigs>) {
    return this.contigs.listContigs(baseUri, database, isolateId, page);
  }

  @HandleRequest(TypingSubjects.getContig)
  getContig({ baseUri, database, contigId }: ParsedRequest<typeof TypingSubjects.getContig>) {
    return this.contigs.getContig(baseUri, database, contigId);
  }

  @HandleStream(TypingSubjects.contigsFasta)
  contigsFasta({ database, isolateId, header }: ParsedRequest<typeof TypingSubjects.contigsFasta>) {
    return this.contigs.contigsFasta(database, isolateId, header);
  }
}
