import type { ReplyOf, ResourceGroup, TypingSubjects } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { Catalog } from '../common/catalog';
import { Lookup } from '../common/lookup';
import { ProjectsRepository } from '../projects/projects.repository';
import { definitionsOf } from './databases.schema';

/** BIGSdb's resource and database routes (Root.pm, Database.pm). */
@Injectable()
export class DatabasesService {
  constructor(
    private readonly lookup: Lookup,
    private readonly catalog: Catalog,
    private readonly projects: ProjectsRepository,
  ) {}

  /** GET / and /db: resource groups, ordered by name, each with its databases. */
  async listResources(baseUri: string) {
    const databases = await this.catalog.allDatabases();
    const groups = new Map<string, ResourceGroup>();
    for (const db of databases) {
      const group = groups.get(db.group.name) ?? {
        name: db.group.name,
        description: db.group.description,
        databases: [],
      };
      group.databases.push({ name: db._id, description: db.description, href: `${baseUri}/db/${db._id}` });
      groups.set(db.group.name, group);
    }
    return [...groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** GET /db/{db}: the resources it offers (seqdef: sequences; isolates: isolates, fields, genomes, projects). */
  async getDatabase(baseUri: string, name: string) {
    const db = await this.lookup.database(name);
    const definitions = definitionsOf(db);
    const root = `${baseUri}/db/${name}`;
    const body: ReplyOf<typeof TypingSubjects.getDatabase> = { curators: `${root}/curators` };
    const defined = await this.catalog.definitions(definitions);
    if (defined.loci.size) body.loci = `${root}/loci`;
    if (defined.schemes.size) body.schemes = `${root}/schemes`;
    if (db.type === 'seqdef') body.sequences = `${root}/sequences`;
    else {
      Object.assign(body, { isolates: `${root}/isolates`, fields: `${root}/fields`, genomes: `${root}/genomes` });
      if (await this.projects.existsIn(name)) body.projects = `${root}/projects`;
    }
    return body;
  }
}
