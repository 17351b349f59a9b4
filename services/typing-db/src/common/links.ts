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
