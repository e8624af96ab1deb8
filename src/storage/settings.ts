/**
 * Reading and writing the guard's settings. Every setting has a default, so a missing row is never an error.
 */
import type { IDBPDatabase } from 'idb';
import { DEFAULT_SETTINGS, type MaskGuardDB, type SettingRecord, type Settings } from './schema.js';

/** All settings: the stored values over the defaults. */
export async function readSettings(db: IDBPDatabase<MaskGuardDB>): Promise<Settings> {
  const settings: Settings = { ...DEFAULT_SETTINGS };
  for (const record of await db.getAll('settings')) {
    // A value of the wrong type (a bug, or a format from a newer release) leaves the default in force.
    if (record.key in DEFAULT_SETTINGS && typeof record.value === typeof DEFAULT_SETTINGS[record.key]) {
      Object.assign(settings, { [record.key]: record.value });
    }
  }
  return settings;
}

/** Stores one setting; rejects if the write failed. */
export async function writeSetting<K extends keyof Settings>(
  db: IDBPDatabase<MaskGuardDB>,
  key: K,
  value: Settings[K],
): Promise<void> {
  const record: SettingRecord<K> = { key, value };
  // SettingRecord<K> is one member of the SettingRecord union; TypeScript cannot see that for a generic K.
  await db.put('settings', record as SettingRecord);
}
