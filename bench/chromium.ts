// Debian's Chromium through playwright-core, headless, as the e2e suite drives it; one browser
// shared by the entries that need it, closed by the runner after the last one.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import type { BenchContext } from './types.ts';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const VIEWPORT = { width: 1280, height: 860 };

/** The shared browser, or the reason there is none here. */
export async function sharedChromium(ctx: BenchContext): Promise<Browser | { skipped: string }> {
  if (!existsSync(CHROMIUM))
    return { skipped: `needs Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)` };
  return ctx.shared(
    'chromium',
    () => chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS }),
    (browser) => browser.close(),
  );
}
