import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST_DIR } from './browser.ts';

/** A copy of the built app in a temp folder, to serve as another deployment of the same origin. */
export interface Deployment {
  dir: string;
  remove(): void;
}

/**
 * The built app copied into a temp folder; `edit` may change the copy (e.g. break a file). By default the
 * copy is the "next version": the same build with a service worker that differs by a comment, which is all
 * the browser needs to install it as an update.
 */
export function deployCopy(edit: (dir: string) => void = nextServiceWorker()): Deployment {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-deploy-'));
  cpSync(DIST_DIR, dir, { recursive: true });
  edit(dir);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Makes the copy's service worker a new version: `prefix` (code run first) plus a marking comment. */
export function nextServiceWorker(prefix = ''): (dir: string) => void {
  return (dir) => {
    const path = join(dir, 'sw.js');
    writeFileSync(path, `${prefix}\n${readFileSync(path, 'utf8')}\n// next version\n`);
  };
}
