// The Helm chart check: pinned helm and kubeconform (deploy/helm/tools.sh), `helm lint` and `helm template`
// for the default values and each deploy/helm/values-*.yaml, every rendered manifest validated with
// kubeconform -strict against the JSON schemas of the pinned Kubernetes version (made offline from its
// OpenAPI document), the output diffed with the reviewed golden manifests in helm/helixgate/golden/
// (`npm run helm:golden` writes them again), and values.schema.json shown to reject what it must.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { cases, chart, goldenDir, helm, render, tools } from './chart.mjs';

function kubeconform(t, manifests) {
  try {
    return {
      ok: true,
      output: execFileSync(
        t.KUBECONFORM,
        ['-strict', '-summary', '-kubernetes-version', t.KUBE_VERSION, '-schema-location', t.SCHEMA_LOCATION, '-'],
        { input: manifests, encoding: 'utf8' },
      ),
    };
  } catch (error) {
    return { ok: false, output: `${error.stdout ?? ''}${error.stderr ?? ''}` };
  }
}

function firstDifference(expected, actual) {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if (a[i] !== b[i]) return `line ${i + 1}:\n  golden:   ${a[i]}\n  rendered: ${b[i]}`;
  return '';
}

describe('helm chart (helm/helixgate)', () => {
  let t;
  before(() => {
    t = tools();
  });

  for (const [name, extra] of Object.entries(cases())) {
    test(`${name} values: helm lint, kubeconform -strict, same as golden/${name}.yaml`, () => {
      helm(t, ['lint', chart, '--strict', '--kube-version', t.KUBE_VERSION, ...extra]);
      const manifests = render(t, extra);
      const checked = kubeconform(t, manifests);
      assert.ok(checked.ok, `kubeconform:\n${checked.output}`);
      assert.match(checked.output, /Invalid: 0, Errors: 0, Skipped: 0/);
      const golden = join(goldenDir, `${name}.yaml`);
      assert.ok(existsSync(golden), `no ${golden}: npm run helm:golden`);
      const expected = readFileSync(golden, 'utf8');
      assert.ok(
        expected === manifests,
        `rendered manifests differ from golden/${name}.yaml (npm run helm:golden, then review the diff) at ${firstDifference(expected, manifests)}`,
      );
    });
  }

  test("each component's env in values.schema.json is exactly what its service reads (its config.ts), less what the chart sets", async () => {
    // Set by the chart itself: the servers (with credentials from Secrets), the subject prefix, the ports.
    const chartManaged = [
      'NATS_URL',
      'NATS_USER',
      'NATS_PASSWORD',
      'NATS_SUBJECT_PREFIX',
      'OPS_PORT',
      'HOST',
      'PORT',
      'MONGODB_URI',
      'MONGODB_USERNAME',
      'MONGODB_PASSWORD',
      'AUTH_SECRET_KEY',
    ];
    const schema = JSON.parse(readFileSync(join(chart, 'values.schema.json'), 'utf8'));
    for (const [component, entry] of Object.entries(schema.properties.components.properties)) {
      const config = await import(join(chart, '..', '..', 'services', component, 'dist', 'src', 'config.js'));
      const envSchema = Object.entries(config).find(([name]) => name.endsWith('EnvSchema'))?.[1];
      assert.ok(envSchema, `services/${component}/src/config.ts exports its *EnvSchema`);
      const reads = Object.keys(envSchema.shape)
        .filter((name) => !chartManaged.includes(name))
        .sort();
      assert.deepEqual(Object.keys(entry.properties.env.properties).sort(), reads, component);
      assert.deepEqual([...entry.properties.secretEnv.propertyNames.enum].sort(), reads, `${component} secretEnv`);
    }
  });

  test('every component has a Deployment, Service, ServiceAccount, ConfigMap and NetworkPolicy, hardened', () => {
    const manifests = render(t, []);
    const values = readFileSync(join(chart, 'values.yaml'), 'utf8');
    const components = [...values.slice(values.indexOf('\ncomponents:')).matchAll(/^ {2}([a-z-]+):$/gm)].map(
      (m) => m[1],
    );
    assert.deepEqual(components.sort(), [
      'auth',
      'gateway',
      'jobs',
      'jobs-worker',
      'results-import',
      'submissions',
      'typing-db',
    ]);
    for (const component of components) {
      for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'ConfigMap', 'NetworkPolicy']) {
        assert.match(
          manifests,
          new RegExp(`kind: ${kind}\\nmetadata:\\n  name: helixgate-${component}\\n`),
          `${kind} of ${component}`,
        );
      }
    }
    assert.equal(manifests.match(/readOnlyRootFilesystem: true/g)?.length, components.length);
    assert.equal(manifests.match(/runAsNonRoot: true/g)?.length, components.length * 2);
    assert.doesNotMatch(manifests, /:latest"/);
  });

  test('kubeconform rejects a manifest the API server would reject (the check can fail)', () => {
    const bad = render(t, []).replace('revisionHistoryLimit: 5', 'revisionHistoryLimit: 5\n  replica: 2');
    const checked = kubeconform(t, bad);
    assert.equal(checked.ok, false);
    assert.match(checked.output, /additionalProperties 'replica' not allowed/);
  });

  for (const [what, set, message] of [
    ['an unknown key', 'components.gateway.replica=2', /Additional property replica is not allowed/],
    ['an unknown component', 'components.frontend.enabled=true', /Additional property frontend is not allowed/],
    ['a wrong type', 'components.gateway.replicas=two', /Expected: integer, given: string/],
    [
      'a variable the chart sets from a Secret',
      'components.auth.env.AUTH_SECRET_KEY=abc',
      /Additional property AUTH_SECRET_KEY is not allowed/,
    ],
    ['the tag latest', 'components.jobs.image.tag=latest', /components\.jobs\.image\.tag/],
    ['credentials in the MongoDB URL', 'mongodb.url=mongodb://u:p@db:27017/', /mongodb\.url/],
    ['credentials in the NATS URL', 'nats.url=nats://u:p@nats:4222', /nats\.url/],
    [
      'a secretEnv the component does not read',
      'components.submissions.secretEnv.SMTP_ULR.secret=s,components.submissions.secretEnv.SMTP_ULR.key=k',
      /secretEnv/,
    ],
  ]) {
    test(`values.schema.json rejects ${what}`, () => {
      assert.throws(
        () => render(t, ['--set', set]),
        (error) => message.test(String(error.stderr)),
      );
    });
  }

  test('values.schema.json accepts what Kubernetes accepts: a number of CPUs and ephemeral-storage', () => {
    render(t, [
      '--set',
      'components.jobs-worker.resources.requests.cpu=0.5',
      '--set-string',
      'components.jobs-worker.resources.limits.ephemeral-storage=16Gi',
    ]);
  });

  test('credentials come from Secrets as variables of their own, never inside a URL; the gateway listens on its httpPort', () => {
    const manifests = render(t, ['-f', join(chart, '..', '..', 'deploy', 'helm', 'values-production.yaml')]);
    assert.doesNotMatch(manifests, /:\/\/[^\s"]*@/);
    assert.match(manifests, /- name: NATS_PASSWORD\n\s+valueFrom:\n\s+secretKeyRef:/);
    assert.match(manifests, /- name: MONGODB_PASSWORD\n\s+valueFrom:\n\s+secretKeyRef:/);
    const gateway = render(t, ['--set', 'components.gateway.httpPort=8080']);
    assert.match(gateway, /- name: PORT\n\s+value: "8080"/);
    assert.match(gateway, /containerPort: 8080/);
  });
});
