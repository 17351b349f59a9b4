#!/usr/bin/env node
// Kubernetes OpenAPI v2 document (api/openapi-spec/swagger.json of a Kubernetes release) -> one standalone,
// strict JSON schema per kind, named as kubeconform looks them up: <kind>[-<group>]-<version>.json
// (references inlined, additionalProperties false on every object with properties, optional fields nullable,
// int-or-string and quantities as the API server takes them). Like yannh/openapi2jsonschema, in Node.
//
//   node deploy/helm/openapi2jsonschema.mjs <swagger.json> <output folder>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [input, out] = process.argv.slice(2);
if (!input || !out) {
  console.error('usage: openapi2jsonschema.mjs <swagger.json> <output folder>');
  process.exit(2);
}
const { definitions } = JSON.parse(readFileSync(input, 'utf8'));

function convert(schema, stack) {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/definitions/', '');
    if (name.endsWith('.util.intstr.IntOrString'))
      return { oneOf: [{ type: 'string' }, { type: 'integer' }], description: schema.description };
    if (name.endsWith('.api.resource.Quantity')) return { oneOf: [{ type: 'string' }, { type: 'number' }] };
    // a recursive type (JSONSchemaProps of CRDs): accept anything below the first repetition
    if (stack.includes(name)) return {};
    return convert(definitions[name], [...stack, name]);
  }
  const result = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-kubernetes-') && key !== 'x-kubernetes-preserve-unknown-fields') continue;
    if (key === 'properties') {
      const required = new Set(schema.required ?? []);
      result.properties = {};
      for (const [name, property] of Object.entries(value)) {
        const converted = convert(property, stack);
        if (!required.has(name) && typeof converted.type === 'string') converted.type = [converted.type, 'null'];
        result.properties[name] = converted;
      }
    } else if (key === 'items' || key === 'additionalProperties') {
      result[key] = typeof value === 'object' ? convert(value, stack) : value;
    } else if (key === 'allOf' || key === 'oneOf' || key === 'anyOf') {
      result[key] = value.map((entry) => convert(entry, stack));
    } else {
      result[key] = value;
    }
  }
  if (schema.format === 'int-or-string') return { oneOf: [{ type: 'string' }, { type: 'integer' }] };
  if (result.properties && !('additionalProperties' in result) && !schema['x-kubernetes-preserve-unknown-fields'])
    result.additionalProperties = false;
  return result;
}

mkdirSync(out, { recursive: true });
let written = 0;
for (const [name, definition] of Object.entries(definitions)) {
  for (const { group, version, kind } of definition['x-kubernetes-group-version-kind'] ?? []) {
    const file = `${kind.toLowerCase()}${group ? `-${group.split('.')[0].toLowerCase()}` : ''}-${version.toLowerCase()}.json`;
    const schema = convert(definition, [name]);
    // apiVersion and kind must be this kind's, as kubeconform's published schemas require
    schema.properties.apiVersion = { type: 'string', enum: [group ? `${group}/${version}` : version] };
    schema.properties.kind = { type: 'string', enum: [kind] };
    writeFileSync(join(out, file), JSON.stringify({ $schema: 'http://json-schema.org/schema#', ...schema }));
    written++;
  }
}
console.error(`openapi2jsonschema: ${written} schemas in ${out}`);
