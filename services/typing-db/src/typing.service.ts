import { type PageRequest, ServiceError } from '@helixgate/contracts';
import type { Allele, Locus, Scheme, TypingDatabase, TypingModels } from './models';
import { alleleKey } from './models';
import { pageResult, pageWindow } from './paging';

const EXCLUDED_ALLELE_IDS = ['0', 'N', 'P'];

/** BIGSdb's read routes over the typing database: shapes and texts of lib/BIGSdb/REST/Routes/*.pm. */
export class TypingService {
  constructor(private readonly models: TypingModels) {}

  /** GET / and /db: resource groups, ordered by name, each with its databases. */
  async resources(baseUri: string) {
    const databases = await this.models.databases.find().sort({ _id: 1 }).lean<TypingDatabase[]>();
    const groups = new Map<string, { name: string; description: string; databases: Array<Record<string, string>> }>();
    for (const db of databases) {
      const group = groups.get(db.group.name) ?? { name: db.group.name, description: db.group.description, databases: [] };
      group.databases.push({ name: db._id, description: db.description, href: `${baseUri}/db/${db._id}` });
      groups.set(db.group.name, group);
    }
    return [...groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** GET /db/{db}: the resources it offers (seqdef: loci, schemes, sequences, curators). */
  async database(baseUri: string, name: string) {
    const db = await this.find(name);
    const root = `${baseUri}/db/${name}`;
    const body: Record<string, unknown> = { curators: `${root}/curators` };
    if (await this.models.loci.exists({ database: name })) body.loci = `${root}/loci`;
    if (await this.models.schemes.exists({ database: name })) body.schemes = `${root}/schemes`;
    if (db.type === 'seqdef') body.sequences = `${root}/sequences`;
    return body;
  }

  /** GET /db/{db}/loci: paged, ordered by locus name. */
  async loci(baseUri: string, name: string, page: PageRequest) {
    await this.find(name);
    const window = pageWindow(page);
    const total = await this.models.loci.countDocuments({ database: name });
    const query = this.models.loci.find({ database: name }, { id: 1 }).sort({ id: 1 }).skip(window.offset);
    const loci = await (window.limit === undefined ? query : query.limit(window.limit)).lean<Array<Pick<Locus, 'id'>>>();
    const { paging, headers } = pageResult(window, total, page, baseUri);
    return { body: { records: total, loci: loci.map((l) => `${baseUri}/db/${name}/loci/${l.id}`), ...(paging ? { paging } : {}) }, headers };
  }

  /** GET /db/{db}/loci/{locus}. */
  async locus(baseUri: string, name: string, locusName: string) {
    const db = await this.find(name);
    const locus = await this.findLocus(name, locusName);
    const root = `${baseUri}/db/${name}`;
    const schemes = await this.models.schemes.find({ database: name, loci: locus.id }).sort({ id: 1 }).lean<Scheme[]>();
    const body: Record<string, unknown> = {
      id: locus.id,
      data_type: locus.dataType,
      allele_id_format: locus.alleleIdFormat,
      length_varies: locus.lengthVaries,
      coding_sequence: true,
    };
    if (!locus.lengthVaries && locus.minLength !== undefined) body.length = locus.minLength;
    if (schemes.length) body.schemes = schemes.map((s) => ({ scheme: `${root}/schemes/${s.id}`, description: s.description }));
    if (db.type === 'seqdef') {
      if (locus.lengthVaries) Object.assign(body, { min_length: locus.minLength, max_length: locus.maxLength });
      body.alleles = `${root}/loci/${locus.id}/alleles`;
      body.alleles_fasta = `${root}/loci/${locus.id}/alleles_fasta`;
    }
    return body;
  }

  /** GET /db/{db}/loci/{locus}/alleles: paged, integer ids in numeric order, 0/N/P left out. */
  async alleles(baseUri: string, name: string, locusName: string, page: PageRequest) {
    await this.seqdef(name);
    const locus = await this.findLocus(name, locusName);
    const filter = { database: name, locus: locus.id, alleleId: { $nin: EXCLUDED_ALLELE_IDS } };
    const window = pageWindow(page);
    const total = await this.models.alleles.countDocuments(filter);
    const query = this.models.alleles.find(filter, { alleleId: 1 }).sort({ order: 1, alleleId: 1 }).skip(window.offset);
    const rows = await (window.limit === undefined ? query : query.limit(window.limit)).lean<Array<Pick<Allele, 'alleleId'>>>();
    const latest = await this.models.alleles.findOne(filter, { datestamp: 1 }).sort({ datestamp: -1 }).lean<Pick<Allele, 'datestamp'>>();
    const { paging, headers } = pageResult(window, total, page, baseUri);
    const root = `${baseUri}/db/${name}/loci/${locus.id}/alleles`;
    const body: Record<string, unknown> = { records: total, alleles: rows.map((a) => `${root}/${a.alleleId}`) };
    if (latest) body.last_updated = latest.datestamp;
    if (paging) body.paging = paging;
    return { body, headers };
  }

  /** GET /db/{db}/loci/{locus}/alleles/{id}. */
  async allele(baseUri: string, name: string, locusName: string, alleleId: string) {
    await this.seqdef(name);
    const locus = await this.findLocus(name, locusName);
    const allele = await this.models.alleles.findById(alleleKey(name, locus.id, alleleId)).lean<Allele>();
    if (!allele) throw ServiceError.notFound(`Allele ${locus.id}-${alleleId} does not exist.`);
    return {
      locus: `${baseUri}/db/${name}/loci/${locus.id}`,
      allele_id: allele.alleleId,
      sequence: allele.sequence,
      status: allele.status,
      type_allele: false,
      date_entered: allele.dateEntered,
      datestamp: allele.datestamp,
    };
  }

  private async find(name: string): Promise<TypingDatabase> {
    const db = await this.models.databases.findById(name).lean<TypingDatabase>();
    if (!db) throw ServiceError.notFound(`Database ${name} has not been defined`);
    return db;
  }

  private async seqdef(name: string): Promise<TypingDatabase> {
    const db = await this.find(name);
    if (db.type !== 'seqdef') throw ServiceError.badRequest('This is not a sequence definition database.');
    return db;
  }

  private async findLocus(database: string, name: string): Promise<Locus> {
    const locus = await this.models.loci.findOne({ database, id: name }).lean<Locus>();
    if (!locus) throw ServiceError.notFound(`Locus ${name} does not exist.`);
    return locus;
  }
}
