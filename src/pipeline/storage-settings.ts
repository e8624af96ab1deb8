/**
 * The settings view's data and actions: persistent storage (ask, and show the answer), the storage estimate,
 * retention (saved in the shift log, pruning at once), the thumbnail opt-in with the number of pictures
 * stored (turning it off deletes them at once), and the write queue's status with a retry.
 *
 * @fires change - whenever `state` is replaced
 */
import {
  isPersisted,
  requestPersistence,
  storageEstimate,
  type StorageEstimateBytes,
} from '../offline/index.ts';
import type { HeldPrune, ShiftLog, StorageStatus } from '../storage/index.ts';
import { errorText } from '../shared/error-text.ts';

/** Retention the guard may choose, in days: at least one day, at most ten years. */
export const RETENTION_LIMITS = { min: 1, max: 3650 } as const;

/** What the settings view renders. Replaced as a whole on every change. */
export interface SettingsState {
  /** Storage is persistent (true), not (false), or the browser cannot say (undefined). */
  persisted: boolean | undefined;
  /** The guard has asked in this session (so a "not granted" is an answer, not just the starting state). */
  persistenceAsked: boolean;
  estimate: StorageEstimateBytes | undefined;
  retentionDays: number;
  keepThumbnails: boolean;
  /** Pictures of unmasked people stored on this phone; undefined until read, or if they cannot be counted. */
  storedPictures: number | undefined;
  /** The shift log's write status (pending people, quota message). */
  storage: StorageStatus;
  /** The result of the last change, in the guard's words. */
  message: string | undefined;
  /**
   * A shorter retention that would delete shifts, waiting for the guard to confirm it
   * ({@link StorageSettings.setRetentionDays} with `confirmed`) or cancel it.
   */
  retentionToConfirm: { days: number; shifts: number } | undefined;
  /**
   * Every saved shift is older than the days kept after a long silence (or a clock far ahead): kept until the
   * guard says ({@link StorageSettings.deleteHeldShifts}, {@link StorageSettings.keepHeldShifts}). The live
   * screen asks.
   */
  heldPrune: HeldPrune | undefined;
  /** Why the guard's answer to `heldPrune` could not be carried out; they may answer again. */
  heldPruneProblem: string | undefined;
  busy: boolean;
}

/** See the module comment. */
export class StorageSettings extends EventTarget {
  private current: SettingsState;

  constructor(private readonly log: ShiftLog) {
    super();
    this.current = {
      persisted: undefined,
      persistenceAsked: false,
      estimate: undefined,
      retentionDays: log.getSetting('retentionDays'),
      keepThumbnails: log.getSetting('keepThumbnails'),
      storedPictures: undefined,
      storage: log.status,
      message: undefined,
      retentionToConfirm: undefined,
      heldPrune: log.heldPrune,
      heldPruneProblem: undefined,
      busy: false,
    };
    log.addEventListener('status', () => this.update({ storage: log.status, heldPrune: log.heldPrune }));
  }

  /** The current state; a new object after every change. */
  get state(): SettingsState {
    return this.current;
  }

  /** Re-reads persistence, the estimate and the number of pictures (they change as the app stores things). */
  async refresh(): Promise<void> {
    const [persisted, estimate, storedPictures] = await Promise.all([
      isPersisted(),
      storageEstimate(),
      this.countPictures(),
    ]);
    // A question left open when the guard went to another view is not answered later with what it said then.
    this.update({
      persisted,
      estimate,
      storedPictures,
      storage: this.log.status,
      retentionToConfirm: undefined,
    });
  }

  /** Asks the browser to keep this origin's data; call from a tap (Firefox shows a prompt). */
  async askPersistence(): Promise<void> {
    const persisted = await requestPersistence();
    this.update({ persisted, persistenceAsked: true, estimate: await storageEstimate() });
  }

  /**
   * Saves the retention (whole days within {@link RETENTION_LIMITS}) and deletes shifts now too old. A
   * retention that would delete shifts is not applied until `confirmed`: it waits in `retentionToConfirm`
   * (a mistyped "1" must not wipe the history the moment the field loses focus).
   */
  async setRetentionDays(days: number, confirmed = false): Promise<void> {
    if (!Number.isInteger(days) || days < RETENTION_LIMITS.min || days > RETENTION_LIMITS.max) {
      this.update({
        message: `Keep shifts for ${RETENTION_LIMITS.min} to ${RETENTION_LIMITS.max} whole days.`,
        retentionToConfirm: undefined,
      });
      return;
    }
    if (!confirmed) {
      // Unknown (the count failed): ask anyway, without a number.
      const shifts = await this.log.countPrunable(days).catch(() => Number.NaN);
      if (shifts !== 0) {
        this.update({ retentionToConfirm: { days, shifts }, message: undefined });
        return;
      }
    }
    this.update({ retentionToConfirm: undefined });
    await this.change(async () => {
      // Older shifts go first, by the new number of days: on a full phone (which the live screen then sends
      // the guard here for) deleting frees the space that saving the setting needs.
      let deleted = '';
      let notDeleted: string | undefined;
      try {
        const pruned = await this.log.prune(undefined, days);
        if (pruned > 0) deleted = ` Deleted ${pruned} older shift${pruned === 1 ? '' : 's'}.`;
      } catch (error) {
        notDeleted = errorText(error);
      }
      try {
        await this.log.setSetting('retentionDays', days);
      } catch (error) {
        return `Not saved (${errorText(error)}).${deleted}`;
      }
      this.update({ retentionDays: days });
      const kept = `Shifts are kept for ${days} day${days === 1 ? '' : 's'}`;
      return notDeleted === undefined
        ? `${kept}.${deleted}`
        : `${kept}; older ones could not be deleted yet (${notDeleted}).`;
    });
  }

  /**
   * Turns the thumbnail opt-in on (for people counted from now on) or off. Off also deletes every stored
   * picture at once: the guard turned it off to have no face images kept, not only no new ones.
   */
  async setKeepThumbnails(on: boolean): Promise<void> {
    await this.change(async () => {
      if (on) {
        await this.log.setSetting('keepThumbnails', true);
        this.update({ keepThumbnails: true, storedPictures: await this.countPictures() });
        return 'Pictures of people without a mask will be kept.';
      }
      // The pictures go first: on a full phone that frees the space that saving the setting needs.
      let deleted: number | undefined;
      let notDeleted: string | undefined;
      try {
        deleted = await this.log.deleteThumbnails();
      } catch (error) {
        notDeleted = errorText(error);
      }
      try {
        await this.log.setSetting('keepThumbnails', false);
      } catch (error) {
        this.update({ storedPictures: await this.countPictures() });
        const gone = deleted === undefined ? '' : ` ${picturesDeleted(deleted)}`;
        return `Not saved (${errorText(error)}).${gone}`;
      }
      this.update({ keepThumbnails: false });
      // An unmasked person counted while the pictures were being deleted could still keep one: delete again.
      if (deleted !== undefined) deleted += await this.log.deleteThumbnails().catch(() => 0);
      if (deleted === undefined) {
        // The setting is saved (no new pictures); the shift log retries the deletion when it next opens.
        this.update({ storedPictures: await this.countPictures() });
        return (
          `Pictures off, but the stored pictures could not be deleted (${notDeleted}). ` +
          'MaskGuard tries again when it next starts.'
        );
      }
      this.update({ storedPictures: 0 });
      return picturesOffMessage(deleted);
    });
  }

  /** The guard's answer to {@link SettingsState.heldPrune}: delete those shifts, as the days kept say. */
  async deleteHeldShifts(): Promise<void> {
    await this.answerHeldPrune(async () => {
      const pruned = await this.log.prune();
      return `Deleted ${pruned} old shift${pruned === 1 ? '' : 's'}.`;
    });
  }

  /** The guard's answer to {@link SettingsState.heldPrune}: keep those shifts the days set from today. */
  async keepHeldShifts(): Promise<void> {
    await this.answerHeldPrune(async () => {
      const kept = await this.log.keepHeldShifts();
      const days = this.current.retentionDays;
      return `Kept ${kept} old shift${kept === 1 ? '' : 's'} for ${days} more day${days === 1 ? '' : 's'}.`;
    });
  }

  private async answerHeldPrune(answer: () => Promise<string>): Promise<void> {
    await this.change(async () => {
      try {
        const message = await answer();
        this.update({ heldPrune: this.log.heldPrune, heldPruneProblem: undefined });
        return message;
      } catch (error) {
        this.update({ heldPrune: this.log.heldPrune, heldPruneProblem: errorText(error) });
        throw error;
      }
    });
  }

  /** Drops a retention waiting for confirmation: nothing is deleted, the old number of days stays. */
  cancelRetention(): void {
    this.update({
      retentionToConfirm: undefined,
      message: `Shifts are still kept for ${this.current.retentionDays} days.`,
    });
  }

  /** Retries the writes that are waiting in memory. */
  async retry(): Promise<void> {
    await this.change(async () => {
      const done = await this.log.retry();
      this.update({ storage: this.log.status, estimate: await storageEstimate() });
      return done ? 'Everything is saved.' : 'Still not saved; free some space on the phone and retry.';
    });
  }

  private async change(action: () => Promise<string>): Promise<void> {
    if (this.current.busy) return;
    this.update({ busy: true, message: undefined });
    let message: string;
    try {
      message = await action();
    } catch (error) {
      // setSetting rejects when the value could not be stored: the old value stays in effect.
      message = `Not saved (${errorText(error)}).`;
    }
    this.update({ busy: false, message });
  }

  /** The stored pictures, or undefined if they cannot be counted (a count is no reason to fail a change). */
  private countPictures(): Promise<number | undefined> {
    return this.log.thumbnailCount().catch(() => undefined);
  }

  private update(change: Partial<SettingsState>): void {
    this.current = { ...this.current, ...change };
    this.dispatchEvent(new Event('change'));
  }
}

/** What the guard reads after turning pictures off, `deleted` being the number of stored pictures deleted. */
export function picturesOffMessage(deleted: number): string {
  return `Pictures off: ${picturesDeleted(deleted)}`;
}

/** "3 stored pictures deleted.", or that there were none. */
function picturesDeleted(deleted: number): string {
  if (deleted === 0) return 'no pictures were stored.';
  return `${deleted} stored picture${deleted === 1 ? '' : 's'} deleted.`;
}
