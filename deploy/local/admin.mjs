#!/usr/bin/env node
// `npm run admin -- <command> …`: the auth service's admin command line against this machine's stack
// (its MongoDB and the local AUTH_SECRET_KEY). In a cluster, run services/auth/dist/src/cli.js in the auth pod.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { infrastructureEnv, installAndBuild, localSecrets, root } from './workspace.mjs';

if (!existsSync(join(root, 'services/auth/dist/src/cli.js'))) installAndBuild();
const result = spawnSync(process.execPath, [join(root, 'services/auth/dist/src/cli.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...infrastructureEnv(), ...localSecrets() },
});
process.exit(result.status ?? 1);
