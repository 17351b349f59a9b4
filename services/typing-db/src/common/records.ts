import { createHash } from 'node:crypto';

/** What every row written by the importers and by accepted submissions shares: digests, dates and id order. */
export const sequenceDigest = (sequence: string) => createHash('sha256').update(sequence.toUpperCase()).digest('hex');
export const today = () => new Date().toISOString().slice(0, 10);
/** The sort key of an allele or profile id: integer ids in numeric order, text ids after them. */
export const order = (id: string) => (/^\d+$/.test(id) ? Number(id) : Number.MAX_SAFE_INTEGER);
