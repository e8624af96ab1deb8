/** Reading the app's IndexedDB straight from a page in browser tests, as it is on disk. */
import type { Page } from 'playwright-core';
import { DB_NAME, type MaskGuardDB } from '../../src/storage/schema.ts';

type StoreName = 'shifts' | 'events';

/** Every record of `store`, or with `keys` only their keys (as strings). */
export function onDiskInPage<S extends StoreName>(page: Page, store: S): Promise<MaskGuardDB[S]['value'][]>;
export function onDiskInPage(page: Page, store: StoreName, keys: true): Promise<string[]>;
export function onDiskInPage(page: Page, store: StoreName, keys = false): Promise<unknown[]> {
  return page.evaluate(
    ([name, storeName, onlyKeys]) =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const objects = db.transaction(storeName).objectStore(storeName);
          const request = onlyKeys ? objects.getAllKeys() : objects.getAll();
          request.onsuccess = () => {
            resolve(onlyKeys ? request.result.map(String) : request.result);
            db.close();
          };
          request.onerror = () => reject(request.error);
        };
      }),
    [DB_NAME, store, keys] as const,
  );
}
