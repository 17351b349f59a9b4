import { type RequestOf, ResultsSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { DocumentsService } from './documents.service';

/** The results-import.documents.* subjects. */
@Controller()
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @HandleRequest(ResultsSubjects.create)
  create({ upload }: RequestOf<typeof ResultsSubjects.create>) {
    return this.documents.create(upload);
  }

  @HandleRequest(ResultsSubjects.get)
  get({ id }: RequestOf<typeof ResultsSubjects.get>) {
    return this.documents.get(id);
  }
}
