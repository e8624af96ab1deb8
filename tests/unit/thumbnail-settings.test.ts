/**
 * The page side of the thumbnail opt-in, over a real ShiftLog (fake-indexeddb): the settings model says how
 * many pictures are stored and how many turning the opt-in off deleted, and the history model hands the
 * pictures of the listed people to the view and forgets them the moment they are deleted. Each test opens a
 * fresh database and deletes it afterwards.
 */
// StorageSettings imports the service-worker module, which reads Vite's `import.meta.env`.
/// <reference types="vite/client" />
import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ShiftLog, type CountedPerson, type Decision, type Shift } from '../../src/storage/index.ts';
import { StorageSettings, picturesOffMessage } from '../../src/pipeline/storage-settings.ts';
import { ShiftHistory } from '../../src/pipeline/shift-history.ts';
import type { GuardController } from '../../src/pipeline/guard-controller.ts';

// The service-worker module needs a browser's `navigator` when imported; these tests need none of it.
vi.mock('../../src/offline/index.ts', () => ({
  isPersisted: async () => undefined,
  requestPersistence: async () => undefined,
  storageEstimate: async () => undefined,
}));

let name: string;
let log: ShiftLog;

const person = (decision: Decision): CountedPerson => ({
  decision,
  averageConfidence: 0.9,
  framesSeen: 20,
  timeInViewMs: 1500,
  thumbnail: new Blob([new Uint8Array(3000)], { type: 'image/jpeg' }),
});

/** The history model follows the controller's tally; a tally that never changes is enough here. */
function idleController(): GuardController {
  return Object.assign(new EventTarget(), { state: { tally: {} } }) as unknown as GuardController;
}

beforeEach(async () => {
  name = `thumbnail-settings-${crypto.randomUUID()}`;
  log = await ShiftLog.open({ name });
});

afterEach(async () => {
  vi.restoreAllMocks();
  log.close();
  await deleteDB(name);
});

describe('the thumbnail opt-in in settings', () => {
  it('counts the stored pictures while on, and turning it off deletes them and says how many', async () => {
    const settings = new StorageSettings(log);
    await settings.setKeepThumbnails(true);
    expect(settings.state).toMatchObject({
      keepThumbnails: true,
      storedPictures: 0,
      message: 'Pictures of people without a mask will be kept.',
    });
    await log.startShift('North');
    for (const decision of ['without_mask', 'with_mask', 'without_mask', 'without_mask'] as const) {
      await log.recordPerson(person(decision));
    }
    await settings.refresh();
    expect(settings.state.storedPictures).toBe(3);

    await settings.setKeepThumbnails(false);
    expect(settings.state).toMatchObject({
      keepThumbnails: false,
      storedPictures: 0,
      busy: false,
      message: 'Pictures off: 3 stored pictures deleted.',
    });
    expect(await log.thumbnailCount()).toBe(0);
    expect(log.getSetting('keepThumbnails')).toBe(false);

    await settings.setKeepThumbnails(false);
    expect(settings.state.message).toBe('Pictures off: no pictures were stored.');
    expect(picturesOffMessage(1)).toBe('Pictures off: 1 stored picture deleted.');
  });

  it('says when the pictures could not be deleted, with the opt-in off all the same', async () => {
    const settings = new StorageSettings(log);
    await settings.setKeepThumbnails(true);
    await log.startShift('North');
    await log.recordPerson(person('without_mask'));
    vi.spyOn(log, 'deleteThumbnails').mockRejectedValue(new Error('disk error'));
    await settings.setKeepThumbnails(false);
    expect(settings.state).toMatchObject({ keepThumbnails: false, storedPictures: 1 });
    expect(settings.state.message).toContain('could not be deleted (disk error)');
    expect(log.getSetting('keepThumbnails')).toBe(false);
  });
});

describe('turning pictures off while people are counted', () => {
  it('leaves no picture of a person counted between the deletion and the saved setting', async () => {
    const settings = new StorageSettings(log);
    await settings.setKeepThumbnails(true);
    await log.startShift('North');
    await log.recordPerson(person('without_mask'));
    const save = log.setSetting.bind(log);
    vi.spyOn(log, 'setSetting').mockImplementation(async (key, value) => {
      // The camera counts an unmasked person while the setting is being saved: the opt-in is still on.
      await log.recordPerson(person('without_mask'));
      return save(key, value);
    });
    await settings.setKeepThumbnails(false);
    expect(await log.thumbnailCount()).toBe(0);
    expect(settings.state).toMatchObject({
      keepThumbnails: false,
      storedPictures: 0,
      message: 'Pictures off: 2 stored pictures deleted.',
    });
  });
});

describe('settings on a full phone', () => {
  /** A phone so full that saving a setting fails while anything of `stillThere` is left on it. */
  function fullWhile(stillThere: () => Promise<boolean>) {
    const save = log.setSetting.bind(log);
    vi.spyOn(log, 'setSetting').mockImplementation(async (key, value) => {
      if (await stillThere()) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return save(key, value);
    });
  }

  it('turns pictures off by deleting them first, which frees the space the setting needs', async () => {
    const settings = new StorageSettings(log);
    await settings.setKeepThumbnails(true);
    await log.startShift('North');
    await log.recordPerson(person('without_mask'));
    fullWhile(async () => (await log.thumbnailCount()) > 0);
    await settings.setKeepThumbnails(false);
    expect(settings.state).toMatchObject({
      keepThumbnails: false,
      storedPictures: 0,
      message: 'Pictures off: 1 stored picture deleted.',
    });
    expect(log.getSetting('keepThumbnails')).toBe(false);
  });

  /**
   * The shift log reopened on a clock the test moves, with one shift (and one person in it) ended, then the
   * clock moved ten days on; `whileOld` runs before the clock moves.
   */
  async function shiftEndedTenDaysAgo(whileOld: (shift: Shift) => void = () => {}) {
    let clock = Date.now();
    log.close();
    log = await ShiftLog.open({ name, now: () => clock });
    const settings = new StorageSettings(log);
    const old = await log.startShift('North');
    await log.recordPerson(person('with_mask'));
    await log.endShift();
    whileOld(old);
    clock += 10 * 24 * 3600 * 1000;
    return { settings, old };
  }

  it('keeps shifts for fewer days by deleting the older ones first, which frees the space', async () => {
    const { settings, old } = await shiftEndedTenDaysAgo((old) =>
      fullWhile(async () => (await log.shifts()).some((s) => s.id === old.id)),
    );
    // Ten days on, the guard keeps 7 days instead of 90: asked first, as it deletes a shift.
    await settings.setRetentionDays(7);
    expect(settings.state).toMatchObject({ retentionDays: 90, retentionToConfirm: { days: 7, shifts: 1 } });
    expect((await log.shifts()).map((s) => s.id)).toContain(old.id);
    await settings.setRetentionDays(7, true);
    expect(settings.state).toMatchObject({
      retentionToConfirm: undefined,
      retentionDays: 7,
      message: 'Shifts are kept for 7 days. Deleted 1 older shift.',
    });
    expect(log.getSetting('retentionDays')).toBe(7);
  });

  it('deletes nothing when the guard cancels a shorter retention, and asks nothing when none would go', async () => {
    const { settings, old } = await shiftEndedTenDaysAgo();
    await settings.setRetentionDays(3);
    expect(settings.state.retentionToConfirm).toEqual({ days: 3, shifts: 1 });
    settings.cancelRetention();
    expect(settings.state).toMatchObject({
      retentionDays: 90,
      retentionToConfirm: undefined,
      message: 'Shifts are still kept for 90 days.',
    });
    expect(log.getSetting('retentionDays')).toBe(90);
    expect((await log.shifts()).map((s) => s.id)).toContain(old.id);
    // 30 days keeps the 10-day-old shift: applied at once.
    await settings.setRetentionDays(30);
    expect(settings.state).toMatchObject({ retentionDays: 30, retentionToConfirm: undefined });
    expect((await log.shifts()).map((s) => s.id)).toContain(old.id);
  });

  it('says so when the setting still cannot be saved, and keeps the old value in effect', async () => {
    const settings = new StorageSettings(log);
    fullWhile(async () => true);
    await settings.setRetentionDays(30);
    expect(settings.state.message).toBe('Not saved (The quota has been exceeded.).');
    expect(log.getSetting('retentionDays')).toBe(90);
  });

  it('says which pictures went when turning them off still cannot be saved', async () => {
    const settings = new StorageSettings(log);
    await settings.setKeepThumbnails(true);
    await log.startShift('North');
    await log.recordPerson(person('without_mask'));
    await log.recordPerson(person('without_mask'));
    fullWhile(async () => true);
    await settings.setKeepThumbnails(false);
    expect(settings.state).toMatchObject({
      keepThumbnails: true,
      storedPictures: 0,
      message: 'Not saved (The quota has been exceeded.). 2 stored pictures deleted.',
    });
    expect(log.getSetting('keepThumbnails')).toBe(true);
  });
});

describe('pictures in the history', () => {
  it('hands over the pictures of the listed people and forgets them when they are deleted', async () => {
    await log.setSetting('keepThumbnails', true);
    await log.startShift('North');
    const unmasked = await log.recordPerson(person('without_mask'));
    await log.recordPerson(person('with_mask'));
    const history = new ShiftHistory(log, idleController());
    await history.refresh();
    expect(history.state.events).toHaveLength(2);
    expect([...history.state.pictures.keys()]).toEqual([unmasked.id]);
    expect(history.state.pictures.get(unmasked.id)?.size).toBe(3000);

    const settings = new StorageSettings(log);
    await settings.setKeepThumbnails(false);
    // Gone before the history reads the log again: a view shown now has no picture to show.
    expect(history.state.pictures.size).toBe(0);
    await history.refresh();
    expect(history.state.pictures.size).toBe(0);
    expect(history.state.events.map((e) => e.thumbnailId)).toEqual([undefined, undefined]);
  });
});
