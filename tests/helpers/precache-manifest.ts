import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_DIR } from './browser.ts';

/** One entry of the service worker's precache: a path relative to the app's root, and its revision. */
export interface PrecacheEntry {
  url: string;
  revision: string | null;
}

/**
 * Reads the precache list that workbox-build wrote into `dist/sw.js` (the argument of `precacheAndRoute`),
 * i.e. what the service worker actually downloads at install, not what the config meant it to.
 */
export function readPrecacheManifest(distDir: string = DIST_DIR): PrecacheEntry[] {
  const sw = readFileSync(join(distDir, 'sw.js'), 'utf8');
  const entries: PrecacheEntry[] = [];
  // Minified (`{url:"a",revision:"b"}`) or not (`{ "url": "a", "revision": null }`).
  const entry = /\{\s*"?url"?\s*:\s*"([^"]+)"\s*,\s*"?revision"?\s*:\s*(null|"[^"]*")\s*\}/g;
  for (const match of sw.matchAll(entry)) {
    entries.push({ url: match[1]!, revision: match[2] === 'null' ? null : match[2]!.slice(1, -1) });
  }
  if (entries.length === 0) throw new Error('dist/sw.js holds no precache entries (was it built?)');
  return entries;
}
