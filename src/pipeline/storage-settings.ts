/**
 * The settings view's data and actions: persistent storage (ask, and show the answer), the storage estimate,
 * retention (saved in the shift log, pruning at once), the thumbnail opt-in, and the write queue's status
 * with a retry.
 *
 * @fires change - whenever `state` is replaced
 */
import {
  isPersisted,
  requestPersistence,
  storageEstimate,
  type StorageEstimateBytes,
} from '../offline/index.ts';
import type { ShiftLog, StorageStatus } from '../storage/index.ts';

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
  /** The shift log's write status (pending people, quota message). */
  storage: StorageStatus;
  /** The result of the last change, in the guard's words. */
  message: string | undefined;
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
      storage: log.status,
      message: undefined,
      busy: false,
    };
    log.addEventListener('status', () => this.update({ storage: log.status }));
  }

  /** The current state; a new object after every change. */
  get state(): SettingsState {
    return this.current;
  }

  /** Re-reads persistence and the estimate (they change as the app stores things). */
  async refresh(): Promise<void> {
    const [persisted, estimate] = await Promise.all([isPersisted(), storageEstimate()]);
    this.update({ persisted, estimate, storage: this.log.status });
  }

  /** Asks the browser to keep this origin's data; call from a tap (Firefox shows a prompt). */
  async askPersistence(): Promise<void> {
    const persisted = await requestPersistence();
    this.update({ persisted, persistenceAsked: true, estimate: await storageEstimate() });
  }

  /** Saves the retention (whole days within {@link RETENTION_LIMITS}) and deletes shifts now too old. */
  async setRetentionDays(days: number): Promise<void> {
    if (!Number.isInteger(days) || days < RETENTION_LIMITS.min || days > RETENTION_LIMITS.max) {
      this.update({
        message: `Keep shifts for ${RETENTION_LIMITS.min} to ${RETENTION_LIMITS.max} whole days.`,
      });
      return;
    }
    await this.change(async () => {
      await this.log.setSetting('retentionDays', days);
      const pruned = await this.log.prune();
      this.update({ retentionDays: days });
      const deleted = pruned === 0 ? '' : ` Deleted ${pruned} older shift${pruned === 1 ? '' : 's'}.`;
      return `Shifts are kept for ${days} day${days === 1 ? '' : 's'}.${deleted}`;
    });
  }

  /** Turns the thumbnail opt-in on or off (it affects people counted from now on). */
  async setKeepThumbnails(on: boolean): Promise<void> {
    await this.change(async () => {
      await this.log.setSetting('keepThumbnails', on);
      this.update({ keepThumbnails: on });
      return on ? 'Pictures of people without a mask will be kept.' : 'No pictures will be kept.';
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
      message = `Not saved (${error instanceof Error ? error.message : String(error)}).`;
    }
    this.update({ busy: false, message });
  }

  private update(change: Partial<SettingsState>): void {
    this.current = { ...this.current, ...change };
    this.dispatchEvent(new Event('change'));
  }
}
