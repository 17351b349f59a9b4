import { type ParsedRequest, TypingSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { UsersService } from './users.service';

/** typing-db.users.* and typing-db.curators.*: a database's users. */
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @HandleRequest(TypingSubjects.listCurators)
  listCurators({ baseUri, database }: ParsedRequest<typeof TypingSubjects.listCurators>) {
    return this.users.listCurators(baseUri, database);
  }

  @HandleRequest(TypingSubjects.getUser)
  getUser({ database, userId }: ParsedRequest<typeof TypingSubjects.getUser>) {
    return this.users.getUser(database, userId);
  }
}
