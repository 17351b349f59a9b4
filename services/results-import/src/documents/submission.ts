import { createHash } from 'node:crypto';
import { JsonErrorCodes, parseJson, RESULT_TYPES, type ResultType, ServiceError } from '@helixgate/contracts';

/** pATLAS's own error texts, in the order pATLAS checks them (db_manager/db_app/views.py). */
export const PatlasMessages = {
  notJson:
    'ERROR: attempted to hash something that is not a JSON. POST request must have a JSON format suitable for pATLAS.',
  noType: "No 'type' field was provided in the JSON object.",
  noSamples: "No 'samples' field was provided in the JSON object.",
  typeNotString: "The value provided through 'type' entry must be a string",
  samplesNotObject: "The value provided through 'sample' entry must be a dictionary / JSON object.",
  invalidType: (type: string) => `'${type}' is not a valid type. Valid types are mapping or mash_screen or assembly.`,
} as const;

export type Samples = Record<string, Record<string, unknown>>;

export type SubmissionCheck =
  { ok: true; type: ResultType; samples: Samples; canonical: string } | { ok: false; message: string };

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Python truthiness, which is what pATLAS's `if not request_json` tests. */
const isFalsy = (value: unknown) =>
  value === null ||
  value === false ||
  value === 0 ||
  value === '' ||
  (Array.isArray(value) && value.length === 0) ||
  (isObject(value) && Object.keys(value).length === 0);

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A number, or a string holding one (the pATLAS front end calls parseFloat on both). */
function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && DECIMAL.test(value.trim())) return Number(value);
  return undefined;
}

const fraction = (value: unknown) => {
  const n = numeric(value);
  return n !== undefined && n >= 0 && n <= 1;
};

/** Each import type's value shape, as pATLAS's import files and front end read them. */
const VALUE_RULES: Record<ResultType, { valid: (value: unknown) => boolean; expected: string }> = {
  mapping: {
    valid: fraction,
    expected: 'a mapping value must be a number from 0 to 1 (the fraction of the plasmid covered)',
  },
  mash_screen: {
    valid: (v) => Array.isArray(v) && v.length === 2 && fraction(v[0]) && (numeric(v[1]) ?? -1) >= 0,
    expected:
      'a mash_screen value must be [identity, copy_number]: identity from 0 to 1, copy_number a number of at least 0',
  },
  assembly: {
    valid: (v) => Array.isArray(v) && v.length === 3 && fraction(v[0]) && fraction(v[1]) && typeof v[2] === 'string',
    expected:
      'an assembly value must be [identity, shared_hashes, contig]: identity and shared_hashes from 0 to 1, contig a string',
  },
};

const clip = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** A value as it appears in an error message: its JSON, clipped; never a crash on hostile nesting. */
function quote(value: unknown): string {
  try {
    return clip(JSON.stringify(value) ?? String(value));
  } catch {
    return 'a value nested too deeply to show';
  }
}

function checkSamples(type: ResultType, samples: JsonObject): string | undefined {
  const names = Object.keys(samples);
  if (names.length === 0) return "The 'samples' entry must name at least one sample.";
  const rule = VALUE_RULES[type];
  for (const name of names) {
    const sample = samples[name];
    if (!isObject(sample)) {
      return `Sample '${clip(name)}' must be a dictionary / JSON object of accession: value pairs.`;
    }
    for (const [accession, value] of Object.entries(sample)) {
      if (!rule.valid(value)) {
        return `Sample '${clip(name)}', accession '${clip(accession)}': ${rule.expected}, not ${quote(value)}.`;
      }
    }
  }
  return undefined;
}

/**
 * Checks a POST /results/ body the way pATLAS does (same order, same texts), then checks each sample's values
 * against the shape of its type, naming the sample and accession at fault.
 */
export function checkSubmission(body: Buffer | string): SubmissionCheck {
  let parsed: unknown;
  try {
    // Scanned before it is parsed: nesting past JSON_MAX_DEPTH, a NUL or a prototype name as a key is refused.
    parsed = parseJson(body);
  } catch (error) {
    const refused = error instanceof ServiceError && error.code !== JsonErrorCodes.invalid;
    return { ok: false, message: refused ? error.message : PatlasMessages.notJson };
  }
  if (isFalsy(parsed) || !isObject(parsed)) return { ok: false, message: PatlasMessages.notJson };
  if (!('type' in parsed)) return { ok: false, message: PatlasMessages.noType };
  if (!('samples' in parsed)) return { ok: false, message: PatlasMessages.noSamples };
  const { type, samples } = parsed;
  if (typeof type !== 'string') return { ok: false, message: PatlasMessages.typeNotString };
  if (!isObject(samples)) return { ok: false, message: PatlasMessages.samplesNotObject };
  if (!(RESULT_TYPES as readonly string[]).includes(type))
    return { ok: false, message: PatlasMessages.invalidType(type) };
  const problem = checkSamples(type as ResultType, samples);
  if (problem) return { ok: false, message: problem };
  // Only what pATLAS reads is kept (and hashed): other top-level keys are ignored, whatever their size or depth.
  return {
    ok: true,
    type: type as ResultType,
    samples: samples as Samples,
    canonical: canonicalJson({ type, samples }),
  };
}

/** JSON with object keys sorted at every level (as Flask's json.dumps(sort_keys=True)), so equal documents hash equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

/**
 * The document's id: the first 64 bits of the SHA-256 of its canonical JSON, as an unsigned decimal — the same
 * form as pATLAS's ids, but stable across processes, restarts and replicas.
 */
export function resultId(canonical: string): string {
  return resultIdentity(canonical).id;
}

/** The document's id and the whole SHA-256 it is cut from (hex), which tells two documents with one id apart. */
export function resultIdentity(canonical: string): { id: string; digest: string } {
  const digest = createHash('sha256').update(canonical).digest();
  return { id: digest.readBigUInt64BE(0).toString(10), digest: digest.toString('hex') };
}
