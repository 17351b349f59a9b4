import { type ParsedRequest, TypingSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { LociService } from './loci.service';

/** typing-db.loci.*. */
@Controller()
export class LociController {
  constructor(private readonly loci: LociService) {}

  @HandleRequest(TypingSubjects.listLoci)
  listLoci({ baseUri, database, page }: ParsedRequest<typeof TypingSubjects.listLoci>) {
    return this.loci.listLoci(baseUri, database, page);
  }

  @HandleRequest(TypingSubjects.getLocus)
  getLocus({ baseUri, database, locus }: ParsedRequest<typeof TypingSubjects.getLocus>) {
    return this.loci.getLocus(baseUri, database, locus);
  }
}
