/**
 * The page side of a held prune (ShiftLog.heldPrune: every saved shift older than the days kept after a long
 * silence), over a real ShiftLog (fake-indexeddb): the settings model carries the question to the live screen,
 * and the guard's answer (delete, keep) ends it, or says why it could not be carried out and asks on.
 */
// StorageSettings imports the service-worker module, which reads Vite's `import.meta.env`.
/// <reference types="vite/client" />
import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ShiftLog } from '../../src/storage/index.ts';
import { StorageSettings } from '../../src/pipeline/storage-settings.ts';
import { person } from '../helpers/shift-log-fixtures.ts';

vi.mock('../../src/offline/index.ts', () => ({
  isPersisted: async () => undefined,
  requestPersistence: async () => undefined,
  storageEstimate: async () => undefined,
}));

const DAY = 86_400_000;
let name: string;
let clock: number;
let log: ShiftLog;
const open = () => ShiftLog.open({ name, now: () => clock });

/** Two shifts of one person each, the last ended on 20 June 2024; then the log opened five years later. */
beforeEach(async () => {
  name = `held-prune-${crypto.randomUUID()}`;
  clock = new Date(2024, 5, 18, 8).getTime();
  log = await open();
  for (let i = 0; i < 2; i++) {
    await log.startShift('North');
    await log.recordPerson(person('with_mask'));
    clock += DAY;
    await log.endShift();
  }
  log.close();
  clock += 5 * 365 * DAY;
  log = await open();
});

afterEach(async () => {
  vi.restoreAllMocks();
  log.close();
  await deleteDB(name);
});

describe('every saved shift older than the days kept, asked about on the live screen', () => {
  it('is asked while held, and "Keep them" ends the question and says for how long', async () => {
    const settings = new StorageSettings(log);
    expect(settings.state.heldPrune).toMatchObject({ shifts: 2 });
    const changes: unknown[] = [];
    settings.addEventListener('change', () => changes.push(settings.state.heldPrune));
    await settings.keepHeldShifts();
    expect(settings.state).toMatchObject({
      heldPrune: undefined,
      heldPruneProblem: undefined,
      busy: false,
      message: 'Kept 2 old shifts for 90 more days.',
    });
    expect(changes).toContain(undefined);
    expect(await log.shifts()).toHaveLength(2);
  });

  it('says why "Delete" could not be done, keeps asking, and deletes on the next try', async () => {
    const settings = new StorageSettings(log);
    const prune = vi.spyOn(log, 'prune').mockRejectedValueOnce(new Error('the disk is busy'));
    await settings.deleteHeldShifts();
    expect(settings.state).toMatchObject({
      heldPrune: { shifts: 2 },
      heldPruneProblem: 'the disk is busy',
      busy: false,
    });
    expect(await log.shifts()).toHaveLength(2);
    prune.mockRestore();
    await settings.deleteHeldShifts();
    expect(settings.state).toMatchObject({
      heldPrune: undefined,
      heldPruneProblem: undefined,
      message: 'Deleted 2 old shifts.',
    });
    expect(await log.shifts()).toHaveLength(0);
  });

  it('ends when the guard confirms a days kept in Settings instead', async () => {
    const settings = new StorageSettings(log);
    // Ten years kept: nothing is deleted, and nothing is older than that any more.
    await settings.setRetentionDays(3650);
    expect(settings.state.heldPrune).toBeUndefined();
    expect(log.heldPrune).toBeUndefined();
    expect(await log.shifts()).toHaveLength(2);
  });
});
