import { BIGSDB_MALFORMED_REQUEST, ServiceError } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { SchemeValues } from '../allele-designations/scheme-values';
import { Catalog } from '../common/catalog';
import { filterDate } from '../common/filters';
import { definitionsOf, type TypingDatabase } from '../databases/databases.schema';
import type { IsolateField } from '../fields/fields.schema';
import { ProfilesRepository } from '../profiles/profiles.repository';
import { profileKey } from '../profiles/profiles.schema';
import { fieldValue, IsolateCatalogue } from './isolate-catalogue';
import type { CatalogueEntry } from './isolates.schema';

/**
 * POST /db/{db}/isolates/search terms, checked in BIGSdb's order and with its messages (Isolates.pm
 * _unflatten_params, _get_field_query, _get_locus_query, _get_scheme_query): `field.{name}`, `locus.{name}`,
 * `scheme.{id}.{field}`. Text compares ignore case, as BIGSdb's UPPER(field)=UPPER(value).
 */

const isInt = (value: unknown) => /^-?\d+$/.test(String(value));
const isFloat = (value: unknown) => /^-?\d*\.?\d+([eE][-+]?\d+)?$/.test(String(value));
const isBool = (value: unknown) => typeof value === 'boolean' || /^(true|false|0|1)$/i.test(String(value));
const isDate = (value: unknown) => typeof value === 'string' && filterDate(value) === value;

/** The error for a value of the wrong type, or undefined. */
function typeError(name: string, type: string, value: unknown): string | undefined {
  if (/int/.test(type) && !isInt(value)) return `${name} is an integer field.`;
  if (/bool/.test(type) && !isBool(value)) return `${name} is a boolean field.`;
  if (type === 'date' && !isDate(value)) return `${name} is a date field.`;
  if (type === 'float' && !isFloat(value)) return `${name} is a float field.`;
  return undefined;
}

/** Whether a stored value equals a searched one the way BIGSdb's SQL compares them (text ignoring case). */
function valueMatcher(type: string, value: unknown): (stored: unknown) => boolean {
  if (/int/.test(type) || type === 'float') {
    const number = Number(value);
    return (stored) => stored === number;
  }
  if (/bool/.test(type)) {
    const truth = /^(true|1)$/i.test(String(value));
    return (stored) => stored === truth;
  }
  const text = String(value);
  if (type === 'date') return (stored) => stored === text;
  const lower = text.toLowerCase();
  return (stored) => typeof stored === 'string' && stored.toLowerCase() === lower;
}

/** A MongoDB condition matching a stored value the way BIGSdb's SQL compares it (for profiles' fields). */
function valueCondition(type: string, value: unknown): unknown {
  if (/int/.test(type) || type === 'float') return Number(value);
  if (/bool/.test(type)) return /^(true|1)$/i.test(String(value));
  if (type === 'date') return String(value);
  return { $regex: `^${String(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, $options: 'i' };
}

/** A search's terms by kind. Names are the client's: Maps, never plain-object keys (`scheme.__proto__.x` names nothing). */
export interface SearchTerms {
  fields: Map<string, unknown>;
  loci: Map<string, unknown>;
  /** scheme id → scheme field → value */
  schemes: Map<string, Map<string, unknown>>;
}

/** Sorts a body's `field.{name}`, `locus.{name}` and `scheme.{id}.{field}` terms; a ServiceError 400 for anything else. */
export function searchTerms(terms: Record<string, unknown>): SearchTerms {
  const fields = new Map<string, unknown>();
  const loci = new Map<string, unknown>();
  const schemes = new Map<string, Map<string, unknown>>();
  for (const [param, value] of Object.entries(terms)) {
    if (param.startsWith('oauth_')) continue;
    const [category, name = '', schemeField = ''] = param.split('.');
    if (category === 'field') fields.set(name, value);
    else if (category === 'locus') loci.set(name, value);
    else if (category === 'scheme') {
      const scheme = schemes.get(name) ?? new Map<string, unknown>();
      schemes.set(name, scheme.set(schemeField, value));
    } else throw ServiceError.badRequest(`${category} is not a recognized query parameter`);
  }
  if (!fields.size && !loci.size && !schemes.size) throw ServiceError.badRequest('No query passed');
  for (const value of [
    ...fields.values(),
    ...loci.values(),
    ...[...schemes.values()].flatMap((f) => [...f.values()]),
  ]) {
    if (value === null || typeof value === 'object') throw ServiceError.badRequest(BIGSDB_MALFORMED_REQUEST);
  }
  return { fields, loci, schemes };
}

/** The isolates a search selects, as a test of their catalogue entries. */
@Injectable()
export class IsolateSearch {
  constructor(
    private readonly catalog: Catalog,
    private readonly catalogue: IsolateCatalogue,
    private readonly profiles: ProfilesRepository,
    private readonly schemeValues: SchemeValues,
  ) {}

  async filter(db: TypingDatabase, terms: Record<string, unknown>): Promise<(entry: CatalogueEntry) => boolean> {
    const { fields, loci, schemes } = searchTerms(terms);
    const tests: Array<(entry: CatalogueEntry) => boolean> = [];
    const byName = new Map<string, IsolateField>((db.fields ?? []).map((f) => [f.name, f]));
    for (const [name, value] of fields) {
      const field = byName.get(name);
      if (!field) throw ServiceError.badRequest(`${name} is not a valid field.`);
      const error = typeError(name, field.type, value);
      if (error) throw ServiceError.badRequest(error);
      const matches = valueMatcher(field.type, value);
      tests.push((entry) => matches(fieldValue(entry, name)));
    }

    let ids: Set<number> | undefined;
    const narrow = (found: Iterable<number>) => {
      const next = new Set(found);
      ids = ids ? new Set([...ids].filter((id) => next.has(id))) : next;
    };
    const definitions = definitionsOf(db);
    for (const [locus, value] of loci) {
      if (!(await this.catalog.locus(definitions, locus)))
        throw ServiceError.badRequest(`${locus} is not a valid locus`);
      const alleleId = String(value);
      const catalogue = await this.catalogue.of(db);
      narrow(
        catalogue.entries
          .filter((e) => e.designations.some(([l, a]) => l === locus && a === alleleId))
          .map((e) => e.id),
      );
    }
    for (const [schemeId, schemeFields] of schemes) {
      if (!isInt(schemeId)) throw ServiceError.badRequest('Scheme id must be an integer');
      const scheme = await this.catalog.scheme(definitions, Number(schemeId));
      if (!scheme) throw ServiceError.badRequest(`Scheme ${schemeId} does not exist`);
      for (const [name, value] of schemeFields) {
        const field = scheme.fields.find((f) => f.name === name);
        if (!field) throw ServiceError.badRequest(`Scheme ${schemeId} field ${name} does not exist`);
        const error = typeError(name, field.type, value);
        if (error) throw ServiceError.badRequest(error);
      }
      const profileIds = new Set<string>();
      const pk = scheme.fields.find((f) => f.primaryKey);
      const conditions = [...schemeFields];
      if (pk && conditions.length === 1 && conditions[0][0] === pk.name) {
        const value = String(conditions[0][1]);
        const profile = await this.profiles.findById(
          profileKey(definitions, scheme.id, pk.type === 'integer' ? String(Number(value)) : value),
        );
        if (profile) profileIds.add(profile.profileId);
      } else {
        const where: Record<string, unknown> = {};
        for (const [name, value] of conditions)
          where[`fields.${name}`] = valueCondition(scheme.fields.find((f) => f.name === name)!.type, value);
        for (const id of await this.profiles.idsWhere(definitions, scheme.id, where)) profileIds.add(id);
      }
      const isolateProfiles = await this.schemeValues.isolateProfiles(db, scheme);
      narrow(
        [...isolateProfiles].filter(([, pids]) => pids.some((p) => profileIds.has(p))).map(([isolateId]) => isolateId),
      );
    }
    const allowed: Set<number> | undefined = ids;
    if (allowed) tests.push((entry) => allowed.has(entry.id));
    return (entry) => tests.every((test) => test(entry));
  }
}
