import { filterDate } from '../common/filters';
import type { IsolateField } from './fields.schema';

/** Checks a value against its field as BIGSdb's curation does; returns the stored value or an error text. */
export function checkFieldValue(
  field: IsolateField,
  raw: string,
): { value: string | number | boolean } | { error: string } {
  const value = raw.trim();
  if (field.allowedValues && !field.allowedValues.includes(value))
    return { error: `${field.name} value '${value}' is not on the list of allowed values` };
  if (field.type === 'int') {
    if (!/^-?\d+$/.test(value)) return { error: `${field.name} must be an integer` };
    const n = Number(value);
    if (field.min !== undefined && n < field.min) return { error: `${field.name} must be at least ${field.min}` };
    if (field.max !== undefined && n > field.max) return { error: `${field.name} must be at most ${field.max}` };
    return { value: n };
  }
  if (field.type === 'float')
    return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value)
      ? { value: Number(value) }
      : { error: `${field.name} must be a number` };
  if (field.type === 'date')
    return filterDate(value) === value ? { value } : { error: `${field.name} must be a date (YYYY-MM-DD)` };
  if (field.type === 'bool')
    return /^(true|false)$/i.test(value)
      ? { value: value.toLowerCase() === 'true' }
      : { error: `${field.name} must be true or false` };
  if (field.length !== undefined && value.length > field.length)
    return { error: `${field.name} is longer than ${field.length} characters` };
  if (field.regex && !new RegExp(`^(?:${field.regex})$`).test(value))
    return { error: `${field.name} does not match the pattern ${field.regex}` };
  return { value };
}
