import { isDuplicateKeyError } from '@helixgate/platform';
import type { Model } from 'mongoose';
import type { PageWindow } from './paging';

const BATCH = 1000;

/** Rows in arrays of at most `size`, as they come. */
export async function* batches<T>(rows: AsyncIterable<T> | Iterable<T>, size = BATCH): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/**
 * Inserts a batch in one unordered insertMany and says how many rows went in. A row whose unique key is taken (there
 * already, or written by another importer meanwhile) is a duplicate and skipped: the result is the same whoever wins.
 * The unique indexes do the checking, so nothing is read first: on FerretDB every read is a scan of the whole
 * collection, shared by every database, while an insert's unique check is an index lookup on both stores.
 */
export async function insertBatch<T extends { _id: string }>(model: Model<T>, batch: T[]): Promise<number> {
  if (!batch.length) return 0;
  try {
    return (await model.insertMany(batch, { ordered: false, lean: true })).length;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return (error as { insertedDocs?: unknown[] }).insertedDocs?.length ?? 0;
  }
}

/** Inserts rows in batches, duplicates skipped (insertBatch). For repositories' bulk imports. */
export async function insertNew<T extends { _id: string }>(
  model: Model<T>,
  rows: AsyncIterable<T> | Iterable<T>,
): Promise<{ seen: number; inserted: number }> {
  let seen = 0;
  let inserted = 0;
  for await (const batch of batches(rows)) {
    seen += batch.length;
    inserted += await insertBatch(model, batch);
  }
  return { seen, inserted };
}

/** Inserts the rows whose _id is not in `existing`, in batches (insertNew). */
export async function insertMissing<T extends { _id: string }>(
  model: Model<T>,
  existing: Set<string>,
  rows: AsyncIterable<T> | Iterable<T>,
): Promise<{ seen: number; inserted: number }> {
  let seen = 0;
  async function* missing() {
    for await (const row of rows) {
      seen += 1;
      if (!existing.has(row._id)) yield row;
    }
  }
  const { inserted } = await insertNew(model, missing());
  return { seen, inserted };
}

/** The _ids of the rows a filter selects. */
export const idsOf = async <T extends { _id: string }>(model: Model<T>, filter: object) =>
  new Set((await model.find(filter, { _id: 1 }).lean<Array<{ _id: string }>>()).map((row) => row._id));

/** The integer id after the highest one among the rows (alleles of a locus, profiles of a scheme); text ids are left out. */
export async function nextIntegerId<T extends { order: number }>(
  model: Model<T>,
  filter: Record<string, unknown>,
): Promise<string> {
  const last = await model
    .findOne({ ...filter, order: { $lt: Number.MAX_SAFE_INTEGER } }, { order: 1 })
    .sort({ order: -1 })
    .lean<{ order: number }>();
  return String((last?.order ?? 0) + 1);
}

/** A page of rows by their `id`, in id order, and how many rows the filter selects (loci, isolates, contigs). */
export async function idPage<I extends string | number, T extends { id: I }>(
  model: Model<T>,
  filter: object,
  window: PageWindow,
): Promise<{ total: number; ids: I[] }> {
  const total = await model.countDocuments(filter);
  const query = model.find(filter, { id: 1 }).sort({ id: 1 }).skip(window.offset);
  const rows = await (window.limit === undefined ? query : query.limit(window.limit)).lean<Array<{ id: I }>>();
  return { total, ids: rows.map((row) => row.id) };
}
