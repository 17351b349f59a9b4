import { type ParsedRequest, TypingSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { FieldsService } from './fields.service';

/** typing-db.fields.* and typing-db.field-values.*: an isolates database's provenance fields. */
@Controller()
export class FieldsController {
  constructor(private readonly fields: FieldsService) {}

  @HandleRequest(TypingSubjects.listFields)
  listFields({ baseUri, database }: ParsedRequest<typeof TypingSubjects.listFields>) {
    return this.fields.listFields(baseUri, database);
  }

  @HandleRequest(TypingSubjects.listFieldValues)
  listFieldValues({ baseUri, database, field, page }: ParsedRequest<typeof TypingSubjects.listFieldValues>) {
    return this.fields.listFieldValues(baseUri, database, field, page);
  }
}
