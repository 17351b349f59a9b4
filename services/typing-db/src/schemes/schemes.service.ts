import { type PageRequest, ServiceError, type ReplyOf, type TypingSubjects } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { ClassificationMemberships } from '../classification/classification-memberships';
import { Catalog } from '../common/catalog';
import { Lookup } from '../common/lookup';
import { definitionsOf } from '../databases/databases.schema';
import { LociService } from '../loci/loci.service';
import { ProfilesService } from '../profiles/profiles.service';
import { UsersService } from '../users/users.service';

/** BIGSdb's scheme routes (Schemes.pm). */
@Injectable()
export class SchemesService {
  constructor(
    private readonly lookup: Lookup,
    private readonly catalog: Catalog,
    private readonly loci: LociService,
    private readonly profiles: ProfilesService,
    private readonly users: UsersService,
    private readonly memberships: ClassificationMemberships,
  ) {}

  /** GET /db/{db}/schemes (?with_pk=1: only schemes with a primary key). */
  async listSchemes(baseUri: string, name: string, withPk: boolean) {
    const db = await this.lookup.database(name);
    const schemes = (await this.catalog.definitions(definitionsOf(db))).schemesInOrder.filter(
      (s) => !withPk || s.fields.some((f) => f.primaryKey),
    );
    return {
      records: schemes.length,
      schemes: schemes.map((s) => ({ scheme: `${baseUri}/db/${name}/schemes/${s.id}`, description: s.description })),
    };
  }

  /** GET /db/{db}/schemes/{id}. */
  async getScheme(baseUri: string, name: string, schemeId: string) {
    const db = await this.lookup.database(name);
    const scheme = await this.lookup.scheme(db, schemeId);
    const root = `${baseUri}/db/${name}/schemes/${scheme.id}`;
    const pk = scheme.fields.find((f) => f.primaryKey);
    const body: ReplyOf<typeof TypingSubjects.getScheme> = {
      id: scheme.id,
      description: scheme.description,
      has_primary_key_field: Boolean(pk),
      fields: scheme.fields.map((f) => `${root}/fields/${f.name}`),
      locus_count: scheme.loci.length,
      loci: scheme.loci.map((l) => `${baseUri}/db/${name}/loci/${l}`),
      allow_missing_loci: false,
      allow_presence: false,
      display_order: scheme.id,
    };
    if (pk) body.primary_key_field = `${root}/fields/${pk.name}`;
    if (pk && db.type === 'seqdef') {
      const profiles = await this.profiles.profileSet(name, scheme);
      Object.assign(body, {
        records: profiles.ids.length,
        last_added: profiles.lastAdded ?? null,
        last_updated: profiles.lastUpdated ?? null,
        profiles: `${root}/profiles`,
        profiles_csv: `${root}/profiles_csv`,
        curators: await this.users.curatorLinks(baseUri, name),
      });
    }
    const cschemes = await this.memberships.of(db, scheme.id);
    if (cschemes.length)
      body.classification_schemes = cschemes.map((c) => ({
        href: `${baseUri}/db/${name}/classification_schemes/${c.id}`,
        name: c.name,
      }));
    return body;
  }

  /** GET /db/{db}/schemes/{id}/fields/{field}. */
  async getSchemeField(name: string, schemeId: string, fieldName: string) {
    const db = await this.lookup.database(name);
    const scheme = await this.lookup.scheme(db, schemeId);
    const field = scheme.fields.find((f) => f.name === fieldName);
    if (!field) throw ServiceError.notFound(`Scheme field ${fieldName} does not exist.`);
    return { field: field.name, type: field.type, primary_key: field.primaryKey };
  }

  /** GET /db/{db}/schemes/{id}/loci: in scheme order, with the alleles_* date filters on seqdef databases. */
  async listSchemeLoci(baseUri: string, name: string, schemeId: string, page: PageRequest) {
    const db = await this.lookup.database(name);
    const scheme = await this.lookup.scheme(db, schemeId);
    const withAlleles = await this.loci.lociWithAlleles(db, page);
    const loci = withAlleles ? scheme.loci.filter((l) => withAlleles.includes(l)) : scheme.loci;
    return { records: loci.length, loci: loci.map((l) => `${baseUri}/db/${name}/loci/${l}`) };
  }
}
