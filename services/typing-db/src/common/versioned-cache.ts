/**
 * Values derived from a whole locus, scheme or classification kept in memory, reloaded when the importer changes
 * the owner's version. Counting, sorting and paging 19,000 documents is a scan of them all on the
 * MongoDB-compatible server used in development (seconds on FerretDB); reading a cached list is a slice.
 */
export class VersionedCache<T> {
  private readonly values = new Map<string, { version: number | undefined; value: Promise<T> }>();

  get(key: string, version: number | undefined, load: () => Promise<T>): Promise<T> {
    const cached = this.values.get(key);
    if (cached && cached.version === version) return cached.value;
    const value = load();
    this.values.set(key, { version, value });
    value.catch(() => this.values.get(key)?.value === value && this.values.delete(key));
    return value;
  }
}
