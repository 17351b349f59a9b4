/** How many documents a replica remembers having stored. */
const REMEMBERED = 10_000;

interface Remembered {
  digest: string;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * The documents this replica stored or found lately, by id: posting one again while it is live gives the same
 * link and lifetime without a database round trip (pipelines post the same results over and over). A document
 * is known by its whole SHA-256, so a different document with the same 64-bit id still goes to the database,
 * which refuses it. Forgotten at expiry, and oldest first past REMEMBERED.
 */
export class RecentDocuments {
  private readonly byId = new Map<string, Remembered>();

  live(id: string, digest: string, now: Date): Remembered | undefined {
    const known = this.byId.get(id);
    if (!known) return undefined;
    if (known.expiresAt <= now) {
      this.byId.delete(id);
      return undefined;
    }
    return known.digest === digest ? known : undefined;
  }

  remember(id: string, remembered: Remembered): void {
    this.byId.delete(id);
    this.byId.set(id, remembered);
    if (this.byId.size > REMEMBERED) this.byId.delete(this.byId.keys().next().value as string);
  }
}
