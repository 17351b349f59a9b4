import { Injectable } from '@nestjs/common';
import { defined, Links } from '../common/links';
import { Catalog } from '../common/catalog';
import { Lookup } from '../common/lookup';
import { DatabasesRepository } from '../databases/databases.repository';
import { UsersRepository } from './users.repository';
import type { TypingUser } from './users.schema';

export interface UserSpec {
  database: string;
  id?: number;
  firstName: string;
  surname: string;
  affiliation: string;
  email: string;
  status: TypingUser['status'];
  /** The Helixgate account (its e-mail) the user signs in with; defaults to the user's e-mail. */
  account?: string;
}

/** A database's users: BIGSdb's users and curators routes, and adding users (`npm run typing -- add-user`). */
@Injectable()
export class UsersService {
  constructor(
    private readonly lookup: Lookup,
    private readonly users: UsersRepository,
    private readonly databases: DatabasesRepository,
    private readonly catalog: Catalog,
  ) {}

  /** Links to the database's curators and admins (user id > 0), in id order. */
  async curatorLinks(baseUri: string, name: string): Promise<string[]> {
    const links = new Links(baseUri, name);
    return (await this.catalog.curatorIds(name)).map((id) => links.user(id)!);
  }

  /** GET /db/{db}/curators: from the database, so a user added a moment ago by `add-user` is listed. */
  async listCurators(baseUri: string, name: string) {
    await this.lookup.database(name);
    const links = new Links(baseUri, name);
    const curators = (await this.users.curatorIds(name)).map((id) => links.user(id)!);
    return { records: curators.length, curators };
  }

  /** GET /db/{db}/users/{id}: the e-mail only for curators and admins (BIGSdb with privacy on). */
  async getUser(name: string, userId: string) {
    const db = await this.lookup.database(name);
    const user = await this.lookup.user(db, userId);
    return defined({
      id: user.id,
      first_name: user.firstName,
      surname: user.surname,
      affiliation: user.affiliation,
      email: user.status === 'user' || user.status === 'submitter' ? undefined : user.email,
    });
  }

  /** Adds a user to a database, or updates the user with that id (or, without an id, that e-mail). */
  async save(spec: UserSpec): Promise<TypingUser> {
    if (!(await this.databases.exists(spec.database))) throw new Error(`database ${spec.database} does not exist here`);
    const byEmail = spec.id === undefined ? await this.users.findByEmail(spec.database, spec.email) : null;
    const last = await this.users.lastId(spec.database);
    const id = spec.id ?? byEmail?.id ?? Math.max(1, (last ?? 0) + 1);
    const user: TypingUser = {
      database: spec.database,
      id,
      firstName: spec.firstName,
      surname: spec.surname,
      affiliation: spec.affiliation,
      email: spec.email,
      status: spec.status,
      account: (spec.account ?? spec.email).toLowerCase(),
    };
    await this.users.save(user);
    return user;
  }
}
