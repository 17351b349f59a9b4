import { ServiceError } from '@helixgate/contracts';
import type { Isolate, Locus, Scheme, TypingDatabase, TypingModels, TypingUser } from './models';
import { isolateKey } from './models';

/** Finding what a route names, with BIGSdb's errors when it is not there (Interface.pm checks, research section 2). */
export class Lookup {
  constructor(private readonly models: TypingModels) {}

  async database(name: string): Promise<TypingDatabase> {
    const db = await this.models.databases.findById(name).lean<TypingDatabase>();
    if (!db) throw ServiceError.notFound(`Database ${name} has not been defined`);
    return db;
  }

  async seqdef(name: string): Promise<TypingDatabase> {
    const db = await this.database(name);
    if (db.type !== 'seqdef') throw ServiceError.badRequest('This is not a sequence definition database.');
    return db;
  }

  async isolates(name: string): Promise<TypingDatabase> {
    const db = await this.database(name);
    if (db.type !== 'isolates') throw ServiceError.badRequest('This is not an isolates database.');
    return db;
  }

  /** The database whose loci, schemes and profiles a database uses: itself, or an isolates database's seqdef. */
  static definitions(db: TypingDatabase): string {
    return db.type === 'isolates' && db.seqdef ? db.seqdef : db._id;
  }

  async locus(db: TypingDatabase, name: string): Promise<Locus> {
    const locus = await this.models.loci.findOne({ database: Lookup.definitions(db), id: name }).lean<Locus>();
    if (!locus) throw ServiceError.notFound(`Locus ${name} does not exist.`);
    return locus;
  }

  async scheme(db: TypingDatabase, schemeId: string): Promise<Scheme> {
    if (!/^\d+$/.test(schemeId)) throw ServiceError.badRequest('Scheme id must be an integer.');
    const scheme = await this.models.schemes
      .findOne({ database: Lookup.definitions(db), id: Number(schemeId) })
      .lean<Scheme>();
    if (!scheme) throw ServiceError.notFound(`Scheme ${schemeId} does not exist.`);
    return scheme;
  }

  async schemeWithPrimaryKey(db: TypingDatabase, schemeId: string): Promise<Scheme> {
    const scheme = await this.scheme(db, schemeId);
    if (!scheme.fields.some((f) => f.primaryKey))
      throw ServiceError.notFound(`Scheme ${schemeId} does not have a primary key field.`);
    return scheme;
  }

  /** An isolate id from a route, checked as BIGSdb checks it. */
  static isolateId(text: string): number {
    if (!/^\d+$/.test(text) || text.length > 15) throw ServiceError.badRequest('Isolate id must be an integer');
    return Number(text);
  }

  async isolate(db: TypingDatabase, isolateId: string): Promise<Isolate> {
    const id = Lookup.isolateId(isolateId);
    const isolate = await this.models.isolates.findById(isolateKey(db._id, id)).lean<Isolate>();
    if (!isolate) throw ServiceError.notFound(`Isolate ${id} does not exist.`);
    return isolate;
  }

  async user(db: TypingDatabase, userId: string): Promise<TypingUser> {
    if (!/^-?\d+$/.test(userId) || userId.length > 15) throw ServiceError.badRequest('User id must be an integer.');
    const user = await this.models.users.findOne({ database: db._id, id: Number(userId) }).lean<TypingUser>();
    if (!user) throw ServiceError.notFound(`User ${Number(userId)} does not exist.`);
    return user;
  }
}

/** Absolute links of a database's resources, as BIGSdb's request->uri_for writes them. */
export class Links {
  readonly root: string;
  constructor(
    readonly baseUri: string,
    readonly database: string,
  ) {
    this.root = `${baseUri}/db/${database}`;
  }
  to(path: string): string {
    return `${this.root}/${path}`;
  }
  /** A user link; BIGSdb leaves out sender and curator when the user id is 0 (the setup user). */
  user(id: number | undefined): string | undefined {
    return id ? `${this.root}/users/${id}` : undefined;
  }
}

/** Drops undefined values, as BIGSdb leaves out keys whose value is undef. */
export function defined<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}
