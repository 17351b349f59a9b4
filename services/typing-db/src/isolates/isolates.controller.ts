import { type ParsedRequest, TypingSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { IsolatesService } from './isolates.service';

/** typing-db.isolates.*, typing-db.genomes.* and typing-db.isolate-history.*. */
@Controller()
export class IsolatesController {
  constructor(private readonly isolates: IsolatesService) {}

  @HandleRequest(TypingSubjects.listIsolates)
  listIsolates({ baseUri, database, page }: ParsedRequest<typeof TypingSubjects.listIsolates>) {
    return this.isolates.listIsolates(baseUri, database, page);
  }

  @HandleRequest(TypingSubjects.listGenomes)
  listGenomes({ baseUri, database, page }: ParsedRequest<typeof TypingSubjects.listGenomes>) {
    return this.isolates.listGenomes(baseUri, database, page);
  }

  @HandleRequest(TypingSubjects.searchIsolates)
  searchIsolates({ baseUri, database, terms, page }: ParsedRequest<typeof TypingSubjects.searchIsolates>) {
    return this.isolates.searchIsolates(baseUri, database, terms, page);
  }

  @HandleRequest(TypingSubjects.getIsolate)
  getIsolate({ baseUri, database, isolateId, provenanceOnly }: ParsedRequest<typeof TypingSubjects.getIsolate>) {
    return this.isolates.getIsolate(baseUri, database, isolateId, provenanceOnly);
  }

  @HandleRequest(TypingSubjects.getIsolateHistory)
  getIsolateHistory({ baseUri, database, isolateId }: ParsedRequest<typeof TypingSubjects.getIsolateHistory>) {
    return this.isolates.getIsolateHistory(baseUri, database, isolateId);
  }
}
