/** A locus's alleles or a scheme's profiles in BIGSdb order, with the dates BIGSdb reports beside the list. */
export interface OrderedRecords {
  ids: string[];
  lastAdded?: string;
  lastUpdated?: string;
}

interface Row {
  id: string;
  dateEntered: string;
  datestamp: string;
}

/**
 * Ordered id lists kept in memory per locus or scheme, reloaded when the importer changes the owner's version.
 * Counting, sorting and paging 19,000 documents is a scan of them all on the MongoDB-compatible server used in
 * development (seconds on FerretDB); a page from the list is a slice. Filtered requests still go to the database.
 */
export class RecordIndex {
  private readonly lists = new Map<string, { version: number | undefined; records: Promise<OrderedRecords> }>();

  get(key: string, version: number | undefined, load: () => Promise<Row[]>): Promise<OrderedRecords> {
    const cached = this.lists.get(key);
    if (cached && cached.version === version) return cached.records;
    const records = load().then((rows) => {
      let lastAdded: string | undefined;
      let lastUpdated: string | undefined;
      for (const row of rows) {
        if (!lastAdded || row.dateEntered > lastAdded) lastAdded = row.dateEntered;
        if (!lastUpdated || row.datestamp > lastUpdated) lastUpdated = row.datestamp;
      }
      return { ids: rows.map((r) => r.id), lastAdded, lastUpdated };
    });
    this.lists.set(key, { version, records });
    records.catch(() => this.lists.get(key)?.records === records && this.lists.delete(key));
    return records;
  }
}
