/**
 * The shift log: the one module that opens the database. Components call it; they never touch IndexedDB.
 */
import { openDB, type IDBPDatabase } from 'idb';
import { newId } from './ids.js';
import {
  DB_NAME,
  DB_VERSION,
  migrate,
  withoutThumbnail,
  type Decision,
  type MaskGuardDB,
  type PersonEvent,
  type Settings,
  type Shift,
} from './schema.js';
import { readSettings, writeSetting } from './settings.js';
import { DAY_MS, deleteShift, endedBefore, endedShiftsBefore, shiftsEndedBefore } from './retention.js';
import { deleteAllThumbnails, mayKeepThumbnail, readThumbnails, storedThumbnailBytes } from './thumbnails.js';
import { tallyDecisions, type Tally } from '../shared/tracking/tally.js';
import { nextTask } from '../shared/next-task.js';
import { dayRange, hourlyOf, type HourBucket } from './hourly.js';
import { WriteQueue, type StorageStatus } from './write-queue.js';
import type { PendingWrite } from './writes.js';
import { clearUnwritten, readUnwritten, saveUnwritten, type HandoverStorage } from './carry-over.js';

/** Options of {@link ShiftLog.open}; all optional, the defaults are what the app uses. */
export interface ShiftLogOptions {
  /** Database name. Default {@link DB_NAME}; tests pass a fresh name each. */
  name?: string;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Milliseconds between automatic retries while writes are pending. Default 15 s. */
  retryMs?: number;
  /** Prune old shifts while opening. Default true. */
  pruneOnOpen?: boolean;
  /**
   * The origin's localStorage: the records the page before could not write are taken from it and queued again
   * (see ./carry-over.ts and {@link ShiftLog.saveForReload}). Default none.
   */
  handoverStorage?: HandoverStorage;
  /**
   * Epoch ms before which no true reading of the clock can lie (the app is newer): a shift started or ended
   * while the clock reads earlier is marked {@link Shift.notBefore}. Default 0 (every reading believed); the
   * app passes {@link EARLIEST_TRUE_TIME}.
   */
  earliestTrueTime?: number;
}

/**
 * 1 November 2026, 00:00 UTC: MaskGuard did not exist before, so a phone whose clock reads earlier has lost
 * the date (see {@link Shift.notBefore}).
 */
export const EARLIEST_TRUE_TIME = Date.UTC(2026, 10, 1);

/** One person as the tracker counted them. */
export interface CountedPerson {
  decision: Decision;
  averageConfidence: number;
  framesSeen: number;
  timeInViewMs: number;
  /** Epoch milliseconds; default now. */
  time?: number;
  /** A small image of the person; kept only if unmasked, opted in, and within the size caps. */
  thumbnail?: Blob;
  /** The number the person's box and alert showed ("#7"; see PersonCounted.number). */
  number?: number;
  /**
   * The record's id, when the caller must know it before the record is written (a page about to reload
   * names the records it has on their way, see DoorCounter.saveForReload); default a new one.
   */
  id?: string;
}

/** The latest of `events` (oldest first) that the guard has not removed from the count. */
export function lastCounted(events: readonly PersonEvent[]): PersonEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.removed === undefined) return events[i];
  return undefined;
}

/** Picks the person a change is for from a shift's people (oldest first), or nobody. */
type PickPerson = (events: PersonEvent[]) => PersonEvent | undefined;

/** The latest person still in the count, if it is `expectedId` (or whoever it is, without one). */
const lastPerson =
  (expectedId: string | undefined): PickPerson =>
  (events) => {
    const last = lastCounted(events);
    return last && (expectedId === undefined || last.id === expectedId) ? last : undefined;
  };

/** Person `eventId`, if still in the count. */
const countedPerson =
  (eventId: string): PickPerson =>
  (events) =>
    events.find((e) => e.id === eventId && e.removed === undefined);

/**
 * A running shift in which nobody has been counted for this long (and that started at least this long ago)
 * is over: the guard who ran it forgot to end it. It is ended at its last count (see endIdleShift: when the
 * app opens, when the next person is counted by the camera or by hand, and when the shift panel is read), so
 * that a new day's people do not go into yesterday's tally, and so that the
 * retention setting, which deletes ended shifts only, also applies to it and its pictures. 12 hours: longer
 * than any quiet spell inside one guard's shift at a door.
 */
export const IDLE_SHIFT_END_MS = 12 * 3_600_000;

/**
 * How long, at least, nothing must have been recorded before the prune at open asks instead of deleting every
 * saved shift (see {@link ShiftLog.heldPrune}): 30 days. A guard who keeps shifts for a day and works every
 * other day is not asked each time; a phone whose clock jumped years ahead, or one left in a drawer for
 * months, is.
 */
export const HOLD_PRUNE_AFTER_MS = 30 * DAY_MS;

/** Shifts that the prune at open would have deleted, all of them, kept until the guard says (see heldPrune). */
export interface HeldPrune {
  /** How many ended shifts the days kept would delete. */
  shifts: number;
  /** The latest time anything was recorded before this open (epoch ms). */
  lastRecordedAt: number;
}

/** Which events a tally or a chart covers: one shift, or the local day containing `day` (epoch ms). */
export type TallyScope = { shiftId: string } | { day: number };

/**
 * The guard's shifts and the people counted in them.
 *
 * Every counted person is queued in memory first and then written in its own strict transaction; a failed
 * write (a full disk above all) leaves them queued, counted in every tally, and retried on the next write,
 * every `retryMs`, and on {@link ShiftLog.retry}.
 *
 * @fires status - an `Event` whenever {@link ShiftLog.status} changes.
 * @fires thumbnails-deleted - an `Event` after {@link ShiftLog.deleteThumbnails} deleted them all.
 * @fires shifts-pruned - an `Event` after {@link ShiftLog.prune} deleted one or more shifts (also the prune
 *   that opening starts, which may end after views have read the shifts).
 */
export class ShiftLog extends EventTarget {
  private readonly queue: WriteQueue;
  private running: Shift | undefined;
  /** When the running shift last saw a person counted (or started): see {@link IDLE_SHIFT_END_MS}. */
  private lastActivity = 0;
  /**
   * The highest person number recorded in the latest shift that has numbers, read at open and raised by each
   * record since (see nextPersonNumber).
   */
  private highestNumber = 0;
  /**
   * The last shift ended, if the app ended it because nobody was counted in it for too long (see endIdleShift):
   * for the guard to be told, also once the next person has started a new shift, and after a reload (it is read
   * back from the shifts on open). Cleared when the guard ends a shift.
   */
  endedIdle: Shift | undefined;
  /**
   * The people of the latest shift started (running, or ended since) as they are on disk: read once when the
   * log opens, then kept by every write that completes (see {@link written}). Only this page writes (it holds
   * the counting lock, see main.ts), so this is the disk's content without reading it back. A count re-read the
   * running shift for the tally and the views; at a busy door (3,000 people) a count then took 34 ms to reach
   * the live tally and 78 ms History (96 and 250 ms at a phone's speed, frames held up meanwhile), 5 and 29 ms
   * (18 and 64) without. Reads overlay the queue on it as on the disk.
   */
  private onDisk: { shiftId: string; events: Map<string, PersonEvent> } | undefined;
  /** Bytes of stored thumbnails; undefined after anything that may have deleted some (recounted lazily). */
  private storedThumbnailBytes: number | undefined;
  /**
   * The retention prune that opening started (see {@link open}), resolved to the number of shifts it deleted
   * (0 if it failed part-way: the next open goes on with the rest). Opening does not wait for it.
   */
  pruning: Promise<number> = Promise.resolve(0);
  /**
   * Set when opening found that the days kept would delete every saved shift because nothing had been recorded
   * for longer than them (and for {@link HOLD_PRUNE_AFTER_MS}): by the phone's clock the app was unused for
   * that long, or the clock jumped ahead (set to 2031 by mistake: every shift, with its people, would go at
   * once, and setting the date right afterwards would not bring them back). Those shifts are not deleted until
   * the guard says: {@link prune} (any prune clears this), or {@link keepHeldShifts}.
   */
  heldPrune: HeldPrune | undefined;
  /**
   * The latest believable time the log has recorded (read from the shifts at open, raised by every start, end
   * and person since), at least {@link ShiftLogOptions.earliestTrueTime}: what a shift recorded with a clock
   * set far back gets as {@link Shift.notBefore}.
   */
  private latestTrueTime: number;

  private constructor(
    private readonly db: IDBPDatabase<MaskGuardDB>,
    private readonly settings: Settings,
    private readonly now: () => number,
    retryMs: number,
    private readonly earliestTrueTime: number,
  ) {
    super();
    this.latestTrueTime = earliestTrueTime;
    this.queue = new WriteQueue(
      db,
      retryMs,
      (write) => this.written(write),
      () => this.dispatchEvent(new Event('status')),
    );
  }

  /** Opens (creating or migrating) the database and restores the running shift, if any. */
  static async open(options: ShiftLogOptions = {}): Promise<ShiftLog> {
    const db = await openDB<MaskGuardDB>(options.name ?? DB_NAME, DB_VERSION, {
      upgrade(db, oldVersion, newVersion, tx) {
        // Abort on a failed step, so the open fails rather than leaving a half-migrated database.
        migrate(db, oldVersion, newVersion ?? DB_VERSION, tx).catch(() => {
          try {
            tx.abort();
          } catch {
            // Already finished: its own error has failed the open.
          }
        });
      },
      // A newer version of the app wants to upgrade the schema: let it. Writes then fail and stay queued.
      blocking: () => db.close(),
    });
    try {
      return await ShiftLog.load(db, options);
    } catch (error) {
      // Not left open behind a page that says it could not start (closing twice is harmless).
      db.close();
      throw error;
    }
  }

  /** The rest of {@link open}, on the opened database: settings, carried records, the running shift. */
  private static async load(db: IDBPDatabase<MaskGuardDB>, options: ShiftLogOptions): Promise<ShiftLog> {
    const settings = await readSettings(db);
    const log = new ShiftLog(
      db,
      settings,
      options.now ?? Date.now,
      options.retryMs ?? 15_000,
      options.earliestTrueTime ?? 0,
    );
    try {
      // What the page before could not write goes first, before the running shift is read: it may be that
      // shift's start or end. Kept queued (and said) if it still cannot be written.
      const carried = options.handoverStorage === undefined ? [] : readUnwritten(options.handoverStorage);
      for (const write of carried) log.queue.pending.add(write);
      if (carried.length > 0) await log.queue.retry();
      const byId = new Map((await db.getAllFromIndex('shifts', 'byStart')).map((shift) => [shift.id, shift]));
      for (const shift of log.queue.pending.shifts()) byId.set(shift.id, shift);
      const latest = [...byId.values()].sort((a, b) => b.start - a.start);
      for (const shift of latest) {
        log.noteTime(Math.max(shift.start, shift.end ?? 0, shift.endedByAppAt ?? 0, shift.notBefore ?? 0));
      }
      log.running = latest.find((shift) => shift.end === undefined);
      // Shifts follow one another, so the latest-started ended shift is the last one ended.
      const lastEnded = latest.find((shift) => shift.end !== undefined);
      // Not one that the prune below deletes: the guard would be told of a shift gone from History.
      const cutoff = log.now() - settings.retentionDays * DAY_MS;
      if (lastEnded?.endReason === 'idle' && !endedBefore(lastEnded, cutoff)) log.endedIdle = lastEnded;
      // The running shift's last activity; and the highest person number of the latest shift that has numbers,
      // running or not (numbers go on from it, as they do on a page that stays open from one shift to the next;
      // an empty shift or one of hand counts has none). Read one by one: a shift may hold a great many people.
      if (log.running !== undefined) log.lastActivity = log.running.start;
      // The running shift's people may be later than any shift's start (read below): noteActivity raises it.
      const running = log.running;
      for (const shift of running !== undefined
        ? [running, ...latest.filter((s) => s !== running)]
        : latest) {
        const note = (event: PersonEvent) => {
          if (shift === running) log.noteActivity(event);
          else log.highestNumber = Math.max(log.highestNumber, event.number ?? 0);
        };
        const onDisk = new Map<string, PersonEvent>();
        let cursor = await db.transaction('events').store.index('byShift').openCursor(shift.id);
        for (; cursor; cursor = await cursor.continue()) {
          note(cursor.value);
          if (shift === running) onDisk.set(cursor.value.id, cursor.value);
        }
        if (shift === running) log.onDisk = { shiftId: shift.id, events: onDisk };
        for (const event of log.queue.pending.events()) if (event.shiftId === shift.id) note(event);
        if (log.highestNumber > 0) break;
      }
      // What was recorded before this open (ending an idle shift below records the present).
      const lastRecordedAt = log.latestTrueTime;
      if (log.running !== undefined) await log.endIdleShift();
      if (options.pruneOnOpen ?? true) await log.pruneOnOpen(lastRecordedAt);
      // With the opt-in off no picture may stay: one can if the page closed between turning it off and the
      // deletion, or the deletion failed. Same reasoning as the prune: a failure must not stop the counting.
      if (!settings.keepThumbnails && (await db.count('thumbnails').catch(() => 0)) > 0) {
        await log.deleteThumbnails().catch(() => 0);
      }
      // Opened: the records passed on are in this log's queue (or on disk), and go with its own at pagehide.
      if (options.handoverStorage !== undefined) clearUnwritten(options.handoverStorage);
      return log;
    } catch (error) {
      // Its retry timer too: a log that failed to open must not go on writing.
      log.close();
      throw error;
    }
  }

  /** What to tell the guard about storage right now. */
  get status(): StorageStatus {
    return this.queue.status;
  }

  /** People counted but not yet on disk (a queued shift record is not a person and is not counted here). */
  get pendingCount(): number {
    return this.queue.pendingPeople;
  }

  /**
   * Whether any record (a person, a correction, a shift's start or end) is not on disk yet: failed and kept
   * in memory, or still waiting behind the write in progress. A reload now would lose it.
   */
  get hasUnsaved(): boolean {
    return this.queue.pending.first() !== undefined;
  }

  /**
   * The first person number a new page's tracker may give (see PersonEvent.number): above every number in
   * the latest shift that has numbers (running or not), so that a number means one person in a shift even when a page opened
   * mid-shift counts on, and numbers go on from one shift to the next whether or not the page was reloaded
   * in between (as on a page that stays open).
   */
  get nextPersonNumber(): number {
    return this.highestNumber + 1;
  }

  /** The running shift, if any. */
  currentShift(): Shift | undefined {
    return this.running;
  }

  /**
   * Ends the running shift at its last count if nobody has been counted in it for {@link IDLE_SHIFT_END_MS}
   * (see there); resolves to that shift, kept in {@link endedIdle} for the guard to be told, or undefined.
   */
  async endIdleShift(): Promise<Shift | undefined> {
    if (!this.running || this.now() - this.lastActivity < IDLE_SHIFT_END_MS) return undefined;
    const now = this.now();
    const shift = this.stamped(
      { ...this.running, end: this.lastActivity, endReason: 'idle', endedByAppAt: now },
      now,
    );
    this.running = undefined;
    this.endedIdle = shift;
    await this.queue.save({ kind: 'shift', shift });
    return shift;
  }

  /** Starts a shift at `door`. Throws if one is running: the guard ends it first (with confirmation). */
  async startShift(door: string): Promise<Shift> {
    if (this.running) throw new Error('A shift is already running');
    const start = this.now();
    this.running = this.stamped({ id: newId(), start, door: door.trim() }, start);
    this.lastActivity = this.running.start;
    // A new id: nobody of it is on disk yet.
    this.onDisk = { shiftId: this.running.id, events: new Map() };
    await this.queue.save({ kind: 'shift', shift: this.running });
    return this.running;
  }

  /**
   * Renames the running shift's door (a name typed as the camera started the shift with the one before, or a
   * guard who moved to another door). Resolves to the renamed shift, or undefined if none is running or
   * `door` is blank. Queued like any write: a failed one stays queued (see {@link ShiftLog.status}).
   */
  async renameRunning(door: string): Promise<Shift | undefined> {
    const name = door.trim();
    if (!this.running || name === '') return undefined;
    this.running = { ...this.running, door: name };
    await this.queue.save({ kind: 'shift', shift: this.running });
    return this.running;
  }

  /** Ends the running shift; resolves to it, or undefined if none was running. */
  async endShift(): Promise<Shift | undefined> {
    if (!this.running) return undefined;
    const end = this.now();
    const shift = this.stamped({ ...this.running, end }, end);
    this.running = undefined;
    this.endedIdle = undefined;
    await this.queue.save({ kind: 'shift', shift });
    return shift;
  }

  /**
   * Records one person counted by the tracker in the running shift, or in `shift` (one that has ended since
   * they were counted: a record a closed page passed on, written when the app is opened again). Resolves once
   * the write was attempted; it does not reject on a storage failure (the person stays queued, see
   * {@link ShiftLog.status}).
   */
  async recordPerson(person: CountedPerson, shift: Shift = this.requireShift()): Promise<PersonEvent> {
    const event: PersonEvent = {
      id: person.id ?? newId(),
      shiftId: shift.id,
      time: person.time ?? this.now(),
      decision: person.decision,
      averageConfidence: person.averageConfidence,
      framesSeen: person.framesSeen,
      timeInViewMs: person.timeInViewMs,
      source: 'auto',
    };
    if (person.number !== undefined) {
      event.number = person.number;
      this.highestNumber = Math.max(this.highestNumber, person.number);
    }
    if (shift.id === this.running?.id) this.lastActivity = Math.max(this.lastActivity, event.time);
    this.noteTime(event.time);
    const accepted = await this.acceptThumbnail(event.decision, person.thumbnail);
    await this.saveWithPicture(event, accepted);
    return event;
  }

  /**
   * Replaces what the tracker recorded of person `eventId` (counted `uncertain` when the app was hidden, and
   * decided once seen again): decision, confidence, frames and time in view. Still one person, and still in
   * the shift they were counted in, even if the guard has ended it since (they were at the door then). A
   * decision the guard corrected by hand is theirs and stays. Resolves to the updated event, or undefined
   * when the person is not in shift `shiftId` or was corrected.
   */
  async revisePerson(
    { id: eventId, shiftId }: Pick<PersonEvent, 'id' | 'shiftId'>,
    person: CountedPerson,
  ): Promise<PersonEvent | undefined> {
    const accepted = await this.acceptThumbnail(person.decision, person.thumbnail);
    // Read after every other await: a correction saved in between must be seen here, not overwritten.
    const found = (await this.events(shiftId)).find((event) => event.id === eventId);
    if (found === undefined || found.corrected !== undefined) return undefined;
    const event: PersonEvent = {
      ...found,
      decision: person.decision,
      averageConfidence: person.averageConfidence,
      framesSeen: person.framesSeen,
      timeInViewMs: person.timeInViewMs,
    };
    // Only unmasked people may have a picture; writing the event without the reference deletes it.
    if (person.decision !== 'without_mask') delete event.thumbnailId;
    // Removed from the count by the guard (a double count): revised all the same, so that putting them back
    // brings the camera's final decision, but still out of the count, and without a picture.
    if (found.removed !== undefined) {
      await this.queue.save({ kind: 'event', event, change: true });
      return event;
    }
    await this.saveWithPicture(event, accepted, true);
    return event;
  }

  /** Adds a person the guard counted by hand (the camera missed them) to the running shift. */
  async addManual(decision: Decision): Promise<PersonEvent> {
    const shift = this.requireShift();
    const event: PersonEvent = {
      id: newId(),
      shiftId: shift.id,
      time: this.now(),
      decision,
      averageConfidence: null,
      framesSeen: 0,
      timeInViewMs: 0,
      source: 'manual',
    };
    this.lastActivity = Math.max(this.lastActivity, event.time);
    await this.queue.save({ kind: 'event', event });
    return event;
  }

  /**
   * Changes the decision of the running shift's latest person still in the count. The first decision ever
   * recorded stays in `corrected.from`. A thumbnail is deleted when the person turns out not to be unmasked.
   * `expectedId`: the person the guard looked at; when someone else is the latest by now (the camera counted
   * them meanwhile), nothing changes. Checked against the same read the change is made from, with no await
   * between them, so the correction can never land on a person the guard did not see.
   * Resolves to the updated event, or undefined if there is no running shift, no person in it, or the latest
   * person is not `expectedId`.
   */
  async correctLast(decision: Decision, expectedId?: string): Promise<PersonEvent | undefined> {
    return this.changeRunning(lastPerson(expectedId), (person) => this.corrected(person, decision));
  }

  /**
   * Changes the decision of person `eventId` of the running shift (one counted before the last, found by the
   * number on their alert), as {@link correctLast} does. Resolves to the updated event, or undefined if they
   * are not a person of the running shift still in the count.
   */
  async correct(eventId: string, decision: Decision): Promise<PersonEvent | undefined> {
    return this.changeRunning(countedPerson(eventId), (person) => this.corrected(person, decision));
  }

  /**
   * Takes the running shift's latest person out of the count (a person counted twice, or a "+ Person" tapped
   * by mistake). The record stays, marked `removed`, so {@link restore} can put it back and History shows it;
   * no tally, chart or export includes it. Its picture, if one was kept, is deleted: a face is not kept of
   * someone who is not in the count. `expectedId` as in {@link correctLast}. Resolves to the removed record, or
   * undefined if there is no running shift, no person left in it, or the latest person is not `expectedId`.
   */
  async removeLast(expectedId?: string): Promise<PersonEvent | undefined> {
    return this.changeRunning(lastPerson(expectedId), (person) => this.removed(person));
  }

  /** Takes person `eventId` of the running shift out of the count, as {@link removeLast} does. */
  async remove(eventId: string): Promise<PersonEvent | undefined> {
    return this.changeRunning(countedPerson(eventId), (person) => this.removed(person));
  }

  /**
   * Puts a person the guard removed from the running shift back into its count, as they were (less the
   * picture, which the removal deleted). Resolves to the restored record, or undefined if `eventId` is not a
   * removed person of the running shift (the shift has ended, or it was restored already).
   */
  async restore(eventId: string): Promise<PersonEvent | undefined> {
    const running = this.running;
    if (!running) return undefined;
    const events = await this.events(running.id);
    const found = events.find((event) => event.id === eventId);
    if (found?.removed === undefined) return undefined;
    const event: PersonEvent = { ...found };
    delete event.removed;
    // The shift's last activity as a page opened now would read it (the removal's time goes with it).
    this.lastActivity = running.start;
    for (const e of events) this.noteActivity(e === found ? event : e);
    await this.queue.save({ kind: 'event', event, change: true });
    return event;
  }

  /** All shifts, on disk or queued, newest first. */
  async shifts(): Promise<Shift[]> {
    return this.queue.serial(async () => {
      const byId = new Map((await this.db.getAll('shifts')).map((shift) => [shift.id, shift]));
      for (const shift of this.queue.pending.shifts()) byId.set(shift.id, shift);
      return [...byId.values()].sort((a, b) => b.start - a.start);
    });
  }

  /** The people of one shift, on disk or queued, oldest first. */
  async events(shiftId: string): Promise<PersonEvent[]> {
    // The latest shift from memory: consistent without waiting for a write in progress, since a write leaves the
    // queue and enters `onDisk` in one step (WriteQueue.drain: settle, then onWritten).
    const onDisk = this.onDisk;
    if (onDisk?.shiftId === shiftId) {
      return this.withPending([...onDisk.events.values()], (event) => event.shiftId === shiftId);
    }
    return this.queue.serial(async () => {
      const stored = await this.db.getAllFromIndex('events', 'byShift', shiftId);
      return this.withPending(stored, (event) => event.shiftId === shiftId);
    });
  }

  /**
   * Every person kept, of every shift, oldest first (queued ones included): the export of everything kept. Read
   * `batch` at a time, the page drawing between reads (read at once, 48,000 people held a phone's page for half a
   * second); inside the write queue's turn, so no write lands between two reads.
   */
  async allEvents(batch = 5_000): Promise<PersonEvent[]> {
    return this.queue.serial(async () => {
      const stored: PersonEvent[] = [];
      let after: string | undefined;
      for (;;) {
        const range = after === undefined ? undefined : IDBKeyRange.lowerBound(after, true);
        const read = await this.db.getAll('events', range, batch);
        for (const event of read) stored.push(event);
        if (read.length < batch) break;
        after = read[read.length - 1]!.id;
        await nextTask();
      }
      return this.withPending(stored, () => true);
    });
  }

  /** The people counted during the local day containing `day` (epoch ms), any shift, oldest first. */
  async eventsOfDay(day: number): Promise<PersonEvent[]> {
    const [from, to] = dayRange(day);
    return this.queue.serial(async () => {
      const range = IDBKeyRange.bound(from, to, false, true);
      const stored = await this.db.getAllFromIndex('events', 'byTime', range);
      return this.withPending(stored, (event) => event.time >= from && event.time < to);
    });
  }

  /** Totals and compliance for a shift or a day, derived from its events (queued ones included). */
  async tally(scope: TallyScope): Promise<Tally> {
    return tallyDecisions(await this.scoped(scope));
  }

  /** Per-hour buckets for a shift or a day, derived from its events (queued ones included). */
  async hourly(scope: TallyScope): Promise<HourBucket[]> {
    return hourlyOf(await this.scoped(scope));
  }

  /** The kept thumbnail of an event, if any. */
  async thumbnail(eventId: string): Promise<Blob | undefined> {
    return (await this.db.get('thumbnails', eventId))?.blob;
  }

  /**
   * The kept thumbnails of those of `events` that refer to one, by event id, read in one transaction. A
   * picture still queued in memory (its write failed) is not included: only what is on disk.
   */
  async thumbnailsOf(events: readonly PersonEvent[]): Promise<Map<string, Blob>> {
    const ids = events.flatMap((event) => (event.thumbnailId === undefined ? [] : [event.thumbnailId]));
    return readThumbnails(this.db, ids);
  }

  /** How many thumbnails are stored on disk: a count of the store, no picture is read. */
  async thumbnailCount(): Promise<number> {
    return this.queue.serial(() => this.db.count('thumbnails'));
  }

  /**
   * Deletes every stored thumbnail and removes `thumbnailId` from the events that referred to them, in one
   * transaction; the events keep every other field, so no tally changes. Pictures queued in memory are
   * dropped too, so none reaches the disk later. Resolves to the number deleted from disk; rejects if the
   * transaction failed (then nothing was deleted, and the queue is untouched).
   */
  async deleteThumbnails(): Promise<number> {
    const deleted = await this.queue.serial(async () => {
      const count = await deleteAllThumbnails(this.db);
      // A queued event may still name a picture that was on disk: drop the reference with the blobs.
      this.queue.pending.dropThumbnails();
      for (const [id, event] of this.onDisk?.events ?? []) {
        if (event.thumbnailId !== undefined) this.onDisk!.events.set(id, withoutThumbnail(event));
      }
      // Exact, unlike after a prune: writes run only inside `serial`, so none landed since the deletion.
      this.storedThumbnailBytes = 0;
      return count;
    });
    this.dispatchEvent(new Event('thumbnails-deleted'));
    return deleted;
  }

  /** The current value of a setting. */
  getSetting<K extends keyof Settings>(key: K): Settings[K] {
    return this.settings[key];
  }

  /** Stores a setting. Rejects if it could not be written (the old value then stays in effect). */
  async setSetting<K extends keyof Settings>(key: K, value: Settings[K]): Promise<void> {
    await writeSetting(this.db, key, value);
    this.settings[key] = value;
  }

  /**
   * The prune at open: started and not awaited, unless it would delete every saved shift after a long silence
   * (see {@link heldPrune}); then nothing is deleted until the guard says.
   */
  private async pruneOnOpen(lastRecordedAt: number): Promise<void> {
    const now = this.now();
    const retentionMs = this.settings.retentionDays * DAY_MS;
    if (now - lastRecordedAt > Math.max(retentionMs, HOLD_PRUNE_AFTER_MS)) {
      // Every ended shift ended by lastRecordedAt, so each is over the days kept: count them (the ended idle
      // shift excepted, which counts from now).
      const shifts = await this.countPrunable(this.settings.retentionDays, now).catch(() => 0);
      if (shifts > 0) {
        this.heldPrune = { shifts, lastRecordedAt };
        return;
      }
    }
    // Retention is housekeeping: a failed prune must not stop the guard from counting; the next open retries.
    // Not awaited: a phone not opened for weeks had tens of thousands of people to delete, and the screen
    // said "Starting…" for most of a minute; the prune lets counts through between shifts (see prune).
    this.pruning = this.prune().catch(() => 0);
  }

  /**
   * The guard keeps the shifts of {@link heldPrune} (the phone's date is wrong, or they are still needed): each
   * is kept the days set from now ({@link Shift.notBefore}). Written through the queue like any record (a full
   * disk keeps them in memory and retries). Resolves to the number of shifts kept.
   */
  async keepHeldShifts(): Promise<number> {
    if (this.heldPrune === undefined) return 0;
    const now = this.now();
    const shifts = await endedShiftsBefore(this.db, now - this.settings.retentionDays * DAY_MS);
    this.heldPrune = undefined;
    this.dispatchEvent(new Event('status'));
    for (const shift of shifts) {
      await this.queue.save({
        kind: 'shift',
        shift: { ...shift, notBefore: Math.max(shift.notBefore ?? 0, now) },
      });
    }
    return shifts.length;
  }

  /** How many ended shifts {@link prune} would delete with `retentionDays`, deleting nothing. */
  async countPrunable(retentionDays: number, now = this.now()): Promise<number> {
    return (await shiftsEndedBefore(this.db, now - retentionDays * DAY_MS)).length;
  }

  /**
   * Deletes shifts that ended more than `retentionDays` (default: the setting) before `now`, with their
   * events and thumbnails. The running shift is never pruned. Resolves to the number of shifts deleted; once
   * done, nothing is held ({@link heldPrune}).
   */
  async prune(now = this.now(), retentionDays = this.settings.retentionDays): Promise<number> {
    let pruned = 0;
    try {
      for (const id of await shiftsEndedBefore(this.db, now - retentionDays * DAY_MS)) {
        // One shift per turn of the queue, so that people counted meanwhile are written between two shifts
        // rather than after all of them; serialized with the queue's writes, so that a write in progress
        // cannot store an event of the shift being deleted.
        const deleted = await this.queue.serial(async () => {
          const gone = await deleteShift(this.db, id);
          if (gone && this.onDisk?.shiftId === id) this.onDisk = undefined;
          return gone;
        });
        if (!deleted) continue;
        pruned++;
        this.queue.pending.forgetShifts(new Set([id]));
        this.storedThumbnailBytes = undefined;
        // A shift retention deleted is no news: its people are gone from History too.
        if (this.endedIdle?.id === id) this.endedIdle = undefined;
      }
    } finally {
      // Also when a later shift could not be deleted: those before it are gone.
      if (pruned > 0) this.dispatchEvent(new Event('shifts-pruned'));
    }
    // The guard chose the days kept (or to delete what was held): what is left is within them.
    if (this.heldPrune !== undefined) {
      this.heldPrune = undefined;
      this.dispatchEvent(new Event('status'));
    }
    return pruned;
  }

  /**
   * The page is going (a reload, most often): keeps every record not yet on disk in `storage` (the origin's
   * localStorage) for the next page's {@link ShiftLog.open} to write, pictures left out. Never throws.
   */
  saveForReload(storage: HandoverStorage): void {
    saveUnwritten(storage, this.queue.pending.list());
  }

  /** Retries the queued writes now. Resolves to true when nothing is left in memory. */
  async retry(): Promise<boolean> {
    return this.queue.retry();
  }

  /** Stops the retry timer and closes the database. Queued people are lost if the page ends after this. */
  close(): void {
    this.queue.close();
    this.db.close();
  }

  /**
   * Reads the running shift's people, picks one with `pick`, and saves `change` of them: with no await
   * between the read and the change, so a change never lands on someone the guard did not see. Resolves to
   * the changed record (the unchanged one if `change` returns it as it was), or undefined if nobody was picked.
   */
  private async changeRunning(
    pick: PickPerson,
    change: (person: PersonEvent) => PersonEvent,
  ): Promise<PersonEvent | undefined> {
    if (!this.running) return undefined;
    const events = await this.events(this.running.id);
    const person = pick(events);
    if (person === undefined) return undefined;
    const event = change(person);
    if (event !== person) await this.queue.save({ kind: 'event', event, change: true });
    return event;
  }

  /**
   * `person` with `decision`, the first decision kept in `corrected.from`; `person` itself if unchanged. Changed
   * back to that first decision, `corrected` stays (the guard decided this person: the camera's later revision
   * must not overwrite it, nor its alarm ring), and is shown nowhere as a change (see correctedFrom).
   */
  private corrected(person: PersonEvent, decision: Decision): PersonEvent {
    if (person.decision === decision) return person;
    const event: PersonEvent = {
      ...person,
      decision,
      corrected: { from: person.corrected?.from ?? person.decision, at: this.now() },
    };
    // Only unmasked people may have a thumbnail; writing the event without the reference deletes it.
    if (decision !== 'without_mask') delete event.thumbnailId;
    return event;
  }

  /**
   * `person` removed from the count, without their picture. The removal is the guard at work in the shift:
   * its idle clock (see IDLE_SHIFT_END_MS) runs from it, not from the mistaken record's time, so a shift is
   * never ended as idle by the removal itself, and can be put back.
   */
  private removed(person: PersonEvent): PersonEvent {
    const event: PersonEvent = { ...person, removed: { at: this.now() } };
    delete event.thumbnailId;
    this.lastActivity = Math.max(this.lastActivity, event.removed!.at);
    return event;
  }

  /** Takes a record of the running shift read at open into its last activity and highest person number. */
  private noteActivity(event: PersonEvent): void {
    // A removed record: the guard's removal was the activity, not the mistaken count (see removed()).
    this.lastActivity = Math.max(this.lastActivity, event.removed?.at ?? event.time);
    this.highestNumber = Math.max(this.highestNumber, event.number ?? 0);
    this.noteTime(event.time);
  }

  /** Raises {@link latestTrueTime} to `time`, if `time` is believable. */
  private noteTime(time: number): void {
    if (time >= this.earliestTrueTime) this.latestTrueTime = Math.max(this.latestTrueTime, time);
  }

  /**
   * `shift` as started or ended at `time`: marked {@link Shift.notBefore} if the clock read earlier than any true
   * time can be (see {@link ShiftLogOptions.earliestTrueTime}).
   */
  private stamped(shift: Shift, time: number): Shift {
    this.noteTime(time);
    if (time >= this.earliestTrueTime) return shift;
    return { ...shift, notBefore: Math.max(shift.notBefore ?? 0, this.latestTrueTime) };
  }

  private requireShift(): Shift {
    if (!this.running) throw new Error('No shift is running');
    return this.running;
  }

  /**
   * Queues `event` with `picture` as its thumbnail. The opt-in is checked here, after the caller's awaits: it
   * may have been turned off (and every picture deleted) since. From here to the queue there is no await, so
   * a picture is either queued before the deletion or never. `change`: the event is a person already
   * recorded (see PendingWrite).
   */
  private saveWithPicture(event: PersonEvent, picture: Blob | undefined, change = false): Promise<void> {
    const thumbnail = this.settings.keepThumbnails ? picture : undefined;
    if (thumbnail) event.thumbnailId = event.id;
    return this.queue.save({ kind: 'event', event, thumbnail, ...(change ? { change: true as const } : {}) });
  }

  /** `blob` if it may be kept as the thumbnail of a person with `decision`, else undefined. */
  private async acceptThumbnail(decision: Decision, blob: Blob | undefined): Promise<Blob | undefined> {
    if (!blob || decision !== 'without_mask' || !this.settings.keepThumbnails) return undefined;
    try {
      this.storedThumbnailBytes ??= await this.queue.serial(() => storedThumbnailBytes(this.db));
    } catch {
      // The pictures' size cannot be read (the disk is failing): the person is recorded without a picture
      // rather than not at all (recordPerson must never reject on a storage failure).
      return undefined;
    }
    const used = this.storedThumbnailBytes + this.queue.pending.thumbnailBytes();
    return mayKeepThumbnail(decision, blob, this.settings.keepThumbnails, used) ? blob : undefined;
  }

  private async scoped(scope: TallyScope): Promise<PersonEvent[]> {
    return 'shiftId' in scope ? this.events(scope.shiftId) : this.eventsOfDay(scope.day);
  }

  /**
   * Stored events overlaid with queued ones (a queued version is newer), sorted by time and then by id: ids
   * sort in creation order (see newId), so two people counted in the same millisecond keep their order.
   */
  private withPending(stored: PersonEvent[], keep: (event: PersonEvent) => boolean): PersonEvent[] {
    const byId = new Map(stored.map((event) => [event.id, event]));
    for (const event of this.queue.pending.events()) if (keep(event)) byId.set(event.id, event);
    return [...byId.values()].sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * After a write reached the disk: keeps {@link onDisk} as the disk is, and the stored thumbnail bytes exact (the
   * write added this event's thumbnail or deleted one).
   */
  private written(write: PendingWrite): void {
    if (write.kind !== 'event') return;
    if (this.onDisk?.shiftId === write.event.shiftId) this.onDisk.events.set(write.event.id, write.event);
    if (write.thumbnail && this.storedThumbnailBytes !== undefined) {
      this.storedThumbnailBytes += write.thumbnail.size;
    } else if (!write.event.thumbnailId && (write.event.corrected || write.event.removed)) {
      // Only a correction or a removal can delete a picture (a revision only changes a provisional record,
      // which is uncertain, and no uncertain person has one); its size is not known here, so recount when
      // next needed.
      this.storedThumbnailBytes = undefined;
    }
  }
}
