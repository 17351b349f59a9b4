import { type ParsedRequest, TypingSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { ProjectsService } from './projects.service';

/** typing-db.projects.* and typing-db.project-isolates.*. */
@Controller()
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @HandleRequest(TypingSubjects.listProjects)
  listProjects({ baseUri, database }: ParsedRequest<typeof TypingSubjects.listProjects>) {
    return this.projects.listProjects(baseUri, database);
  }

  @HandleRequest(TypingSubjects.getProject)
  getProject({ baseUri, database, projectId }: ParsedRequest<typeof TypingSubjects.getProject>) {
    return this.projects.getProject(baseUri, database, projectId);
  }

  @HandleRequest(TypingSubjects.listProjectIsolates)
  listProjectIsolates({
    baseUri,
    database,
    projectId,
    page,
  }: ParsedRequest<typeof TypingSubjects.listProjectIsolates>) {
    return this.projects.listProjectIsolates(baseUri, database, projectId, page);
  }
}
