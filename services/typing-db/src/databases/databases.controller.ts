import { type ParsedRequest, TypingSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { DatabasesService } from './databases.service';

/** typing-db.resources.* and typing-db.databases.*: the resource groups and each database's resources. */
@Controller()
export class DatabasesController {
  constructor(private readonly databases: DatabasesService) {}

  @HandleRequest(TypingSubjects.listResources)
  listResources({ baseUri }: ParsedRequest<typeof TypingSubjects.listResources>) {
    return this.databases.listResources(baseUri);
  }

  @HandleRequest(TypingSubjects.getDatabase)
  getDatabase({ baseUri, database }: ParsedRequest<typeof TypingSubjects.getDatabase>) {
    return this.databases.getDatabase(baseUri, database);
  }
}
