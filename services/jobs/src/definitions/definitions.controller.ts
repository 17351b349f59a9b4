import { JobSubjects, type ParsedRequest } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { DefinitionsService } from './definitions.service';

/** The jobs.definitions.* subjects. */
@Controller()
export class DefinitionsController {
  constructor(private readonly definitions: DefinitionsService) {}

  @HandleRequest(JobSubjects.putDefinition)
  putDefinition(definition: ParsedRequest<typeof JobSubjects.putDefinition>) {
    return this.definitions.putDefinition(definition);
  }

  @HandleRequest(JobSubjects.listDefinitions)
  listDefinitions() {
    return this.definitions.listDefinitions();
  }

  @HandleRequest(JobSubjects.getDefinition)
  getDefinition({ name }: ParsedRequest<typeof JobSubjects.getDefinition>) {
    return this.definitions.getDefinition(name);
  }
}
