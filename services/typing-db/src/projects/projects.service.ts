import { type PageRequest, ServiceError, type ReplyOf, type TypingSubjects } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { Links } from '../common/links';
import { Lookup } from '../common/lookup';
import { pageResult, pageSlice, pageWindow } from '../common/paging';
import { IsolateCatalogue } from '../isolates/isolate-catalogue';
import { ProjectsRepository } from './projects.repository';
import type { Project } from './projects.schema';

/** BIGSdb's project routes of isolates databases (Projects.pm). */
@Injectable()
export class ProjectsService {
  constructor(
    private readonly lookup: Lookup,
    private readonly projects: ProjectsRepository,
    private readonly catalogue: IsolateCatalogue,
  ) {}

  /** GET /db/{db}/projects: projects that have current isolates. */
  async listProjects(baseUri: string, name: string) {
    const db = await this.lookup.isolatesDatabase(name);
    const links = new Links(baseUri, name);
    const projects = await this.projects.list(name);
    const catalogue = await this.catalogue.of(db);
    const inUse = new Set(catalogue.entries.filter((e) => e.newVersion === undefined).flatMap((e) => e.projects));
    const listed = projects
      .filter((project) => inUse.has(project.id))
      .map((project) => ({ project: links.to(`projects/${project.id}`), description: project.description }));
    return { records: listed.length, projects: listed };
  }

  private async find(name: string, projectId: string): Promise<Project> {
    if (!/^\d+$/.test(projectId) || projectId.length > 9)
      throw ServiceError.badRequest('Project id must be an integer.');
    const project = await this.projects.find(name, Number(projectId));
    if (!project) throw ServiceError.notFound(`Project ${Number(projectId)} does not exist.`);
    return project;
  }

  /** GET /db/{db}/projects/{id}. */
  async getProject(baseUri: string, name: string, projectId: string) {
    await this.lookup.isolatesDatabase(name);
    const project = await this.find(name, projectId);
    return {
      id: project.id,
      description: project.description,
      isolates: new Links(baseUri, name).to(`projects/${project.id}/isolates`),
    };
  }

  /** GET /db/{db}/projects/{id}/isolates: paged links to the project's current isolates. */
  async listProjectIsolates(baseUri: string, name: string, projectId: string, page: PageRequest) {
    const db = await this.lookup.isolatesDatabase(name);
    const project = await this.find(name, projectId);
    const ids = (await this.catalogue.of(db)).entries
      .filter((e) => e.newVersion === undefined && e.projects.includes(project.id))
      .map((e) => e.id);
    const window = pageWindow(page);
    const links = new Links(baseUri, name);
    const { paging, headers } = pageResult(window, ids.length, page, baseUri);
    const body: ReplyOf<typeof TypingSubjects.listProjectIsolates>['body'] = {
      records: ids.length,
      isolates: pageSlice(ids, window).map((id) => links.to(`isolates/${id}`)),
    };
    if (paging) body.paging = paging;
    return { body, headers };
  }
}
