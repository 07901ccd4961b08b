/**
 * Test helper (not exported): launches the system's Chromium through playwright-core.
 * Debian's `chromium` is used by default; `CHROMIUM_PATH` points elsewhere.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser'];

/** The Chromium executable, or a clear error saying how to install one. */
export function chromiumPath(): string {
  const configured = process.env.CHROMIUM_PATH;
  if (configured !== undefined && configured !== '') return configured;
  const found = CANDIDATES.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    throw new Error(
      'No Chromium found for the dashboard tests: install it (apt-get install -y --no-install-recommends chromium) or set CHROMIUM_PATH.',
    );
  }
  return found;
}

/** A headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true });
}
