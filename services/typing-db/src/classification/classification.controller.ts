import { type ParsedRequest, TypingSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { ClassificationService } from './classification.service';

/** typing-db.classification-schemes.* and typing-db.classification-groups.*. */
@Controller()
export class ClassificationController {
  constructor(private readonly classification: ClassificationService) {}

  @HandleRequest(TypingSubjects.listClassificationSchemes)
  listClassificationSchemes({ baseUri, database }: ParsedRequest<typeof TypingSubjects.listClassificationSchemes>) {
    return this.classification.listClassificationSchemes(baseUri, database);
  }

  @HandleRequest(TypingSubjects.getClassificationScheme)
  getClassificationScheme({
    baseUri,
    database,
    classificationSchemeId,
  }: ParsedRequest<typeof TypingSubjects.getClassificationScheme>) {
    return this.classification.getClassificationScheme(baseUri, database, classificationSchemeId);
  }

  @HandleRequest(TypingSubjects.listClassificationGroups)
  listClassificationGroups({
    baseUri,
    database,
    classificationSchemeId,
    page,
  }: ParsedRequest<typeof TypingSubjects.listClassificationGroups>) {
    return this.classification.listClassificationGroups(baseUri, database, classificationSchemeId, page);
  }

  @HandleRequest(TypingSubjects.getClassificationGroup)
  getClassificationGroup({
    baseUri,
    database,
    classificationSchemeId,
    groupId,
    page,
  }: ParsedRequest<typeof TypingSubjects.getClassificationGroup>) {
    return this.classification.getClassificationGroup(baseUri, database, classificationSchemeId, groupId, page);
  }
}
