/**
 * Every allele of a database, packed for the typing engine: one byte array of upper-case sequences in shared
 * memory (worker threads read it without a copy), offsets, and the locus and id of each allele. The order of the
 * alleles is the order of a BLAST database built from them (loci in order, then alleles in id order), which
 * decides ties between equally good best matches the way blastn decides them.
 */
export interface AlleleIndexData {
  /** database|version: workers keep the engine they built for a key until the key changes. */
  key: string;
  loci: string[];
  /** Alleles of locus i are the indices locusStart[i] up to locusStart[i + 1]. */
  locusStart: Int32Array;
  alleleIds: string[];
  /** Allele a's bases are bases[starts[a]] up to bases[starts[a + 1]]. */
  starts: Int32Array;
  bases: Uint8Array;
}

export interface LocusAlleles {
  name: string;
  alleles: Array<{ id: string; sequence: string }>;
}

function shared(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(bytes, 1));
}

/** Packs loci's alleles into an index (sequences upper-cased; the caller leaves out 0, N and P). */
export function packAlleles(key: string, loci: LocusAlleles[]): AlleleIndexData {
  const count = loci.reduce((n, l) => n + l.alleles.length, 0);
  const total = loci.reduce((n, l) => n + l.alleles.reduce((m, a) => m + a.sequence.length, 0), 0);
  const bases = new Uint8Array(shared(total));
  const starts = new Int32Array(shared(4 * (count + 1)));
  const locusStart = new Int32Array(loci.length + 1);
  const alleleIds: string[] = [];
  const writer = Buffer.from(bases.buffer, 0, total);
  let offset = 0;
  loci.forEach((locus, i) => {
    locusStart[i] = alleleIds.length;
    for (const allele of locus.alleles) {
      starts[alleleIds.length] = offset;
      offset += writer.write(allele.sequence.toUpperCase(), offset, 'latin1');
      alleleIds.push(allele.id);
    }
  });
  locusStart[loci.length] = count;
  starts[count] = offset;
  return { key, loci: loci.map((l) => l.name), locusStart, alleleIds, starts, bases };
}

/** The database an index key names. */
export const indexDatabase = (key: string) => key.slice(0, key.indexOf('|'));

/** The locus each allele belongs to. */
export function alleleLoci(data: AlleleIndexData): Int32Array {
  const locusOf = new Int32Array(data.alleleIds.length);
  for (let l = 0; l < data.loci.length; l++) locusOf.fill(l, data.locusStart[l], data.locusStart[l + 1]);
  return locusOf;
}
