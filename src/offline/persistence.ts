/**
 * Persistent storage and the storage estimate, for the settings screen. Without persistence the browser may
 * evict the origin's data (the precache and the shift log) when the phone runs short of space; with it, only
 * the guard can delete them.
 */

/** How much the origin stores and may store, in bytes, as the browser estimates it. */
export interface StorageEstimateBytes {
  usageBytes: number;
  quotaBytes: number;
}

/**
 * Asks the browser to keep this origin's data (`navigator.storage.persist()`). Resolves to true when storage
 * is persistent (already or now), false when the browser declined, and undefined when it cannot say.
 * Chromium decides without a prompt (an installed app is granted); Firefox asks the user, so call this from a
 * tap where possible.
 */
export async function requestPersistence(): Promise<boolean | undefined> {
  const storage = navigator.storage as StorageManager | undefined;
  if (storage?.persist === undefined) return undefined;
  try {
    if (await storage.persisted()) return true;
    return await storage.persist();
  } catch {
    return undefined;
  }
}

/** Whether storage is already persistent, without asking; undefined when the browser cannot say. */
export async function isPersisted(): Promise<boolean | undefined> {
  const storage = navigator.storage as StorageManager | undefined;
  if (storage?.persisted === undefined) return undefined;
  return storage.persisted().catch(() => undefined);
}

/** The browser's storage estimate (`navigator.storage.estimate()`), or undefined when it gives none. */
export async function storageEstimate(): Promise<StorageEstimateBytes | undefined> {
  const storage = navigator.storage as StorageManager | undefined;
  if (storage?.estimate === undefined) return undefined;
  try {
    const { usage, quota } = await storage.estimate();
    if (usage === undefined || quota === undefined) return undefined;
    return { usageBytes: usage, quotaBytes: quota };
  } catch {
    return undefined;
  }
}
