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

/** A locus's alleles or a scheme's profiles in BIGSdb order, with the dates BIGSdb reports beside the list. */
export interface OrderedRecords {
  ids: string[];
  lastAdded?: string;
  lastUpdated?: string;
}

/** Ordered rows → their ids and latest dates. */
export function orderedRecords(rows: Array<{ id: string; dateEntered: string; datestamp: string }>): OrderedRecords {
  let lastAdded: string | undefined;
  let lastUpdated: string | undefined;
  for (const row of rows) {
    if (!lastAdded || row.dateEntered > lastAdded) lastAdded = row.dateEntered;
    if (!lastUpdated || row.datestamp > lastUpdated) lastUpdated = row.datestamp;
  }
  return { ids: rows.map((r) => r.id), lastAdded, lastUpdated };
}
