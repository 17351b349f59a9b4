import type { Model } from 'mongoose';

interface Pending<T> {
  row: T;
  resolve: (inserted: boolean) => void;
  reject: (error: unknown) => void;
}

/** A duplicate-key code, as MongoDB and FerretDB report a unique index refusing a row. */
const DUPLICATE_KEY = 11000;

/**
 * Group commit: one unordered insertMany at a time, of every row that arrived while the last one was in flight.
 * Under load many round trips become one (the embedded FerretDB takes about as long for a batch as for one row);
 * a lone row waits for nothing but the end of the current turn of the event loop. Each
 * caller learns whether its row went in (true) or a unique index refused it (false); any other failure is its
 * error. Rows are written as they are, without mongoose's casting: callers pass complete documents.
 */
export class InsertBatcher<T extends object> {
  private pending: Pending<T>[] = [];
  private flushing = false;

  constructor(private readonly model: Model<T>) {}

  insert(row: T): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.pending.push({ row, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.flushing || !this.pending.length) return;
    this.flushing = true;
    setImmediate(() => {
      void this.flush().finally(() => {
        this.flushing = false;
        this.schedule();
      });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      await this.model.collection.insertMany(
        batch.map((p) => ({ ...p.row })),
        { ordered: false },
      );
      for (const p of batch) p.resolve(true);
    } catch (error) {
      const refused = (
        error as { writeErrors?: Array<{ index: number; code: number }> | { index: number; code: number } }
      ).writeErrors;
      const errors = refused === undefined ? undefined : Array.isArray(refused) ? refused : [refused];
      if (!errors) {
        for (const p of batch) p.reject(error);
        return;
      }
      const codes = new Map(errors.map((e) => [e.index, e.code]));
      batch.forEach((p, i) => {
        const code = codes.get(i);
        if (code === undefined) p.resolve(true);
        else if (code === DUPLICATE_KEY) p.resolve(false);
        else p.reject(error);
      });
    }
  }
}
