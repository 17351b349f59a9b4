import type { PageRequest } from '@helixgate/contracts';

/**
 * BIGSdb's date filters (Interface.pm add_filters): `added_after`, `added_on`, `added_reldate`, `updated_after`,
 * `updated_on`, `updated_reldate` on date_entered / datestamp. Dates are YYYY-MM-DD, `today` or `yesterday`;
 * reldate is a whole number of days. A value that is none of these is dropped without an error, as BIGSdb does.
 */
export const RECORD_DATE_FILTERS = [
  'added_after',
  'added_on',
  'added_reldate',
  'updated_after',
  'updated_on',
  'updated_reldate',
] as const;
/** The loci routes filter loci by the dates of their alleles. */
export const ALLELE_DATE_FILTERS = [
  'alleles_added_after',
  'alleles_added_reldate',
  'alleles_updated_after',
  'alleles_updated_reldate',
] as const;

type DateFilter = (typeof RECORD_DATE_FILTERS)[number] | (typeof ALLELE_DATE_FILTERS)[number];

const isoDate = (date: Date) => date.toISOString().slice(0, 10);
const daysAgo = (days: number, now: Date) => isoDate(new Date(now.getTime() - days * 86_400_000));

/** A YYYY-MM-DD that is a real calendar date, or today / yesterday (UTC, as the server's date). */
export function filterDate(value: string, now = new Date()): string | undefined {
  if (value === 'today') return isoDate(now);
  if (value === 'yesterday') return daysAgo(1, now);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && isoDate(parsed) === value ? value : undefined;
}

/** The first value of each query parameter, as BIGSdb's params reads them. */
export function queryValues(query: PageRequest['query']): Map<string, string> {
  const values = new Map<string, string>();
  for (const [key, value] of query) if (!values.has(key)) values.set(key, value);
  return values;
}

/** Conditions on dateEntered / datestamp, in MongoDB's filter form: `{datestamp: {$gt: '2024-01-01'}}`. */
export type DateConditions = Partial<
  Record<'dateEntered' | 'datestamp', Partial<Record<'$gt' | '$gte' | '$eq', string>>>
>;

/** A MongoDB filter on dateEntered / datestamp for the allowed filters present and valid in the query. */
export function dateFilter(
  query: PageRequest['query'],
  allowed: readonly DateFilter[],
  now = new Date(),
): DateConditions {
  const values = queryValues(query);
  const filter: Record<string, Record<string, string>> = {};
  const add = (field: string, op: string, value: string) => {
    filter[field] = { ...filter[field], [op]: value };
  };
  for (const name of allowed) {
    const raw = values.get(name);
    if (raw === undefined) continue;
    const field = /(^|_)added_/.test(name) ? 'dateEntered' : 'datestamp';
    if (name.endsWith('_reldate')) {
      if (!/^\d+$/.test(raw)) continue;
      add(field, '$gte', daysAgo(Number(raw), now));
      continue;
    }
    const date = filterDate(raw, now);
    if (date === undefined) continue;
    if (name.endsWith('_after')) add(field, '$gt', date);
    else add(field, '$eq', date);
  }
  return filter;
}

/** Whether a record's dates meet the conditions, as the MongoDB filter would select it (dates compare as text). */
export function datesMatch(conditions: DateConditions, record: { dateEntered: string; datestamp: string }): boolean {
  for (const field of ['dateEntered', 'datestamp'] as const) {
    const condition = conditions[field];
    if (!condition) continue;
    const value = record[field];
    if (condition.$gt !== undefined && !(value > condition.$gt)) return false;
    if (condition.$gte !== undefined && !(value >= condition.$gte)) return false;
    if (condition.$eq !== undefined && value !== condition.$eq) return false;
  }
  return true;
}
