/**
 * The history view's data: the list of shifts, the chosen shift or day, and for it the per-hour counts,
 * totals, events (with the kept pictures of unmasked people), changes to a person of the running shift (any
 * one, found by the number on their alert: the shift panel changes only the last) and the CSV export. Everything is derived from
 * one read of the chosen events, so the chart, the totals, the list and the file can never disagree with one
 * another.
 *
 * @fires change - whenever `state` is replaced
 */
import { csvParts, exportedEvents, type CsvDialect } from '../shared/csv.ts';
import { errorText } from '../shared/error-text.ts';
import { nextTask } from '../shared/next-task.ts';
import { EMPTY_TALLY, tallyDecisions, type Tally } from '../shared/tracking/index.ts';
import {
  hourlyOf,
  type Decision,
  type HourBucket,
  type PersonEvent,
  type Shift,
  type ShiftLog,
} from '../storage/index.ts';
import {
  csvFileName,
  downloadCsv,
  loadCsvDialect,
  saveCsvDialect,
  shiftCsvFileName,
} from './csv-download.ts';
import type { GuardController } from './guard-controller.ts';

/** What the history shows: one shift, or one local day (epoch ms of any moment in it) across shifts. */
export type HistoryScope = { kind: 'shift'; shiftId: string } | { kind: 'day'; day: number };

/** What the history view renders. Replaced as a whole on every change. */
export interface HistoryState {
  /** All shifts, newest first. */
  shifts: Shift[];
  /** The chosen shift or day; undefined before anything was counted. */
  scope: HistoryScope | undefined;
  tally: Tally;
  hours: HourBucket[];
  /** The chosen events, oldest first. */
  events: PersonEvent[];
  /**
   * The kept pictures of the chosen unmasked people, by event id (only while the guard opted in; never in
   * the CSV). The list element makes and revokes their object URLs, since it knows when it leaves the page.
   */
  pictures: ReadonlyMap<string, Blob>;
  /** A problem reading the log or writing the file, in the guard's words. */
  message: string | undefined;
  /** How the export separates columns and decimals (remembered on this device). */
  csvDialect: CsvDialect;
  /** The running shift, whose people the guard may still change; undefined when none runs. */
  runningShiftId: string | undefined;
  /** A change to a person is being saved: the list's controls wait for it. */
  busy: boolean;
}

/** What the guard can make of a person in the list: a decision, out of the count, or back in it. */
export type PersonChange = Decision | 'removed';

const SHIFT_GONE =
  'The shift shown before is no longer kept (older than the days kept in Settings): the newest is shown.';
const NOT_IN_RUNNING_SHIFT = 'That person can no longer be changed: their shift has ended.';

/** See the module comment. */
export class ShiftHistory extends EventTarget {
  private current: HistoryState = {
    shifts: [],
    scope: undefined,
    tally: EMPTY_TALLY,
    hours: [],
    events: [],
    pictures: new Map(),
    message: undefined,
    csvDialect: loadCsvDialect(),
    runningShiftId: undefined,
    busy: false,
  };
  private seenTally: unknown;
  /** Bumped when every picture was deleted, so a read that began before that does not bring one back. */
  private picturesGeneration = 0;
  /** Refreshes started; a refresh shows its reads only if no later one started meanwhile. */
  private refreshes = 0;
  /** The last read failed: its message is cleared by the next read that works. */
  private readFailed = false;

  constructor(
    private readonly log: ShiftLog,
    private readonly controller: GuardController,
  ) {
    super();
    // A person counted while the history is open shows up in it (the running shift or today are the usual
    // choices); re-read once per count, not per frame (the tally object changes only on a count). Also with no
    // shift yet: the camera's first person starts one, which the screen then shows (it said "No shifts yet"
    // beside the alert about that person until the guard left History and came back).
    controller.addEventListener('change', () => {
      if (controller.state.tally === this.seenTally) return;
      this.seenTally = controller.state.tally;
      if (this.shown) void this.refresh();
    });
    // Retention deleted shifts (the prune that opening starts may end after this screen read the list).
    log.addEventListener('shifts-pruned', () => {
      if (this.shown) void this.refresh();
    });
    // The guard turned pictures off: forget them now, not at the next read, so none is shown again.
    log.addEventListener('thumbnails-deleted', () => {
      this.picturesGeneration++;
      this.update({ pictures: new Map() });
    });
  }

  /**
   * Whether the History screen is shown (the app sets it). Only then does each count re-read the chosen shift
   * or day: once opened, it went on re-reading a whole shift at every person after the guard had left it
   * (showing the screen re-reads it).
   */
  shown = false;

  /** The current state; a new object after every change. */
  get state(): HistoryState {
    return this.current;
  }

  /** Re-reads the shifts and the chosen scope; with nothing chosen, picks the newest shift. */
  async refresh(): Promise<void> {
    // Reads may finish out of order (one with pictures to read is slower): only the newest one is shown, so
    // a refresh started before the guard picked another shift cannot put the old one back.
    const request = ++this.refreshes;
    try {
      const generation = this.picturesGeneration;
      const shifts = await this.log.shifts();
      // The shift shown may have been deleted since (Settings' days kept): the newest is shown instead, and
      // said, rather than the deleted one's empty page under the newest one's name in the choice.
      const chosen = this.current.scope;
      const gone = chosen?.kind === 'shift' && !shifts.some((shift) => shift.id === chosen.shiftId);
      const scope = (gone ? undefined : chosen) ?? (shifts[0] && { kind: 'shift', shiftId: shifts[0].id });
      const events = scope === undefined ? [] : await this.eventsOf(scope);
      // A picture that cannot be read is no reason to hide the people: they are listed without it.
      const read = await this.log.thumbnailsOf(events).catch(() => new Map<string, Blob>());
      const pictures = generation === this.picturesGeneration ? read : new Map<string, Blob>();
      if (request !== this.refreshes) return;
      this.update({
        shifts,
        scope,
        events,
        pictures,
        tally: tallyDecisions(events),
        hours: hourlyOf(events),
        runningShiftId: this.log.currentShift()?.id,
        // A read problem is over; the result of an export stays (a count re-reads the history every time).
        ...(gone ? { message: SHIFT_GONE } : this.readFailed ? { message: undefined } : {}),
      });
      this.readFailed = false;
    } catch (error) {
      if (request === this.refreshes) {
        this.readFailed = true;
        this.update({ message: `The history could not be read (${errorText(error)}).` });
      }
    }
  }

  /** Shows one shift. */
  async chooseShift(shiftId: string): Promise<void> {
    this.update({ scope: { kind: 'shift', shiftId }, message: undefined });
    await this.refresh();
  }

  /** Shows one local day; `date` is `YYYY-MM-DD` as an `<input type="date">` gives it. */
  async chooseDay(date: string): Promise<void> {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (match === null) return;
    const day = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12).getTime();
    this.update({ scope: { kind: 'day', day }, message: undefined });
    await this.refresh();
  }

  /** Downloads the chosen shift or day as CSV (re-read now, so the file holds everyone counted so far). */
  async exportCsv(): Promise<void> {
    const scope = this.current.scope;
    if (scope === undefined) return;
    await this.export(async () => {
      const [shifts, events] = await Promise.all([this.log.shifts(), this.eventsOf(scope)]);
      // Named after the doors of the people in the file (a door whose only record was removed is not in it).
      return { file: this.fileName(scope, shifts, exportedEvents(events)), shifts, events };
    });
  }

  /**
   * Downloads every shift kept (Settings' days kept) as one CSV, named for the day it was made: a supervisor
   * collecting a month from a busy door made one export per shift or day (scale exploration).
   */
  async exportAll(): Promise<void> {
    await this.export(async () => {
      const [shifts, events] = await Promise.all([this.log.shifts(), this.log.allEvents()]);
      return { file: csvFileName('all shifts', Date.now()), shifts, events };
    });
  }

  /** Reads what to export, downloads it, and says what was exported or why it could not be. */
  private async export(read: () => Promise<{ file: string; shifts: Shift[]; events: PersonEvent[] }>) {
    try {
      const { file, shifts, events } = await read();
      // A part at a time, each made a Blob (encoded) at once, the page drawing and the camera's frames going on
      // between them (see csvParts).
      const parts: Blob[] = [];
      for (const part of csvParts(shifts, events, this.current.csvDialect)) {
        parts.push(new Blob([part]));
        await nextTask();
      }
      downloadCsv(file, parts);
      // The file holds the people counted; records the guard removed get no row, so they are not said.
      const rows = exportedEvents(events).length;
      const people = rows === 1 ? '1 person' : `${rows} people`;
      this.update({ message: `Exported ${people} as ${file} (look in the phone's downloads).` });
    } catch (error) {
      this.update({
        message:
          `The export could not be made (${errorText(error)}). Nothing was lost: try again, or free some ` +
          'space on the phone first.',
      });
    }
  }

  /**
   * Changes person `eventId` of the running shift to `change`: another decision (kept as a correction, the
   * first one in "changed from"), out of the count, or back into it with a decision. The live tally and this
   * list are read again after it.
   */
  async changePerson(eventId: string, change: PersonChange): Promise<void> {
    if (this.current.busy) return;
    this.update({ busy: true, message: undefined });
    let message: string | undefined;
    try {
      // A shift nobody was counted in for 12 hours is over, as everywhere else: it is not changed.
      if ((await this.log.endIdleShift()) !== undefined) {
        message = 'That shift had ended: nobody was counted in it for 12 hours.';
      } else if (change === 'removed') {
        if ((await this.log.remove(eventId)) === undefined) message = NOT_IN_RUNNING_SHIFT;
      } else {
        const person = this.current.events.find((e) => e.id === eventId);
        // Back into the count first (with the decision it had), then the decision chosen.
        if (person?.removed !== undefined && (await this.log.restore(eventId)) === undefined)
          message = NOT_IN_RUNNING_SHIFT;
        else if ((await this.log.correct(eventId, change)) === undefined) message = NOT_IN_RUNNING_SHIFT;
      }
    } catch (error) {
      message = `The change could not be saved (${errorText(error)}).`;
    }
    await this.controller.reloadTally();
    this.update({ busy: false, message });
    await this.refresh();
  }

  /** Chooses how exports separate columns and decimals, and remembers it. */
  setCsvDialect(dialect: CsvDialect): void {
    saveCsvDialect(dialect);
    this.update({ csvDialect: dialect });
  }

  private eventsOf(scope: HistoryScope): Promise<PersonEvent[]> {
    return scope.kind === 'shift' ? this.log.events(scope.shiftId) : this.log.eventsOfDay(scope.day);
  }

  /** A shift's file is named after its door and start (see shiftCsvFileName); a day's after its one door, or "all-doors". */
  private fileName(scope: HistoryScope, shifts: Shift[], events: PersonEvent[]): string {
    if (scope.kind === 'shift') {
      const shift = shifts.find((s) => s.id === scope.shiftId);
      return shift === undefined ? csvFileName('', Date.now()) : shiftCsvFileName(shift);
    }
    const doors = new Set(events.map((e) => shifts.find((s) => s.id === e.shiftId)?.door ?? ''));
    const door = doors.size === 1 ? [...doors][0]! : 'all doors';
    return csvFileName(door, scope.day);
  }

  private update(change: Partial<HistoryState>): void {
    this.current = { ...this.current, ...change };
    this.dispatchEvent(new Event('change'));
  }
}
