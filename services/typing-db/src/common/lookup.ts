import { ServiceError } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { definitionsOf, type TypingDatabase } from '../databases/databases.schema';
import type { Isolate } from '../isolates/isolates.schema';
import { isolateKey } from '../isolates/isolates.schema';
import { IsolatesRepository } from '../isolates/isolates.repository';
import type { Locus } from '../loci/loci.schema';
import type { Scheme } from '../schemes/schemes.schema';
import type { TypingUser } from '../users/users.schema';
import { UsersRepository } from '../users/users.repository';
import { Catalog } from './catalog';

/** Finding what a route names, with BIGSdb's errors when it is not there (Interface.pm checks, research section 2). */
@Injectable()
export class Lookup {
  constructor(
    private readonly catalog: Catalog,
    private readonly isolates: IsolatesRepository,
    private readonly users: UsersRepository,
  ) {}

  async database(name: string): Promise<TypingDatabase> {
    const db = await this.catalog.database(name);
    if (!db) throw ServiceError.notFound(`Database ${name} has not been defined`);
    return db;
  }

  async seqdef(name: string): Promise<TypingDatabase> {
    const db = await this.database(name);
    if (db.type !== 'seqdef') throw ServiceError.badRequest('This is not a sequence definition database.');
    return db;
  }

  async isolatesDatabase(name: string): Promise<TypingDatabase> {
    const db = await this.database(name);
    if (db.type !== 'isolates') throw ServiceError.badRequest('This is not an isolates database.');
    return db;
  }

  async locus(db: TypingDatabase, name: string): Promise<Locus> {
    const locus = await this.catalog.locus(definitionsOf(db), name);
    if (!locus) throw ServiceError.notFound(`Locus ${name} does not exist.`);
    return locus;
  }

  async scheme(db: TypingDatabase, schemeId: string): Promise<Scheme> {
    if (!/^\d+$/.test(schemeId)) throw ServiceError.badRequest('Scheme id must be an integer.');
    const scheme = await this.catalog.scheme(definitionsOf(db), Number(schemeId));
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
    const isolate = await this.isolates.findById(isolateKey(db._id, id));
    if (!isolate) throw ServiceError.notFound(`Isolate ${id} does not exist.`);
    return isolate;
  }

  async user(db: TypingDatabase, userId: string): Promise<TypingUser> {
    if (!/^-?\d+$/.test(userId) || userId.length > 15) throw ServiceError.badRequest('User id must be an integer.');
    const user = await this.users.find(db._id, Number(userId));
    if (!user) throw ServiceError.notFound(`User ${Number(userId)} does not exist.`);
    return user;
  }
}
