import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless Chromium on a machine with no network but loopback. */
const flags = (profile: string) => [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--user-data-dir=${profile}`,
  '--virtual-time-budget=5000',
];

async function withProfile<T>(fn: (profile: string) => Promise<T>): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), 'helixgate-chromium-'));
  try {
    return await fn(profile);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Loads a page in real headless Chromium, runs its scripts, and returns the DOM as it then stands. */
export function renderedDom(url: string): Promise<string> {
  return withProfile(async (profile) => {
    const { stdout } = await promisify(execFile)(CHROMIUM, [...flags(profile), '--dump-dom', url], {
      maxBuffer: 64 << 20,
      timeout: 60_000,
    });
    return stdout;
  });
}

/** Saves a PNG of the page as Chromium draws it. */
export function screenshot(url: string, file: string, size = '1100,900'): Promise<void> {
  return withProfile(async (profile) => {
    await promisify(execFile)(CHROMIUM, [...flags(profile), `--screenshot=${file}`, `--window-size=${size}`, url], {
      timeout: 60_000,
    });
  });
}
