import { existsSync } from 'node:fs';

/** Debian's Chromium, installed by .ci/run when missing. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a root, offline, headless Chromium that makes no background connections. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** In CI the browser must be there; on a developer machine without it the browser test is skipped. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI)
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}; .ci/run installs it with apt-get`);
  return false;
}
