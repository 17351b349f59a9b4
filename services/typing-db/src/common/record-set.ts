import { datesMatch, type DateConditions } from './filters';
import { type PageWindow, pageSlice } from './paging';

/** How many date selections a record set keeps. */
const REMEMBERED_SELECTIONS = 16;

/** A record BIGSdb lists by date: date_entered and datestamp, as YYYY-MM-DD. */
export interface DatedRecord {
  dateEntered: string;
  datestamp: string;
}

/**
 * A locus's alleles or a scheme's profiles held in memory, whole, in BIGSdb's order (integer ids numerically,
 * then text ids): records by id, and the ids of those that are listed with the dates BIGSdb reports beside the
 * list. Built once per version of the locus or scheme (an import or a curator's addition changes it), so a
 * record, a page or a date-filtered page is a look-up or a scan in memory, never a query.
 */
export class RecordSet<R extends DatedRecord> {
  private readonly byId: Map<string, R>;
  private readonly listed: R[];
  /** The listed records' ids, in order. */
  readonly ids: string[];
  readonly lastAdded?: string;
  readonly lastUpdated?: string;
  /** The last few date selections (clients page through one filter): their records and latest datestamp. */
  private readonly selections = new Map<string, { records: R[]; lastUpdated?: string }>();

  /** `rows` in any order; `order` is the record's numeric rank (integer ids), `listed` says whether lists show it. */
  constructor(
    rows: R[],
    private readonly idOf: (record: R) => string,
    order: (record: R) => number,
    listed: (record: R) => boolean = () => true,
  ) {
    const sorted = [...rows].sort((a, b) => {
      const byOrder = order(a) - order(b);
      if (byOrder) return byOrder;
      const [x, y] = [idOf(a), idOf(b)];
      return x < y ? -1 : x > y ? 1 : 0;
    });
    this.byId = new Map(sorted.map((record) => [idOf(record), record]));
    this.listed = sorted.filter(listed);
    this.ids = this.listed.map(idOf);
    const latest = RecordSet.latest(this.listed);
    this.lastAdded = latest.added;
    this.lastUpdated = latest.updated;
  }

  private static latest(records: DatedRecord[]): { added?: string; updated?: string } {
    let added: string | undefined;
    let updated: string | undefined;
    for (const record of records) {
      if (!added || record.dateEntered > added) added = record.dateEntered;
      if (!updated || record.datestamp > updated) updated = record.datestamp;
    }
    return { added, updated };
  }

  get(id: string): R | undefined {
    return this.byId.get(id);
  }

  /** The listed records, in order. */
  records(): readonly R[] {
    return this.listed;
  }

  /** A window of the listed records within the date conditions: how many there are, their ids, the latest datestamp. */
  page(dates: DateConditions, window: PageWindow): { total: number; ids: string[]; lastUpdated?: string } {
    if (!Object.keys(dates).length)
      return { total: this.ids.length, ids: pageSlice(this.ids, window), lastUpdated: this.lastUpdated };
    const key = JSON.stringify(dates);
    let selection = this.selections.get(key);
    if (!selection) {
      const records = this.listed.filter((record) => datesMatch(dates, record));
      selection = { records, lastUpdated: RecordSet.latest(records).updated };
      if (this.selections.size >= REMEMBERED_SELECTIONS) this.selections.delete(this.selections.keys().next().value!);
      this.selections.set(key, selection);
    }
    return {
      total: selection.records.length,
      ids: pageSlice(selection.records, window).map(this.idOf),
      lastUpdated: selection.lastUpdated,
    };
  }
}
