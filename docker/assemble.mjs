#!/usr/bin/env node
// Lays out what one component's image holds, from a built workspace, into an empty folder:
//   package.json, package-lock.json, every workspace's package.json (npm ci checks the lock against them),
//   and dist/src plus data folders (e.g. libs/cgi/knowledge-base) of the component and of the workspace
//   libraries it declares, transitively. Nothing else: a library the component uses without declaring it
//   is not there, and the image-content check (deploy/local/image-check.mjs) fails.
// Used by docker/Dockerfile (build stage) and by the image-content check, so both lay out the same files.
//
//   node docker/assemble.mjs <component> <output folder> [workspace root, default: this repository]
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Components an image can be built for: the services/ folder that holds each. */
export const COMPONENTS = ['gateway', 'auth', 'results-import', 'typing-db', 'jobs', 'jobs-worker', 'submissions'];

/** Folders of a project that are never shipped (sources, tests, build info). */
const NOT_SHIPPED = new Set([
  'src',
  'test',
  'dist',
  'node_modules',
  'tsconfig.json',
  'tsconfig.tsbuildinfo',
  'package.json',
]);

function workspaces(root) {
  const found = new Map(); // package name -> folder relative to root
  for (const group of ['libs', 'services']) {
    for (const entry of readdirSync(join(root, group))) {
      const manifest = join(root, group, entry, 'package.json');
      if (existsSync(manifest)) found.set(JSON.parse(readFileSync(manifest, 'utf8')).name, `${group}/${entry}`);
    }
  }
  return found;
}

/** The workspace folders the component ships: itself and every workspace in its dependencies, transitively. */
export function shippedProjects(root, component) {
  const all = workspaces(root);
  const start = `services/${component}`;
  if (![...all.values()].includes(start))
    throw new Error(`assemble: no component ${component} (services/${component}/package.json)`);
  const shipped = new Set();
  const visit = (folder) => {
    if (shipped.has(folder)) return;
    shipped.add(folder);
    const { dependencies = {} } = JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8'));
    for (const name of Object.keys(dependencies)) if (all.has(name)) visit(all.get(name));
  };
  visit(start);
  return { shipped: [...shipped].sort(), all: [...all.values()].sort() };
}

export function assemble(component, out, root = fileURLToPath(new URL('..', import.meta.url))) {
  const { shipped, all } = shippedProjects(root, component);
  mkdirSync(out, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) cpSync(join(root, file), join(out, file));
  for (const folder of all) {
    mkdirSync(join(out, folder), { recursive: true });
    cpSync(join(root, folder, 'package.json'), join(out, folder, 'package.json'));
  }
  for (const folder of shipped) {
    const dist = join(root, folder, 'dist', 'src');
    if (!existsSync(dist))
      throw new Error(`assemble: ${folder}/dist/src is missing: build first (npx nx run-many -t build)`);
    cpSync(dist, join(out, folder, 'dist', 'src'), {
      recursive: true,
      filter: (path) => !path.endsWith('.tsbuildinfo'),
    });
    for (const entry of readdirSync(join(root, folder))) {
      if (NOT_SHIPPED.has(entry) || entry.startsWith('.')) continue;
      if (statSync(join(root, folder, entry)).isDirectory())
        cpSync(join(root, folder, entry), join(out, folder, entry), { recursive: true });
    }
  }
  writeFileSync(
    join(out, 'component.json'),
    `${JSON.stringify({ component, main: `services/${component}/dist/src/main.js`, shipped }, null, 2)}\n`,
  );
  return shipped;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [component, out, root] = process.argv.slice(2);
  if (!component || !out) {
    console.error('usage: node docker/assemble.mjs <component> <output folder> [workspace root]');
    process.exit(2);
  }
  const shipped = assemble(component, out, root ?? dirname(dirname(fileURLToPath(import.meta.url))));
  console.error(`assemble: ${component}: ${shipped.join(', ')} -> ${out}`);
}
