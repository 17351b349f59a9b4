#!/usr/bin/env node
// `npm run admin -- …` (auth) and `npm run typing -- …` (typing-db): a service's own command line, run against
// this machine's stack (its MongoDB, the local secrets). In a cluster, run services/<name>/dist/src/cli.js in
// that service's pod, with the pod's environment.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { infrastructureEnv, installAndBuild, localSecrets, root } from './workspace.mjs';

const [service, ...args] = process.argv.slice(2);
const cli = join(root, 'services', service ?? '', 'dist/src/cli.js');
if (!service || !existsSync(join(root, 'services', service))) {
  console.error(`usage: service-cli.mjs <service> <command> …`);
  process.exit(2);
}
if (!existsSync(cli)) installAndBuild();
const result = spawnSync(process.execPath, [cli, ...args], {
  stdio: 'inherit',
  env: { ...infrastructureEnv(), ...localSecrets() },
});
process.exit(result.status ?? 1);
