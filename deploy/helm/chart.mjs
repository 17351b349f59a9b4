#!/usr/bin/env node
// Renders the chart (helm/helixgate) for the default values and each example values file, as the chart check
// (deploy/helm/chart.test.mjs) and the golden manifests in helm/helixgate/golden/ see it.
//   node deploy/helm/chart.mjs --update   (npm run helm:golden) writes the golden manifests again; review the diff.
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const chart = join(root, 'helm', 'helixgate');
export const goldenDir = join(chart, 'golden');

/** deploy/helm/tools.sh: pinned helm and kubeconform (built once) and the Kubernetes schemas, as KEY=VALUE. */
export function tools() {
  const printed = execFileSync('bash', [join(root, 'deploy/helm/tools.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return Object.fromEntries(
    printed
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).replace(/^'|'$/g, '')]),
  );
}

/** The golden cases: name -> extra helm arguments. */
export function cases() {
  const found = { default: [] };
  for (const file of readdirSync(join(root, 'deploy/helm'))
    .filter((f) => /^values-.+\.yaml$/.test(f))
    .sort()) {
    found[file.replace(/^values-|\.yaml$/g, '')] = ['-f', join(root, 'deploy/helm', file)];
  }
  return found;
}

export function helm(t, args) {
  return execFileSync(t.HELM, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

export function render(t, extra) {
  return helm(t, [
    'template',
    'helixgate',
    chart,
    '--namespace',
    'helixgate',
    '--kube-version',
    t.KUBE_VERSION,
    ...extra,
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] !== '--update') {
    console.error('usage: node deploy/helm/chart.mjs --update');
    process.exit(2);
  }
  const t = tools();
  for (const [name, extra] of Object.entries(cases())) {
    writeFileSync(join(goldenDir, `${name}.yaml`), render(t, extra));
    console.error(`helm: wrote helm/helixgate/golden/${name}.yaml`);
  }
}
