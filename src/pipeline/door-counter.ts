/**
 * From faces seen at the door to people counted in the shift log: the face tracker, the alert for each newly
 * counted person the guard should look at, and one record per counted person, written in counting order.
 * The guard controller feeds it the detector's faces and tells it when input pauses or stops; it knows
 * nothing about cameras or files (and so runs in Node against fake-indexeddb in tests).
 */
import type { Box } from '../shared/geometry.ts';
import type { FaceResult } from '../shared/protocol.ts';
import { WITHOUT_MASK_THRESHOLD } from '../shared/mask-classifier-spec.ts';
import { FaceTracker, type Decision, type PersonCounted } from '../shared/tracking/index.ts';
import { DEFAULT_TRACKER_OPTIONS } from '../shared/tracking/options.ts';
import { newId, type CountedPerson, type PersonEvent, type ShiftLog } from '../storage/index.ts';
import { errorText } from '../shared/error-text.ts';

/**
 * The tracker's uncertain band, placed around the classifier's decision threshold (P(without_mask) ≥ 0.25,
 * chosen on the validation split to favour without_mask recall): a person whose average stays within
 * 0.10 below to 0.15 above it is counted "uncertain" rather than forced into a class.
 */
export const TRACKER_THRESHOLDS = {
  withMaskThreshold: Math.max(0, WITHOUT_MASK_THRESHOLD - 0.1),
  withoutMaskThreshold: Math.min(1, WITHOUT_MASK_THRESHOLD + 0.15),
};

/** How long a person alert stays on screen. */
export const ALERT_VISIBLE_MS = 4000;

/**
 * A person the guard should look at, for the visual alert: an unmasked person (with sound and
 * vibration), or one the app could not decide on (`uncertain`: on screen only, so that a doubtful face does
 * not sound like an unmasked one, but the guard still knows to look while the person is at the door).
 */
export interface PersonAlert {
  /** The person's number, as their box and History row show it. */
  number: number;
  atMs: number;
  decision: 'without_mask' | 'uncertain';
}

/**
 * The alerts to show once `alert` is raised (oldest first): those of `shown` still within ALERT_VISIBLE_MS of
 * it, then it, at most `max`. Over the limit the oldest doubtful alert makes way first, so that doubtful people
 * never push an unmasked person's alert off the screen.
 */
export function alertsOnScreen(
  shown: readonly PersonAlert[],
  alert: PersonAlert,
  max: number,
): PersonAlert[] {
  const alerts = [...shown.filter((a) => alert.atMs - a.atMs < ALERT_VISIBLE_MS), alert];
  while (alerts.length > max) {
    const doubtful = alerts.findIndex((a) => a.decision === 'uncertain');
    alerts.splice(doubtful === -1 ? 0 : doubtful, 1);
  }
  return alerts;
}

/** Whose face a face in a frame is: their track, and their number once seen long enough to be counted. */
export interface FaceTrack {
  trackId: number;
  number: number | undefined;
}

/** What the counter needs from the page around it. */
export interface DoorCounterHost {
  /**
   * Sound and vibration for a newly counted unmasked person, number `number` (the alarm keeps its own
   * cooldown and mute).
   */
  ring(number: number): void;
  /** A new alert to show. */
  alert(alert: PersonAlert): void;
  /** The door name a shift started by the first count is recorded with. */
  door(): string;
  /**
   * A small picture of `box` in `frame`, the picture the person was counted in, for an opt-in thumbnail of an
   * unmasked person; undefined when none can be made. Called during {@link DoorCounter.observe}: `frame` may
   * be closed once that returns, so the picture must be drawn before the first await.
   */
  snapshot(box: Box, frame: ImageBitmap): Promise<Blob | undefined>;
  /**
   * A person's record was written, or failed other than by a full disk (the shift log keeps those).
   * `revision`: the write was the change of a provisional `uncertain` record (the person is already counted).
   */
  recorded(problem?: string, revision?: boolean): void;
  /** Milliseconds on the same clock as the frames' timestamps. */
  now(): number;
}

/** A person's record, by what finds it in the shift log. */
type RecordRef = Pick<PersonEvent, 'id' | 'shiftId'>;

/** A camera view's people while the camera looks elsewhere (see DoorCounter.switchView). */
interface ParkedView {
  view: string;
  tracker: FaceTracker;
  provisional: Map<number, ProvisionalRecord>;
}

/** A provisional record (see DoorCounter.provisional): its id, its shift once known, and its write. */
interface ProvisionalRecord {
  id: string;
  shiftId?: string;
  recorded: Promise<RecordRef | undefined>;
}

/** localStorage key of the tracks a page kept for the next page that counts (see saveForReload). */
export const TRACKS_OVER_RELOAD_KEY = 'maskguard-tracks-over-reload';

/**
 * A counted person's record as a page about to reload passes it on (no picture: it would not fit). `revises`:
 * the decision made of a person recorded `uncertain` on a pause (see DoorCounter.revise), which the next page
 * applies to that record if it finds it written, and writes as the record if not.
 */
type StoredPerson = Omit<CountedPerson, 'thumbnail' | 'id'> & { revises?: true };

/** The record of `person`, as the counter writes it. */
function countedOf(person: PersonCounted): StoredPerson {
  return {
    decision: person.decision,
    averageConfidence: person.confidence,
    framesSeen: person.frames,
    timeInViewMs: person.timeInViewMs,
    number: person.number,
  };
}

/** What {@link DoorCounter.saveForReload} keeps. */
interface SavedForReload {
  /** When the page went (epoch ms), and the counting clock then. */
  wallMs: number;
  clockMs: number;
  /** The shift running then (its id is not saved: JSON has no undefined); the tracks carry on only into it. */
  shiftId?: string;
  /** The tracker's snapshot, or null when the tracks were not kept (not the camera's, or none). */
  tracker: unknown;
  /** Provisional records by track: [trackId, record id, its shift if known]. */
  provisional: [number, string, string | undefined][];
  /** Records not yet handed to the shift log: [record id, record]. */
  unwritten: [string, StoredPerson][];
}

const DECISIONS = ['with_mask', 'without_mask', 'uncertain'];

/** Whether `value`, read back from storage, has the shape {@link DoorCounter.saveForReload} writes. */
function isSavedForReload(value: unknown): value is SavedForReload {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  const pairs = (x: unknown, ok: (a: unknown, b: unknown) => boolean) =>
    Array.isArray(x) && x.every((p) => Array.isArray(p) && p.length === 2 && ok(p[0], p[1]));
  const person = (p: unknown) => {
    if (typeof p !== 'object' || p === null) return false;
    const r = p as Record<string, unknown>;
    return (
      DECISIONS.includes(r.decision as string) &&
      finite(r.averageConfidence) &&
      finite(r.framesSeen) &&
      finite(r.timeInViewMs) &&
      (r.time === undefined || finite(r.time)) &&
      (r.number === undefined || Number.isSafeInteger(r.number)) &&
      (r.revises === undefined || r.revises === true)
    );
  };
  return (
    finite(v.wallMs) &&
    finite(v.clockMs) &&
    (v.shiftId === undefined || typeof v.shiftId === 'string') &&
    Array.isArray(v.provisional) &&
    v.provisional.every(
      (p) =>
        Array.isArray(p) &&
        p.length >= 2 &&
        Number.isSafeInteger(p[0]) &&
        typeof p[1] === 'string' &&
        (p[2] === undefined || p[2] === null || typeof p[2] === 'string'),
    ) &&
    pairs(v.unwritten, (id, p) => typeof id === 'string' && person(p))
  );
}

/** Where a counted person's face is: their box in the frame they were counted in. */
interface Picture {
  box: Box;
  frame: ImageBitmap;
}

/** See the module comment. */
export class DoorCounter {
  private tracker: FaceTracker;
  /**
   * The picture size the tracker's boxes are in, and which tracker that is: one taken up from elsewhere (a
   * reload, the other camera's view) has boxes of unknown size, and is not moved at its first frame.
   */
  private frameSize: { tracker: FaceTracker; width: number; height: number } | undefined;
  /** Each live track's counted decision after the last frame (see {@link decisionOf}). */
  private decisions = new Map<number, Decision | undefined>();
  /** The chain of person records, in the order people were counted. */
  private recording: Promise<void> = Promise.resolve();
  /**
   * Records of people counted `uncertain` on a pause, by track: the tracker may still decide on them when
   * they are seen again, and their record is then revised, not added to. The id is known before the record is
   * written, and the shift once it is, for a page about to reload (see saveForReload).
   */
  private readonly provisional = new Map<number, ProvisionalRecord>();
  /**
   * Records of counted people not yet handed to the shift log, by id: what a page about to reload passes on,
   * for the next page to write if they never arrived (see {@link resumeAfterReload}).
   */
  private readonly unwritten = new Map<string, StoredPerson>();
  /**
   * When each counted person whose record is still on its way to the shift log was counted (the counting
   * clock), oldest first: records are written in counting order, one after another.
   */
  private readonly inFlightSince: number[] = [];
  /** The people of the camera view the guard switched away from, kept for a switch back (see switchView). */
  private parkedView: ParkedView | undefined;
  /**
   * Input paused with its tracks kept (page hidden, camera lost, the detector restarting or given up, or the
   * camera made way for a photo or a video that would not play): the input that resumes continues them, and
   * the tracker ends those unseen for too long. Whose tracks they are (the camera's or a video file's) is the
   * guard controller's to know.
   */
  paused = false;

  constructor(
    private readonly log: ShiftLog,
    private readonly host: DoorCounterHost,
  ) {
    // Numbers above the latest shift's (ShiftLog.nextPersonNumber): a page opened mid-shift must not give "#3"
    // to a second person.
    this.tracker = new FaceTracker(TRACKER_THRESHOLDS, log.nextPersonNumber);
  }

  /**
   * One processed frame's faces. Returns the track of each face (same index) and counts whoever the tracker
   * decided on. `frame` is the picture the faces were found in, given only when the guard keeps pictures of
   * unmasked people (see {@link DoorCounterHost.snapshot}); without it no picture is taken. `size` is the
   * picture's size: when it changes, the tracks are moved with it (see FaceTracker.reframe).
   */
  observe(
    timestampMs: number,
    faces: readonly FaceResult[],
    frame?: ImageBitmap,
    size?: { width: number; height: number },
  ): (FaceTrack | undefined)[] {
    if (size !== undefined) {
      // The phone turned (or the camera changed resolution): the tracks move with the picture.
      const before = this.frameSize?.tracker === this.tracker ? this.frameSize : undefined;
      if (before !== undefined && (before.width !== size.width || before.height !== size.height))
        this.tracker.reframe(before, size);
      this.frameSize = { tracker: this.tracker, width: size.width, height: size.height };
    }
    const update = this.tracker.update(
      timestampMs,
      faces.map((f) => ({
        box: f.box,
        probWithoutMask: f.probs.without_mask,
        detScore: f.detScore,
        appearance: f.appearance,
      })),
    );
    this.paused = false;
    const boxOf = (person: PersonCounted) => update.tracks.find((t) => t.id === person.trackId)?.box;
    const pictureOf = (person: PersonCounted) => {
      const box = boxOf(person);
      return box === undefined || frame === undefined ? undefined : { box, frame };
    };
    for (const person of update.counted) void this.count(person, pictureOf(person));
    for (const person of update.revised) void this.revise(person, pictureOf(person));
    this.decisions = new Map(update.tracks.map((t) => [t.id, t.decision ?? undefined]));
    return faces.map((_, i) => {
      const track = update.tracks.find((t) => t.observationIndex === i);
      return track === undefined ? undefined : { trackId: track.id, number: track.number ?? undefined };
    });
  }

  /**
   * What the person on `trackId` was counted as, after the last frame; undefined while not yet counted, and
   * while counted only provisionally (`uncertain` on a pause, without an alert, and still to be decided now
   * that they are seen again): the screen must not ask the guard to check someone no alert named.
   */
  decisionOf(trackId: number): Decision | undefined {
    return this.provisional.has(trackId) ? undefined : this.decisions.get(trackId);
  }

  /**
   * Input pauses (camera restarted or lost, page hidden, being unloaded or frozen, a photo checked). Every
   * track stays for the tracker to bridge, so a person still at the door when input resumes is not counted
   * again. People seen long enough but still undecided are recorded now, as uncertain, in case the page never
   * comes back; if they are seen again, their record is revised with the decision made then (and only then
   * alerted for: nobody watches a paused screen).
   */
  pause(): void {
    for (const person of this.tracker.settle(this.host.now()).counted) {
      const id = newId();
      this.holdProvisional(person.trackId, id, this.count(person, undefined, false, id));
    }
    this.paused = true;
  }

  /**
   * The page is going (a reload, most often). Keeps in `storage` (the origin's localStorage) the records still
   * on their way to the shift log, for the next page to write if they never arrived (ids make writing one
   * twice harmless), and, with `keepTracks` (the camera's people), the tracks, paused, so that a page that
   * replaces this one within {@link DEFAULT_TRACKER_OPTIONS}.maxBlindMs carries on with them
   * ({@link resumeAfterReload}): a person standing at the door through a reload is not counted again. Call
   * after {@link pause}.
   */
  saveForReload(storage: Pick<Storage, 'setItem' | 'removeItem'>, keepTracks = true): void {
    try {
      const tracks = keepTracks && this.tracker.tracksHeldAt(this.host.now()) > 0;
      if (!tracks && this.unwritten.size === 0) {
        storage.removeItem(TRACKS_OVER_RELOAD_KEY);
        return;
      }
      const saved: SavedForReload = {
        wallMs: Date.now(),
        clockMs: this.host.now(),
        shiftId: this.log.currentShift()?.id,
        tracker: tracks ? this.tracker.snapshot(this.host.now()) : null,
        provisional: tracks
          ? [...this.provisional].map(([trackId, record]) => [trackId, record.id, record.shiftId])
          : [],
        unwritten: [...this.unwritten],
      };
      storage.setItem(TRACKS_OVER_RELOAD_KEY, JSON.stringify(saved));
    } catch {
      // No storage (private mode, full): the people at the door may be counted again after the reload.
    }
  }

  /**
   * After a reload: writes each record the page before passed on that never arrived, and carries on with its
   * tracks ({@link saveForReload}) if it went less than `maxBlindMs` ago and the same shift still runs (or none
   * ran then). Reads them once. Call before the first frame.
   */
  resumeAfterReload(storage: Pick<Storage, 'getItem' | 'removeItem'>): void {
    let saved: unknown;
    try {
      const text = storage.getItem(TRACKS_OVER_RELOAD_KEY);
      storage.removeItem(TRACKS_OVER_RELOAD_KEY);
      saved = text === null ? undefined : JSON.parse(text);
    } catch {
      return;
    }
    if (!isSavedForReload(saved)) return;
    const unwritten = new Map(saved.unwritten);
    const ago = Date.now() - saved.wallMs;
    const shiftId = this.log.currentShift()?.id;
    // The same shift, or none then: the first person's record may have started the one running now.
    const sameShift = saved.shiftId === undefined || saved.shiftId === shiftId;
    const tracker =
      saved.tracker !== null && ago >= 0 && ago <= DEFAULT_TRACKER_OPTIONS.maxBlindMs && sameShift
        ? // The moment the old page paused, on this page's clock.
          FaceTracker.restore(
            TRACKER_THRESHOLDS,
            saved.tracker,
            this.host.now() - ago - saved.clockMs,
            saved.clockMs,
          )
        : undefined;
    if (tracker !== undefined) {
      this.tracker = tracker;
      this.decisions.clear();
      this.provisional.clear();
      for (const [trackId, id, shiftOfRecord] of saved.provisional) {
        const recordShift = shiftOfRecord ?? undefined; // JSON writes an unknown one as null
        const recorded = this.ensureRecorded(id, unwritten.get(id), [recordShift, saved.shiftId]);
        this.holdProvisional(trackId, id, recorded, recordShift);
        unwritten.delete(id);
      }
      this.paused = true;
    } else {
      // The tracks are not carried on, but the numbers the page before gave are: its records written below
      // keep theirs, so this page's numbers go on above them (one number, one person in the shift).
      const given = [...unwritten.values()].map((person) => person.number ?? 0);
      // Before numbers were given apart from track ids, the tracker's next id was its next number.
      const { nextId, nextNumber } = (saved.tracker ?? {}) as { nextId?: unknown; nextNumber?: unknown };
      const next = nextNumber ?? nextId;
      if (Number.isSafeInteger(next)) given.push((next as number) - 1);
      const above = Math.max(this.tracker.nextPersonNumber, ...given.map((n) => n + 1));
      this.tracker = new FaceTracker(TRACKER_THRESHOLDS, above);
    }
    for (const [id, person] of unwritten) void this.ensureRecorded(id, person, [saved.shiftId]);
  }

  /**
   * People a reload now would cut short: the faces being tracked (counted or not yet), also over a pause
   * (a photo checked, the camera lost or restarting), whose tracks a resume within the tracker's blind limit
   * continues; a reload would drop them and count whoever is still at the door again.
   */
  get peopleInView(): number {
    return this.tracker.tracksHeldAt(this.host.now());
  }

  /**
   * The camera turns from view `from` to view `to` (the rear and the front camera). Neither view's faces may
   * continue the other's people, so this view's tracks are put aside, paused (as on any pause, the undecided
   * ones are recorded as uncertain now), and the tracks put aside when the camera last left `to` come back, as
   * after a pause: a guard who switches away and back within the tracker's blind limit (a mis-tap put right)
   * finds the person at the door still counted once, under the same number. Only the last view left is kept.
   */
  switchView(from: string, to: string): void {
    this.pause();
    const leaving: ParkedView = { view: from, tracker: this.tracker, provisional: new Map(this.provisional) };
    const back = this.parkedView?.view === to ? this.parkedView : undefined;
    const nextNumber = Math.max(
      this.tracker.nextPersonNumber,
      this.parkedView?.tracker.nextPersonNumber ?? 0,
    );
    this.tracker = back?.tracker ?? new FaceTracker(TRACKER_THRESHOLDS, nextNumber);
    this.tracker.continueNumbersFrom(nextNumber);
    this.provisional.clear();
    for (const [trackId, record] of back?.provisional ?? []) this.provisional.set(trackId, record);
    this.parkedView = leaving;
    this.decisions.clear();
  }

  /** Input stopped (another source, the file ended): every track ends, people seen long enough are counted. */
  end(): void {
    // The view parked by a camera switch ends with the rest (its people were recorded when it was parked).
    this.parkedView = undefined;
    for (const person of this.tracker.flush(this.host.now()).counted) void this.count(person);
    // Numbers go on from the last tracker's: an alert still naming "#3" must not point at a new person's box.
    this.tracker = new FaceTracker(TRACKER_THRESHOLDS, this.tracker.nextPersonNumber);
    this.decisions.clear();
    this.provisional.clear();
    this.paused = false;
  }

  /** Counted people whose record is still on its way to the shift log (a reload would lose them). */
  get recordsInFlight(): number {
    return this.inFlightSince.length;
  }

  /** How long the oldest record still on its way has waited (ms), 0 when none waits: a stalled disk. */
  recordWaitMs(): number {
    const oldest = this.inFlightSince[0];
    return oldest === undefined ? 0 : this.host.now() - oldest;
  }

  /** Resolves once every person counted so far is recorded (or failed to be). */
  settled(): Promise<void> {
    return this.recording;
  }

  /** Holds `trackId`'s provisional record `id`, on its way as `recorded`; its shift is known once written. */
  private holdProvisional(
    trackId: number,
    id: string,
    recorded: Promise<RecordRef | undefined>,
    shiftId?: string,
  ): void {
    const record: ProvisionalRecord = { id, shiftId, recorded };
    this.provisional.set(trackId, record);
    void recorded.then((found) => (record.shiftId = found?.shiftId));
  }

  /**
   * Alerts for and records one counted person; resolves to their record (undefined if it failed). Records
   * are chained: two people counted in the same frame with no shift running must not both try to start one
   * (the second start would throw and lose a person).
   */
  private count(
    person: PersonCounted,
    picture?: Picture,
    alert = true,
    id = newId(),
  ): Promise<PersonEvent | undefined> {
    // Kept (without a picture) until the shift log has it: a reload meanwhile passes it on.
    const stored: StoredPerson = { ...countedOf(person), time: Date.now() };
    this.unwritten.set(id, stored);
    return this.write(
      person,
      picture,
      async (counted) => {
        try {
          return await this.record({ ...counted, id });
        } finally {
          // Not a revision of this record made meanwhile: that one waits for its own write.
          if (this.unwritten.get(id) === stored) this.unwritten.delete(id);
        }
      },
      alert,
    );
  }

  /**
   * A record a page before a reload counted: found in the shift log (in `shifts`, or the running one), or
   * written now from what that page passed on, if it never arrived; undefined if neither. Kept to be passed on
   * again until then (a second reload), and chained with every other record.
   */
  private ensureRecorded(
    id: string,
    person: StoredPerson | undefined,
    shifts: (string | undefined)[],
  ): Promise<RecordRef | undefined> {
    if (person !== undefined) this.unwritten.set(id, person);
    this.inFlightSince.push(this.host.now());
    const done = this.recording.then(async () => {
      try {
        for (const shiftId of new Set([...shifts, this.log.currentShift()?.id])) {
          if (shiftId === undefined) continue;
          const found = (await this.log.events(shiftId)).find((event) => event.id === id);
          if (found === undefined) continue;
          // The page before decided on the person after recording them uncertain, and went before it wrote it.
          if (person?.revises === true && found.decision !== person.decision) {
            await this.log.revisePerson(found, person);
            this.host.recorded();
          }
          return { id, shiftId };
        }
        if (person === undefined) return undefined;
        // In the shift it was counted in, if that has ended since (the app closed with the record on its way,
        // and opened again after the 12-hour idle end): not in the shift running now, nor one it would start.
        const counted = shifts.find((shiftId) => shiftId !== undefined);
        const ended =
          counted === undefined || counted === this.log.currentShift()?.id
            ? undefined
            : (await this.log.shifts()).find((shift) => shift.id === counted && shift.end !== undefined);
        const event =
          ended === undefined
            ? await this.record({ ...person, id })
            : await this.log.recordPerson({ ...person, id }, ended);
        // Not from this page's counting: the tally is read again for it.
        this.host.recorded();
        return event;
      } catch (error) {
        this.host.recorded(errorText(error));
        return undefined;
      } finally {
        // Only what this call kept: a revision of the record made meanwhile waits for its own write.
        if (person !== undefined && this.unwritten.get(id) === person) this.unwritten.delete(id);
        this.inFlightSince.shift();
      }
    });
    this.recording = done.then(() => undefined);
    return done;
  }

  private async record(counted: CountedPerson): Promise<PersonEvent> {
    // A shift nobody was counted in for 12 hours was left running by mistake: this person starts a new one.
    await this.log.endIdleShift();
    if (this.log.currentShift() === undefined) await this.log.startShift(this.host.door());
    return this.log.recordPerson(counted);
  }

  /** A person counted `uncertain` on a pause and decided when seen again: alert, and revise their record. */
  private revise(person: PersonCounted, picture?: Picture): Promise<PersonEvent | undefined> {
    const provisional = this.provisional.get(person.trackId);
    const recorded = provisional?.recorded;
    const provisionalId = provisional?.id;
    this.provisional.delete(person.trackId);
    // Kept until written, as a count is: a page that goes meanwhile passes the decision on (see StoredPerson).
    const stored: StoredPerson = { ...countedOf(person), time: Date.now(), revises: true };
    if (provisionalId !== undefined) this.unwritten.set(provisionalId, stored);
    return this.write(
      person,
      picture,
      async (counted) => {
        try {
          const event = await recorded;
          // No record to revise (its write failed): this is the person's only record, under the same id, so
          // that a late copy of the first one is replaced, not added to.
          if (event === undefined) return await this.record({ ...counted, id: provisionalId });
          return await this.log.revisePerson(event, counted);
        } finally {
          if (provisionalId !== undefined && this.unwritten.get(provisionalId) === stored)
            this.unwritten.delete(provisionalId);
        }
      },
      true,
      true,
    );
  }

  /** Alerts for `person` (unless `alert` is false), then runs `store` on their record after every record before it. */
  private write(
    person: PersonCounted,
    picture: Picture | undefined,
    store: (counted: CountedPerson) => Promise<PersonEvent | undefined>,
    alert = true,
    revision = false,
  ): Promise<PersonEvent | undefined> {
    if (alert) this.alertFor(person);
    // Only an unmasked person's face, only when the guard opted in (off by default: no face image is stored);
    // taken now, from the picture the person was counted in (not the one on screen by the time the result
    // came back: someone walking has moved, and the box could hold another face). ShiftLog enforces the size
    // caps.
    const thumbnail =
      picture !== undefined && person.decision === 'without_mask' && this.log.getSetting('keepThumbnails')
        ? this.host.snapshot(picture.box, picture.frame).catch(() => undefined)
        : undefined;
    this.inFlightSince.push(this.host.now());
    const written = this.recording.then(async () => {
      let problem: string | undefined;
      let event: PersonEvent | undefined;
      try {
        event = await store({ ...countedOf(person), thumbnail: await thumbnail });
      } catch (error) {
        // recordPerson keeps the person queued in memory on a storage failure; this is anything else.
        problem = errorText(error);
      } finally {
        this.inFlightSince.shift();
      }
      this.host.recorded(problem, revision);
      return event;
    });
    this.recording = written.then(() => undefined);
    return written;
  }

  /** Every unmasked or doubtful person gets an alert (the screen shows those of the last seconds together). */
  private alertFor(person: PersonCounted): void {
    if (person.decision === 'with_mask') return;
    if (person.decision === 'without_mask') this.host.ring(person.number);
    this.host.alert({ number: person.number, atMs: this.host.now(), decision: person.decision });
  }
}
