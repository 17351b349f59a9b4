import { type ParsedRequest, TypingSubjects } from '@helixgate/contracts';
import { HandleRequest, HandleStream } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { AllelesService } from './alleles.service';

/** typing-db.alleles.* and typing-db.sequences.get: a seqdef database's alleles. */
@Controller()
export class AllelesController {
  constructor(private readonly alleles: AllelesService) {}

  @HandleRequest(TypingSubjects.listAlleles)
  listAlleles({ baseUri, database, locus, page }: ParsedRequest<typeof TypingSubjects.listAlleles>) {
    return this.alleles.listAlleles(baseUri, database, locus, page);
  }

  @HandleRequest(TypingSubjects.getAllele)
  getAllele({ baseUri, database, locus, alleleId }: ParsedRequest<typeof TypingSubjects.getAllele>) {
    return this.alleles.getAllele(baseUri, database, locus, alleleId);
  }

  @HandleStream(TypingSubjects.allelesFasta)
  allelesFasta({ database, locus }: ParsedRequest<typeof TypingSubjects.allelesFasta>) {
    return this.alleles.allelesFasta(database, locus);
  }

  @HandleRequest(TypingSubjects.getSequences)
  getSequences({ baseUri, database }: ParsedRequest<typeof TypingSubjects.getSequences>) {
    return this.alleles.getSequences(baseUri, database);
  }
}
