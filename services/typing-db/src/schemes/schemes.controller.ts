import { type ParsedRequest, TypingSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { SchemesService } from './schemes.service';

/** typing-db.schemes.*, typing-db.scheme-fields.* and typing-db.scheme-loci.*. */
@Controller()
export class SchemesController {
  constructor(private readonly schemes: SchemesService) {}

  @HandleRequest(TypingSubjects.listSchemes)
  listSchemes({ baseUri, database, withPk }: ParsedRequest<typeof TypingSubjects.listSchemes>) {
    return this.schemes.listSchemes(baseUri, database, withPk);
  }

  @HandleRequest(TypingSubjects.getScheme)
  getScheme({ baseUri, database, schemeId }: ParsedRequest<typeof TypingSubjects.getScheme>) {
    return this.schemes.getScheme(baseUri, database, schemeId);
  }

  @HandleRequest(TypingSubjects.getSchemeField)
  getSchemeField({ database, schemeId, field }: ParsedRequest<typeof TypingSubjects.getSchemeField>) {
    return this.schemes.getSchemeField(database, schemeId, field);
  }

  @HandleRequest(TypingSubjects.listSchemeLoci)
  listSchemeLoci({ baseUri, database, schemeId, page }: ParsedRequest<typeof TypingSubjects.listSchemeLoci>) {
    return this.schemes.listSchemeLoci(baseUri, database, schemeId, page);
  }
}
