import { type ParsedRequest, ResultsSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { DocumentsService } from './documents.service';

/** The results-import.documents.* subjects. */
@Controller()
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @HandleRequest(ResultsSubjects.create)
  create({ body }: ParsedRequest<typeof ResultsSubjects.create>) {
    return this.documents.create(body);
  }

  @HandleRequest(ResultsSubjects.get)
  get({ id }: ParsedRequest<typeof ResultsSubjects.get>) {
    return this.documents.get(id);
  }
}
