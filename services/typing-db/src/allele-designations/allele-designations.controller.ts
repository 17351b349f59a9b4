import { type ParsedRequest, TypingSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { AlleleDesignationsService } from './allele-designations.service';

/** typing-db.allele-designations.*, allele-ids.*, scheme-allele-ids.* and scheme-allele-designations.*. */
@Controller()
export class AlleleDesignationsController {
  constructor(private readonly designations: AlleleDesignationsService) {}

  @HandleRequest(TypingSubjects.listDesignations)
  listDesignations({ baseUri, database, isolateId, page }: ParsedRequest<typeof TypingSubjects.listDesignations>) {
    return this.designations.listDesignations(baseUri, database, isolateId, page);
  }

  @HandleRequest(TypingSubjects.getDesignations)
  getDesignations({ baseUri, database, isolateId, locus }: ParsedRequest<typeof TypingSubjects.getDesignations>) {
    return this.designations.getDesignations(baseUri, database, isolateId, locus);
  }

  @HandleRequest(TypingSubjects.listAlleleIds)
  listAlleleIds({ baseUri, database, isolateId, page }: ParsedRequest<typeof TypingSubjects.listAlleleIds>) {
    return this.designations.listAlleleIds(baseUri, database, isolateId, page);
  }

  @HandleRequest(TypingSubjects.getSchemeAlleleIds)
  getSchemeAlleleIds({ database, isolateId, schemeId }: ParsedRequest<typeof TypingSubjects.getSchemeAlleleIds>) {
    return this.designations.getSchemeAlleleIds(database, isolateId, schemeId);
  }

  @HandleRequest(TypingSubjects.getSchemeDesignations)
  getSchemeDesignations({
    baseUri,
    database,
    isolateId,
    schemeId,
  }: ParsedRequest<typeof TypingSubjects.getSchemeDesignations>) {
    return this.designations.getSchemeDesignations(baseUri, database, isolateId, schemeId);
  }
}
