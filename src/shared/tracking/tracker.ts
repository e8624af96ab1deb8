/**
 * The face tracker and people counter: turns per-frame detections into people, each counted exactly once.
 *
 * Counting rule (one {@link PersonCounted} per track, never more):
 * 1. A track becomes eligible once it has `minFrames` observations (on a slow phone, `minSlowFrames` seen
 *    over `minEvidenceMs` in almost every frame); before that it is never counted, so a detector false
 *    positive or a face glimpsed in passing adds nothing to the tally.
 * 2. From then on, on each frame the person is observed, the mean P(without_mask) over all their
 *    observations is checked: at or above `withoutMaskThreshold` → counted `without_mask`; at or below
 *    `withMaskThreshold` → counted `with_mask`. This counts early, while the person is still at the door,
 *    so the page can alert the guard at once.
 * 3. While the mean stays strictly between the thresholds the tracker waits for more frames, until the
 *    person has been in view `maxUndecidedMs`, or the track ends (unseen for longer than `maxGapMs` over at
 *    least `minMissedFrames` processed frames, or for longer than `maxBlindMs`; or `flush`), whichever comes
 *    first; then the person is counted `uncertain`.
 * 4. Once counted, the decision is frozen: later frames update the live average but never re-count, so a
 *    flickering label cannot count a person twice. A track that ends is never revived; the same person
 *    back after more than `maxGapMs` is a new person. One exception: a person counted `uncertain` early by
 *    `settle` (input paused before rule 2 or 3 could decide) is decided on when seen again, by rules 2 and
 *    3; that decision (a firm label, or `uncertain` after `maxUndecidedMs` in view) revises the count
 *    (`revised`), never adds one.
 * 5. A person counted with a firm label whose track is carried over a pause (or over a time hidden behind
 *    another face, see `maxHiddenMs`) is on probation, and so is one where a second face comes into view,
 *    whose face suddenly looks much smaller (see SHRINK_AREA), or who is seen again after frames that missed
 *    them (see MISSED_FRAMES_FOR_PROBATION; such a return also starts again a probation whose frames read as
 *    the person counted): the tracker cannot see who stands at the door
 *    while it does not look (or sees only the face in front, or a face uncovered behind), and in a queue the
 *    next person often steps into the place of the one who left. Their first `minFrames` frames after the pause
 *    (or that moment) are averaged apart; if that average decides the other firm label, the face is taken for a
 *    newcomer: the old track ends (its count stands) and the frames after the pause become a new track, counted
 *    by rules 1 to 3 (an unmasked newcomer is counted and alerted for, not hidden under a masked person's
 *    number). A person who took off or put on a mask during the pause is counted again that way: the camera
 *    cannot tell them from a newcomer, and an unmasked person never counted nor announced is the worse mistake.
 *    So is a face whose appearance over those frames is another person's (see ./appearance.ts: the next in a
 *    queue, wearing the same kind of mask, or none, as the one who left), when the faces carry appearances.
 *
 * Association: each existing track predicts where its face is now (constant velocity from smoothed box
 * motion); faces are matched to tracks on IoU, centre distance and how alike the classifier reads them (see
 * ./association.ts).
 * A walker whose face falls right on a counted person's place in one frame is matched to that person's track
 * (place outweighs label there, or a person who takes their mask off would start a second track); when the
 * next frame shows a new face that continues that frame's face, both reading the other label from the
 * person's, the new track starts from that frame (see {@link Loan}), so that a walker seen in few frames on a
 * slow phone still has enough of them to be counted.
 * Timestamps are milliseconds, may be irregular (dropped frames), and must never go backwards.
 */
import { type Box, boxArea, boxCentre, intersectionArea, iou, translateBox } from '../geometry';
import {
  APPEARANCE_CHANGE_DISTANCE,
  APPEARANCE_SPLIT_DISTANCE,
  blend,
  clearOfOthers,
  cosineDistance,
  isFarFrom,
} from './appearance';
import { associate, distanceInFaces } from './association';
import {
  type Decision,
  type TrackerOptions,
  decideLabel,
  decisionConfidence,
  resolveTrackerOptions,
} from './options';
import {
  type Probation,
  addToProbation,
  lookChangedOnProbation,
  newProbation,
  probationAppearance,
} from './probation';
import type { LiveTrack, Observation, PersonCounted, TrackEnded, TrackerUpdate } from './types';

/**
 * Share of a track's box that another person's head must cover for the track's face to count as hidden
 * behind it. A head is wider than the face box the detector gives (hair, ears, a hood; the detector's box
 * runs from brows to mouth): taken as the face box widened by {@link HEAD_REACH} of its width on each side
 * and as much above, and as tall again below (chin, neck, shoulders).
 */
const HIDDEN_COVER = 1 / 3;
const HEAD_REACH = 0.75;
/**
 * Only a face nearer the camera hides one: its box at least this share of the hidden face's area (a person
 * behind in a queue looks smaller, and their head, drawn over the front person's place, hides nothing there).
 */
const NEARER_AREA = 0.8;
/**
 * A face matched to a track whose box has less than this share of the track's last box area may be someone
 * who stood behind that person, hidden, and is in view now that the person in front left (ducked out, turned
 * away): at the same spot, a face behind looks smaller (someone 0.5 m behind a person 1.5 m from the camera:
 * 0.56 of the area), and matching by place alone hands them the front person's track (approach exploration:
 * 11 of 20 people walking right behind another were never counted). The detector's box of one face can also
 * jump this much between frames, so such a face is not taken for someone else outright: the track goes on
 * probation (rule 5), and only a firmly other label makes it a newcomer.
 */
const SHRINK_AREA = 0.6;
/**
 * Frames hidden in a row before probation (rule 5): one missed detection beside someone (hands at the face
 * while putting a mask on) is not a time in which someone else could have taken the place.
 */
const HIDDEN_FRAMES_FOR_PROBATION = 2;
/**
 * Frames in a row that missed a counted person before probation (rule 5) when a face is matched to them
 * again: in a queue the next person steps into the place of the one who left, a fraction of a second later,
 * and matching by place hands them the track (groups exploration: 8 people at one spot, 0.3 s apart, counted
 * as 1 masked person, none of the 4 unmasked alerted for). One missed detection, as for hidden frames, is not
 * a time in which someone else could have taken the place.
 */
const MISSED_FRAMES_FOR_PROBATION = 2;
/**
 * ... or one frame, on a slow phone, when the person was last seen at least this long ago (ms): at 2.5 frames/s
 * one missed frame is 0.8 s in which the next in a queue can step in (0.3 s apart in the groups exploration).
 * Below it (one missed frame at 5 frames/s or more), as above, a missed detection is not such a time.
 */
const ABSENCE_FOR_PROBATION_MS = 400;

/** The space a person whose face box is `face` hides from the camera (see {@link HIDDEN_COVER}). */
function headOf(face: Box): Box {
  const reach = HEAD_REACH * face.width;
  return {
    x: face.x - reach,
    y: face.y - reach,
    width: face.width + 2 * reach,
    height: 2 * face.height + reach,
  };
}

/**
 * Weight of the newest motion measurement in a track's smoothed velocity: 0.5 follows a walker within a few
 * frames yet halves the effect of one jittery detector box on the prediction.
 */
const VELOCITY_SMOOTHING = 0.5;

/**
 * How fast (face sizes a second) a face seen only once may have moved by the next frame (see
 * FaceTracker.gateOf): a brisk walk across the view. Faces and steps shrink alike with distance, so in face
 * sizes a walk is about the same near and far: 1.4 m/s over a face box about 0.17 m is some 8 a second; 6 takes
 * most walks across (the fake-camera walker goes 4) and keeps the gate from spanning the picture.
 */
const FIRST_STEP_FACES_PER_S = 6;

/**
 * A counted person's face of the previous frame that read the other label from all their frames before it: most
 * likely someone passing in front of them, whose face fell on their place (queue walker in a CI run at 3
 * frames/s: the walker's second of five frames went to the masked person's track, the other three were too few
 * to be counted, and the unmasked walker was never counted nor alerted for). A new face in this frame that
 * continues it (within a first step of it, reading the same way) starts its track from it. The person's track
 * keeps the frame too: it was counted already, and one frame cannot count it again.
 */
interface Loan {
  readonly lender: TrackState;
  readonly box: Box;
  readonly probWithoutMask: number;
  readonly atMs: number;
}

/**
 * Cosine distance (see ./appearance.ts) below which a face may go on with an overdue track: one the frames
 * before saw missing for no longer than `maxGapMs`, now unseen longer. The gap is timed from the last frame
 * that saw the person, so on a slow phone the time they were really gone may be up to a frame shorter: at
 * 4 frames/s a person who looked away 0.7 s was unseen 1.0-1.2 s and counted twice in 43 % of simulated runs
 * (scripts/tracker-sim.ts). Timing it from the first frame that missed them instead took two people of the same
 * label a second apart for one (97-144 of 300 runs). So the frame just past the gap decides by the person's
 * look: the same face a moment later lies under 0.245 (99th percentile, see APPEARANCE_SPLIT_DISTANCE), three
 * men in black masks on the door photos 0.28-0.53 apart.
 */
const OVERDUE_LOOK_DISTANCE = 0.25;

/** Mutable state of one track. Sums, not lists, so memory stays constant however long a person stands. */
interface TrackState {
  readonly id: number;
  /**
   * The person's number (see {@link PersonCounted.number}), given when first seen long enough to be counted;
   * undefined before. A numbered track is always counted (see awaitsDecision).
   */
  number?: number;
  box: Box;
  /** Smoothed velocity of the box centre in pixels per millisecond. */
  vx: number;
  vy: number;
  readonly firstSeenMs: number;
  lastSeenMs: number;
  /**
   * Where the absence clock starts: `lastSeenMs`, or the end of a pause when the face was last seen before
   * it (the camera was off, so time in the pause says nothing about whether the person left).
   */
  absentSinceMs: number;
  /** Processed frames since the face was last observed: the frames in which the tracker looked and missed it. */
  missedFrames: number;
  /** Time in pauses since the first observation: not time in view (rule 3 and `timeInViewMs` leave it out). */
  pausedMs: number;
  frames: number;
  sumProbWithoutMask: number;
  lastProbWithoutMask: number;
  decision: Decision | null;
  /** Counted `uncertain` by `settle` before rules 2 and 3 had their say: may still be revised (rule 4). */
  provisional: boolean;
  /** Rule 5: the frames since the track was carried over a pause, while on probation; undefined otherwise. */
  probation?: Probation;
  /**
   * The face's running appearance (see ./appearance.ts) over its clear frames, those on probation left out;
   * undefined until one is seen, and in a snapshot (never stored).
   */
  appearance?: Float32Array;
  /** Processed frames in a row in which the face was hidden behind someone in front (see maxHiddenMs). */
  hiddenFrames?: number;
  /** Processed frames that missed the face since it was first seen, hidden ones aside (see minSlowFrames). */
  missedTotal?: number;
  /**
   * Whether a frame that missed the face since it was last seen came after blind time: after a pause, or over
   * `maxGapMs` after the frame before it (a detector restart, one very slow frame). Only a gap with blind time
   * in it is bridged by the `minMissedFrames` allowance; missed frames that came at the usual pace, however
   * slow, are time spent looking.
   */
  blindSinceSeen?: boolean;
}

/**
 * A paused tracker's state, for a page that reloads while people stand at the door (see
 * {@link FaceTracker.snapshot}): plain data, kept in localStorage for the next page.
 */
export interface TrackerSnapshot {
  readonly nextId: number;
  /** Absent in a snapshot saved before numbers were given apart from track ids: then `nextId`. */
  readonly nextNumber?: number;
  /** When input paused, on the saving tracker's clock. */
  readonly pausedAtMs: number;
  readonly tracks: readonly Readonly<TrackState>[];
}

/**
 * Tracks faces across frames and counts each person once. Feed it every processed frame in time order with
 * {@link FaceTracker.update}, including frames with no faces (so that tracks can end); call
 * {@link FaceTracker.flush} when input stops (camera stopped, file ended) and {@link FaceTracker.settle}
 * when it only pauses (page hidden).
 */
export class FaceTracker {
  /** The resolved options in use. */
  readonly options: Readonly<TrackerOptions>;
  private tracks: TrackState[] = [];
  private nextId = 1;
  /** The number the next person to be counted gets (see PersonCounted.number). */
  private nextNumber: number;
  private lastTimestampMs = -Infinity;
  /** The last processed frame's time (of `update`, not `pause`). */
  private lastFrameMs = -Infinity;
  /** Set by {@link FaceTracker.pause}: when input stopped, until the next update. */
  private pausedAtMs: number | undefined;

  /**
   * @param options overrides of {@link DEFAULT_TRACKER_OPTIONS}
   * @param firstNumber the first person's number; a tracker that takes over from another (new input)
   *   continues its numbers with {@link FaceTracker.nextPersonNumber}, so that a number on screen always
   *   means one person
   * @throws RangeError when an option is out of range
   */
  constructor(options: Partial<TrackerOptions> = {}, firstNumber = 1) {
    this.options = Object.freeze(resolveTrackerOptions(options));
    if (!Number.isSafeInteger(firstNumber) || firstNumber < 1)
      throw new RangeError(`firstNumber must be a positive integer, got ${firstNumber}`);
    this.nextNumber = firstNumber;
  }

  /**
   * Every track as plain data, paused at `timestampMs` (as by {@link pause}), for {@link FaceTracker.restore}
   * on the page that replaces this one.
   */
  snapshot(timestampMs: number): TrackerSnapshot {
    this.pause(timestampMs);
    return {
      nextId: this.nextId,
      nextNumber: this.nextNumber,
      pausedAtMs: this.pausedAtMs!,
      // Probation starts afresh when the restored tracks are carried over this pause (rule 5).
      // Appearances stay in memory: face-derived, they are never stored (see ./appearance.ts).
      tracks: this.tracks.map((track) => ({
        ...track,
        box: { ...track.box },
        probation: undefined,
        appearance: undefined,
      })),
    };
  }

  /**
   * A tracker that carries on from `snapshot` (another page's, before it reloaded): the same tracks and
   * numbers, paused, with every time moved by `shiftMs` onto this page's clock. The pause is then bridged
   * like any other (a person still in view within `maxBlindMs` keeps their track and is not counted again).
   * Undefined when `snapshot` is not one (read back from storage, it may be anything), or its times are out
   * of order or later than `latestMs` (the saving page's clock when it saved): a tracker whose last time lay
   * ahead of the frames would refuse every one of them.
   */
  static restore(
    options: Partial<TrackerOptions>,
    snapshot: unknown,
    shiftMs: number,
    latestMs = Number.POSITIVE_INFINITY,
  ): FaceTracker | undefined {
    if (!isSnapshot(snapshot) || !Number.isFinite(shiftMs) || snapshot.pausedAtMs > latestMs)
      return undefined;
    const inOrder = (t: Readonly<TrackState>) =>
      t.firstSeenMs <= t.lastSeenMs &&
      t.lastSeenMs <= t.absentSinceMs &&
      t.absentSinceMs <= snapshot.pausedAtMs;
    if (!snapshot.tracks.every(inOrder)) return undefined;
    // Before numbers were given apart from track ids, a counted track's id was its number.
    const tracker = new FaceTracker(options, snapshot.nextNumber ?? snapshot.nextId);
    tracker.nextId = snapshot.nextId;
    const move = (ms: number) => ms + shiftMs;
    tracker.tracks = snapshot.tracks.map((track) => ({
      ...track,
      number:
        track.number ?? (snapshot.nextNumber === undefined && track.decision !== null ? track.id : undefined),
      box: { ...track.box },
      probation: undefined,
      appearance: undefined,
      firstSeenMs: move(track.firstSeenMs),
      lastSeenMs: move(track.lastSeenMs),
      absentSinceMs: move(track.absentSinceMs),
    }));
    tracker.pausedAtMs = move(snapshot.pausedAtMs);
    tracker.lastTimestampMs = tracker.pausedAtMs;
    return tracker;
  }

  /**
   * The camera's picture changed size, from `from` to `to` (width × height, pixels): the phone was turned
   * between upright and sideways (the browser turns the picture with it), or the camera changed resolution.
   * Every track's box moves where the same face now is, so the people in view keep their tracks: the picture
   * turns about its centre, and its long side spans the same view before and after (a 1280 × 720 picture
   * turned is 720 × 1280, the same pixels per degree), so a face keeps its offset from the centre, scaled by
   * the ratio of the long sides. Without it a face moved by up to (long − short) / √2 pixels, beyond the one
   * face size a match may jump, and the person was counted (and alerted for) again at every turn (rotation
   * exploration: one unmasked person counted 3 times over two turns at 1280 × 720).
   */
  reframe(from: { width: number; height: number }, to: { width: number; height: number }): void {
    const scale = Math.max(to.width, to.height) / Math.max(from.width, from.height);
    if (!Number.isFinite(scale) || scale <= 0) return;
    const move = (x: number, fromSide: number, toSide: number) => (x - fromSide / 2) * scale + toSide / 2;
    for (const track of this.tracks) {
      const { x, y, width, height } = track.box;
      const cx = move(x + width / 2, from.width, to.width);
      const cy = move(y + height / 2, from.height, to.height);
      track.box = {
        x: cx - (width * scale) / 2,
        y: cy - (height * scale) / 2,
        width: width * scale,
        height: height * scale,
      };
      track.vx *= scale;
      track.vy *= scale;
    }
  }

  /** The number the next person counted will get. */
  get nextPersonNumber(): number {
    return this.nextNumber;
  }

  /**
   * People counted from now get numbers from `number` up, if that is above the next one: a tracker taken up
   * again after another gave numbers meanwhile (the other camera's view) must not give one of them a second
   * time.
   */
  continueNumbersFrom(number: number): void {
    if (Number.isSafeInteger(number)) this.nextNumber = Math.max(this.nextNumber, number);
  }

  /**
   * How far (in face sizes) from where `track`'s face should be a face may be matched to it. A face seen once
   * has no speed yet, so its next place is only known to be within a walk from its first: its gate grows by
   * {@link FIRST_STEP_FACES_PER_S} for the time since. Without it a person walking across the view on a slow
   * phone (a frame every 0.3–0.5 s) was a new one-frame track in every frame and never counted nor alerted for
   * (fake-camera walker at 4 face sizes a second, the machine loaded: seen in 5 frames, 4 read unmasked, not
   * counted). A followed face keeps the plain gate around its predicted place.
   */
  private gateOf(track: TrackState, timestampMs: number): number {
    if (track.frames > 1) return this.options.maxCentreDistance;
    return this.firstStepGate(timestampMs - track.lastSeenMs);
  }

  /** How far (face sizes) a face seen once may be found `sinceMs` later (see {@link FaceTracker.gateOf}). */
  private firstStepGate(sinceMs: number): number {
    return this.options.maxCentreDistance + (FIRST_STEP_FACES_PER_S * Math.max(0, sinceMs)) / 1000;
  }

  /**
   * How many tracks a frame at `timestampMs` would still continue: every track kept (seen in the last frame,
   * or missed for less than the gap), also over a pause, until the pause outlasts `maxBlindMs` (then the next
   * frame ends them all, whoever stands at the door may be new).
   * @param timestampMs now, on the clock of `update` and `pause`
   */
  tracksHeldAt(timestampMs: number): number {
    if (this.pausedAtMs !== undefined && timestampMs - this.pausedAtMs > this.options.maxBlindMs) return 0;
    return this.tracks.length;
  }

  /**
   * Process one frame: end tracks unseen for longer than `maxGapMs`, match `faces` to tracks, start tracks
   * for new faces, and count people who became decidable.
   * @param timestampMs frame time in milliseconds; never less than the previous call's
   * @param faces every face found in this frame (may be empty)
   * @throws RangeError on a timestamp that goes backwards or is not finite, or a malformed face
   */
  update(timestampMs: number, faces: readonly Observation[]): TrackerUpdate {
    this.checkTimestamp(timestampMs);
    faces.forEach(checkObservation);
    // Blind time before this frame: no frame looked at the door for longer than a person's gap.
    const afterBlindTime =
      this.pausedAtMs !== undefined || timestampMs - this.lastFrameMs > this.options.maxGapMs;
    const previousFrameMs = this.lastFrameMs;
    const loans = afterBlindTime ? [] : this.loans(previousFrameMs);
    this.lastFrameMs = timestampMs;
    const counted: PersonCounted[] = [];
    const revised: PersonCounted[] = [];
    const ended: TrackEnded[] = [];

    // Back from a pause no longer than maxBlindMs. The pause is not time in view. People in view when it
    // began (seen in the last frame, or unseen for at most half the gap: a turned head, a blurred frame) get
    // their whole gap again from now, so that a camera's first frames (dark while it starts: about 0.7 s
    // here) do not end their tracks; people gone longer are as gone after it as before, so whoever steps
    // into their place is not taken for them. After a longer pause every track ends below: whoever stands
    // there may be new.
    if (this.pausedAtMs !== undefined && timestampMs - this.pausedAtMs <= this.options.maxBlindMs) {
      const pauseMs = timestampMs - this.pausedAtMs;
      for (const track of this.tracks) {
        track.pausedMs += pauseMs;
        const inView =
          track.missedFrames === 0 || this.pausedAtMs - track.absentSinceMs <= this.options.maxGapMs / 2;
        if (inView) {
          absenceStartsAt(track, timestampMs);
        } else {
          track.absentSinceMs += pauseMs;
        }
        // Rule 5: whoever is matched to a firmly decided track from now may be someone else.
        if (firmlyDecided(track)) startProbation(track);
        // A look is compared only while the camera keeps watching: one opened again shows the same face darker
        // or in other colours while it adjusts, so each person's look is learned again from here.
        track.appearance = undefined;
      }
    }
    this.pausedAtMs = undefined;

    // Gaps first, so that a face back after a long absence cannot rejoin its old track. Only time spent
    // looking counts as absence: a gap in which no frame was processed, or that began with blind time (the
    // detector restarting, one very slow frame) and has fewer than `minMissedFrames` processed frames since,
    // is bridged up to `maxBlindMs`, or the person still in view would start a second track and be counted
    // twice. On a slow phone (a frame every 0.6 s) one frame missing the face at the usual pace is looking:
    // bridging it too let the next person in the same place continue the one who left (slow-phone exploration).
    // A track the frames before this one saw missing for no longer than the gap is overdue: it ends this frame
    // unless a face that looks like the person's continues it (see OVERDUE_LOOK_DISTANCE).
    const overdue = new Set<TrackState>();
    this.tracks = this.tracks.filter((track) => {
      const unseenMs = timestampMs - track.absentSinceMs;
      if (unseenMs <= this.options.maxGapMs) return true;
      const blind =
        track.missedFrames === 0 ||
        ((track.blindSinceSeen === true || afterBlindTime) &&
          track.missedFrames < this.options.minMissedFrames);
      if (blind && unseenMs <= this.options.maxBlindMs) return true;
      if (
        !afterBlindTime &&
        track.appearance !== undefined &&
        previousFrameMs - track.absentSinceMs <= this.options.maxGapMs
      ) {
        overdue.add(track);
        return true;
      }
      this.end(track, timestampMs, counted, ended);
      return false;
    });

    const hypotheses = this.tracks.map((track) => [predictBox(track, timestampMs), track.box]);
    const matches = associate(
      hypotheses,
      faces.map((face) => face.box),
      this.tracks.map((track) => this.gateOf(track, timestampMs)),
      {
        tracks: this.tracks.map(average),
        observations: faces.map((face) => face.probWithoutMask),
        maxDifference: this.options.maxLabelDifference,
        jumpDistance: this.options.labelJumpDistance,
        weight: this.options.labelWeight,
      },
      // An overdue track goes on only with a face clear of others that looks like the person (one read the
      // other way is then put to rule 5's probation, as anyone back after an absence).
      (trackIndex, observationIndex) => {
        const track = this.tracks[trackIndex]!;
        if (!overdue.has(track)) return true;
        const face = faces[observationIndex]!;
        const look = track.appearance;
        return (
          look !== undefined &&
          face.appearance?.length === look.length &&
          clearOfOthers(faces, observationIndex) &&
          cosineDistance(look, face.appearance) < OVERDUE_LOOK_DISTANCE
        );
      },
    );
    const observationOf = new Map<TrackState, number>();
    // Faces no track took that are not duplicates of one taken: people new in view this frame.
    const newFaces = faces.filter(
      (face, index) =>
        !matches.some((match) => match.observationIndex === index) &&
        !matches.some(
          (match) => iou(faces[match.observationIndex].box, face.box) >= this.options.duplicateIou,
        ),
    );
    for (const { trackIndex, observationIndex } of matches) {
      const track = this.tracks[trackIndex];
      const face = faces[observationIndex];
      // Rule 5: where one person was counted, two faces now (someone beside or behind them came into view,
      // or the person stepped aside and uncovered them), one much smaller (someone who stood right behind
      // them, now that they left), or a face again after frames that saw nobody there (the next in a queue):
      // the face matched to the track may be the other person's; and so may a face that looks like someone
      // else (the next in a queue, there before a frame could miss the one who left).
      const clear = clearOfOthers(faces, observationIndex);
      // Seen again after a time in which someone else could have taken the place: a probation starts, or
      // starts again if its frames so far read as the person counted (they were theirs, before they left).
      const backAfterAbsence =
        (track.missedFrames >= MISSED_FRAMES_FOR_PROBATION ||
          (track.missedFrames > 0 && timestampMs - track.lastSeenMs >= ABSENCE_FOR_PROBATION_MS)) &&
        (track.probation === undefined || this.probationReadsAs(track.probation, track.decision));
      if (
        firmlyDecided(track) &&
        (backAfterAbsence ||
          (track.probation === undefined &&
            (boxArea(face.box) < SHRINK_AREA * boxArea(track.box) ||
              newFaces.some(
                (other) => distanceInFaces(track.box, other.box) <= this.options.maxCentreDistance,
              ) ||
              (clear &&
                face.appearance !== undefined &&
                isFarFrom(track.appearance, face.appearance, APPEARANCE_CHANGE_DISTANCE)))))
      )
        startProbation(track);
      // On probation already, and this face looks like someone else than the frames so far: those may be the
      // person who left, this one the next; judge from here, on this face's frames alone.
      else if (
        clear &&
        face.appearance !== undefined &&
        track.probation !== undefined &&
        lookChangedOnProbation(track.appearance, track.probation, face.appearance)
      )
        startProbation(track);
      observe(track, face, timestampMs, clear);
      observationOf.set(track, observationIndex);
    }
    // Overdue tracks no face went on with end now, as after any gap.
    this.tracks = this.tracks.filter((track) => {
      if (!overdue.has(track) || observationOf.has(track)) return true;
      this.end(track, timestampMs, counted, ended);
      return false;
    });
    // A loan stays on offer only while its lender's own face this frame, if any, does not read like it: a
    // person who took their mask off in that frame and is still read so keeps it.
    const like = (p: number, q: number) => Math.abs(p - q) <= this.options.maxLabelDifference;
    const loansOpen = loans.filter((loan) => {
      const now = observationOf.get(loan.lender);
      return now === undefined || !like(faces[now]!.probWithoutMask, loan.probWithoutMask);
    });
    for (const track of this.tracks) {
      if (observationOf.has(track)) continue;
      // Hidden behind a head in front (someone stepping or walking past): not absent, up to maxHiddenMs, and
      // on probation (rule 5) once seen again, since the face that comes out may be someone else's.
      const area = boxArea(track.box);
      const covered = faces.some(
        (face) =>
          boxArea(face.box) >= NEARER_AREA * area &&
          intersectionArea(headOf(face.box), track.box) >= HIDDEN_COVER * area,
      );
      if (covered && timestampMs - track.lastSeenMs <= this.options.maxHiddenMs) {
        absenceStartsAt(track, timestampMs);
        track.hiddenFrames = (track.hiddenFrames ?? 0) + 1;
        // Afresh at each time hidden: frames from before it are the person's own.
        if (firmlyDecided(track) && track.hiddenFrames === HIDDEN_FRAMES_FOR_PROBATION) startProbation(track);
      } else {
        if (afterBlindTime) track.blindSinceSeen = true;
        track.missedFrames += 1;
        track.missedTotal = (track.missedTotal ?? 0) + 1;
        track.hiddenFrames = 0;
      }
    }

    // New tracks for unmatched faces, strongest detection first, skipping duplicates of faces already taken.
    const taken = matches.map((match) => faces[match.observationIndex].box);
    const unmatched = faces
      .map((_, index) => index)
      .filter((index) => !matches.some((match) => match.observationIndex === index))
      .sort((a, b) => (faces[b].detScore ?? 0) - (faces[a].detScore ?? 0) || a - b);
    for (const index of unmatched) {
      const face = faces[index];
      if (taken.some((box) => iou(box, face.box) >= this.options.duplicateIou)) continue;
      taken.push(face.box);
      const loan = this.loanFor(face, loansOpen, timestampMs);
      let track: TrackState;
      if (loan === undefined) {
        track = this.start(face, timestampMs);
        if (face.appearance !== undefined && clearOfOthers(faces, index)) track.appearance = face.appearance;
      } else {
        loansOpen.splice(loansOpen.indexOf(loan), 1);
        track = this.start(loan, loan.atMs);
        observe(track, face, timestampMs, clearOfOthers(faces, index));
      }
      observationOf.set(track, index);
    }

    // Rule 5: a track on probation whose frames since the pause decide the other firm label, or show another
    // person's appearance, is a newcomer. Judged after as many frames as rule 1 asks of a new face (on a slow
    // phone `minSlowFrames` over `minEvidenceMs`), or the person who stepped into a counted person's place
    // on a slow phone would often be gone before the judgement, never counted nor alerted for.
    for (const track of [...this.tracks]) {
      const probation = track.probation;
      if (probation === undefined || !this.probationDecides(probation, track.lastSeenMs)) continue;
      track.probation = undefined;
      const label = this.probationLabel(probation);
      const otherLabel = label !== null && label !== track.decision;
      const since = probationAppearance(probation);
      if (
        !otherLabel &&
        !(since !== undefined && isFarFrom(track.appearance, since, APPEARANCE_SPLIT_DISTANCE))
      ) {
        // Still the person counted: what they looked like on probation is theirs.
        if (since !== undefined) track.appearance = track.appearance ? blend(track.appearance, since) : since;
        continue;
      }
      this.tracks.splice(this.tracks.indexOf(track), 1);
      this.end(track, timestampMs, counted, ended);
      const newcomer = this.startNewcomer(track, probation, timestampMs);
      const observation = observationOf.get(track);
      observationOf.delete(track);
      if (observation !== undefined) observationOf.set(newcomer, observation);
    }

    // Rules 1 to 3. Only observed tracks are checked: the others' averages and times in view did not move.
    for (const track of this.tracks) {
      if (track.provisional && observationOf.has(track)) {
        // Rule 4's exception: rules 2 and 3 get their say after all, once.
        const label = decideLabel(average(track), this.options);
        if (label !== null) revised.push(this.count(track, label, timestampMs));
        else if (timeInView(track) >= this.options.maxUndecidedMs)
          revised.push(this.count(track, 'uncertain', timestampMs));
        continue;
      }
      const pending = this.awaitsDecision(track);
      if (!pending || !observationOf.has(track)) continue;
      // Seen long enough to be counted: their number from now, on their box while they are still being
      // decided, so that a person counted uncertain as they leave is alerted for under the number they showed.
      track.number ??= this.nextNumber++;
      const label = decideLabel(average(track), this.options);
      if (label !== null) {
        counted.push(this.count(track, label, timestampMs));
      } else if (timeInView(track) >= this.options.maxUndecidedMs) {
        counted.push(this.count(track, 'uncertain', timestampMs));
      }
    }

    counted.sort((a, b) => a.trackId - b.trackId);
    revised.sort((a, b) => a.trackId - b.trackId);
    ended.sort((a, b) => a.trackId - b.trackId);
    const tracks = this.tracks.map((track) => liveTrack(track, observationOf.get(track) ?? null));
    return { tracks, counted, revised, ended };
  }

  /**
   * End every track now, counting as `uncertain` each track that has `minFrames` observations but was never
   * decided. Call when input stops; the next `update` starts from no tracks (with new ids).
   * @param timestampMs time of the stop in milliseconds; never less than the previous call's
   */
  flush(timestampMs: number): TrackerUpdate {
    this.checkTimestamp(timestampMs);
    const counted: PersonCounted[] = [];
    const ended: TrackEnded[] = [];
    for (const track of this.tracks) this.end(track, timestampMs, counted, ended);
    this.tracks = [];
    this.pausedAtMs = undefined;
    return { tracks: [], counted, revised: [], ended };
  }

  /**
   * Count now, as `uncertain`, every track that has `minFrames` observations but no decision yet, and keep
   * every track. Call when input pauses and the page may be closed before it resumes (page hidden): nobody
   * seen long enough is lost, and a person still in view when input resumes within `maxBlindMs` continues
   * their track instead of being counted a second time (and may then be decided after all: rule 4).
   * @param timestampMs time of the pause in milliseconds; never less than the previous call's
   */
  settle(timestampMs: number): TrackerUpdate {
    this.checkTimestamp(timestampMs);
    const counted = this.tracks
      .filter((track) => this.awaitsDecision(track))
      .map((track) => {
        const person = this.count(track, 'uncertain', timestampMs);
        track.provisional = true;
        return person;
      });
    return { ...this.pause(timestampMs), counted };
  }

  /**
   * Input pauses now (camera restarting, page hidden); every track is kept. Calls before the next update
   * belong to the same pause, which started at the first. On the next update, if the pause
   * lasted no longer than `maxBlindMs`, each track's absence is counted from then: a person still in view
   * has `maxGapMs` and `minMissedFrames` frames to be seen again, however long the pause was.
   * @param timestampMs time of the pause in milliseconds; never less than the previous call's
   */
  pause(timestampMs: number): TrackerUpdate {
    this.checkTimestamp(timestampMs);
    // A pause lasts from its first call to the next update: pausing again (the camera stopped on hiding,
    // then restarted on showing) must not make a long pause look short.
    this.pausedAtMs ??= timestampMs;
    return {
      tracks: this.tracks.map((track) => liveTrack(track, null)),
      counted: [],
      revised: [],
      ended: [],
    };
  }

  private checkTimestamp(timestampMs: number): void {
    if (!Number.isFinite(timestampMs)) throw new RangeError(`timestamp must be finite, got ${timestampMs}`);
    if (timestampMs < this.lastTimestampMs) {
      throw new RangeError(`timestamp went backwards: ${timestampMs} after ${this.lastTimestampMs}`);
    }
    this.lastTimestampMs = timestampMs;
  }

  private start(face: Observation, timestampMs: number): TrackState {
    const track: TrackState = {
      id: this.nextId++,
      box: face.box,
      vx: 0,
      vy: 0,
      firstSeenMs: timestampMs,
      lastSeenMs: timestampMs,
      absentSinceMs: timestampMs,
      missedFrames: 0,
      pausedMs: 0,
      frames: 1,
      sumProbWithoutMask: face.probWithoutMask,
      lastProbWithoutMask: face.probWithoutMask,
      decision: null,
      provisional: false,
    };
    this.tracks.push(track);
    return track;
  }

  /**
   * The {@link Loan}s on offer this frame: each counted track's face of the frame at `previousFrameMs` that read
   * the other label (by more than `maxLabelDifference`) from the average of all its frames before it.
   */
  private loans(previousFrameMs: number): Loan[] {
    return this.tracks.flatMap((track) => {
      if (!firmlyDecided(track) || track.frames < 2 || track.lastSeenMs !== previousFrameMs) return [];
      const before = (track.sumProbWithoutMask - track.lastProbWithoutMask) / (track.frames - 1);
      if (Math.abs(track.lastProbWithoutMask - before) <= this.options.maxLabelDifference) return [];
      const { box, lastProbWithoutMask: probWithoutMask, lastSeenMs: atMs } = track;
      return [{ lender: track, box, probWithoutMask, atMs }];
    });
  }

  /**
   * The nearest of `loans` that a new `face` continues: it reads like the loan's face (within
   * `maxLabelDifference`) and lies within the step a face seen once may take (see gateOf).
   */
  private loanFor(face: Observation, loans: readonly Loan[], timestampMs: number): Loan | undefined {
    let best: Loan | undefined;
    let bestDistance = Infinity;
    for (const loan of loans) {
      if (Math.abs(face.probWithoutMask - loan.probWithoutMask) > this.options.maxLabelDifference) continue;
      const distance = distanceInFaces(loan.box, face.box);
      if (distance <= this.firstStepGate(timestampMs - loan.atMs) && distance < bestDistance) {
        best = loan;
        bestDistance = distance;
      }
    }
    return best;
  }

  /**
   * Rule 5's newcomer: a new track holding what `track` saw since its pause (`probation`), where `track` is
   * now; it is counted by rules 1 to 3 like any new face.
   */
  private startNewcomer(track: TrackState, probation: Probation, timestampMs: number): TrackState {
    const newcomer = this.start(
      { box: track.box, probWithoutMask: track.lastProbWithoutMask },
      probation.firstSeenMs ?? timestampMs,
    );
    newcomer.lastSeenMs = timestampMs;
    newcomer.absentSinceMs = track.absentSinceMs;
    newcomer.missedFrames = track.missedFrames;
    newcomer.frames = probation.frames;
    newcomer.sumProbWithoutMask = probation.sumProbWithoutMask;
    newcomer.appearance = probationAppearance(probation);
    return newcomer;
  }

  /** The label the frames of `probation` average to (null between the thresholds); call with frames > 0. */
  private probationLabel(probation: Probation): Decision | null {
    return decideLabel(probation.sumProbWithoutMask / probation.frames, this.options);
  }

  /** Whether the frames of `probation` so far average to `decision` (true when there are none). */
  private probationReadsAs(probation: Probation, decision: Decision | null): boolean {
    return probation.frames === 0 || this.probationLabel(probation) === decision;
  }

  /**
   * Rule 5: whether `probation` has as many frames as rule 1 asks of a new face, its face last seen at
   * `lastSeenMs`: spanned by the frames that saw it, so that a frame missing it adds no evidence.
   */
  private probationDecides(probation: Probation, lastSeenMs: number): boolean {
    return this.enoughFrames(probation.frames, lastSeenMs - (probation.firstSeenMs ?? lastSeenMs));
  }

  /**
   * Rules 1 and 5: `frames` observations over `spanMs` of time in view are enough to judge a face: `minFrames`,
   * or on a slow phone `minSlowFrames` over `minEvidenceMs` (rule 1 also asks that almost no frame missed it).
   */
  private enoughFrames(frames: number, spanMs: number, missedFrames = 0): boolean {
    const { minFrames, minSlowFrames, minEvidenceMs } = this.options;
    return frames >= minFrames || (frames >= minSlowFrames && spanMs >= minEvidenceMs && missedFrames <= 1);
  }

  /** Rule 1: seen in enough frames (`minFrames`, or on a slow phone `minSlowFrames`) and not counted yet. */
  private awaitsDecision(track: TrackState): boolean {
    if (track.decision !== null) return false;
    // Numbered once it met this rule (see update): a number given is a person counted, whatever comes after.
    if (track.number !== undefined) return true;
    return this.enoughFrames(track.frames, timeInView(track), track.missedTotal ?? 0);
  }

  /** Rules 1 and 3 at the end of a track: an eligible track still undecided is counted `uncertain`. */
  private end(track: TrackState, timestampMs: number, counted: PersonCounted[], ended: TrackEnded[]): void {
    if (this.awaitsDecision(track)) {
      counted.push(this.count(track, 'uncertain', timestampMs));
    }
    ended.push({
      trackId: track.id,
      decision: track.decision,
      frames: track.frames,
      averageProbWithoutMask: average(track),
      firstSeenMs: track.firstSeenMs,
      lastSeenMs: track.lastSeenMs,
    });
  }

  /**
   * Freezes the track's decision and builds its event. Exactly once per track: every caller (update, end,
   * settle) first checks {@link FaceTracker.awaitsDecision}, and a track that ended is dropped from
   * `tracks`; the one revision of a provisional count (rule 4) clears `provisional` here.
   */
  private count(track: TrackState, decision: Decision, timestampMs: number): PersonCounted {
    track.decision = decision;
    track.provisional = false;
    // Given when the track became eligible, or now (on a pause or an end in between); kept by the revision of
    // a provisional count: one person, one number.
    track.number ??= this.nextNumber++;
    const averageProbWithoutMask = average(track);
    return {
      trackId: track.id,
      number: track.number,
      decision,
      confidence: decisionConfidence(decision, averageProbWithoutMask),
      averageProbWithoutMask,
      frames: track.frames,
      timeInViewMs: timeInView(track),
      firstSeenMs: track.firstSeenMs,
      lastSeenMs: track.lastSeenMs,
      countedAtMs: timestampMs,
    };
  }
}

/** Time from the first observation to the latest, less the pauses in between. */
function timeInView(track: TrackState): number {
  return track.lastSeenMs - track.firstSeenMs - track.pausedMs;
}

/** Counted with a firm label (neither `uncertain` nor still undecided): whom rule 5 puts on probation. */
function firmlyDecided(track: TrackState): boolean {
  return track.decision === 'with_mask' || track.decision === 'without_mask';
}

/** Rule 5: the frames from now are averaged apart, to tell whether this is still the person counted. */
function startProbation(track: TrackState): void {
  track.probation = newProbation();
}

/**
 * The track's absence clock starts (again) at `timestampMs`: the face was seen then, or counts as in view
 * (hidden behind someone, or in view when a pause began), so no frame has missed it since.
 */
function absenceStartsAt(track: TrackState, timestampMs: number): void {
  track.absentSinceMs = timestampMs;
  track.missedFrames = 0;
  track.blindSinceSeen = false;
}

function average(track: TrackState): number {
  return track.sumProbWithoutMask / track.frames;
}

/** Where the track's box should be at `timestampMs` if the face kept its smoothed velocity. */
function predictBox(track: TrackState, timestampMs: number): Box {
  const dt = timestampMs - track.lastSeenMs;
  return translateBox(track.box, track.vx * dt, track.vy * dt);
}

function observe(track: TrackState, face: Observation, timestampMs: number, clear: boolean): void {
  const dt = timestampMs - track.lastSeenMs;
  // Two updates with the same timestamp carry no motion information (and would divide by zero).
  if (dt > 0) {
    const before = boxCentre(track.box);
    const after = boxCentre(face.box);
    track.vx = VELOCITY_SMOOTHING * ((after.x - before.x) / dt) + (1 - VELOCITY_SMOOTHING) * track.vx;
    track.vy = VELOCITY_SMOOTHING * ((after.y - before.y) / dt) + (1 - VELOCITY_SMOOTHING) * track.vy;
  }
  track.box = face.box;
  track.lastSeenMs = timestampMs;
  absenceStartsAt(track, timestampMs);
  track.hiddenFrames = 0;
  track.frames += 1;
  track.sumProbWithoutMask += face.probWithoutMask;
  track.lastProbWithoutMask = face.probWithoutMask;
  if (track.probation !== undefined) addToProbation(track.probation, face, timestampMs, clear);
  // A look on probation may be someone else's: it becomes the track's only if the probation keeps the person.
  else if (face.appearance !== undefined && clear)
    track.appearance = track.appearance ? blend(track.appearance, face.appearance) : face.appearance;
}

function liveTrack(track: TrackState, observationIndex: number | null): LiveTrack {
  return {
    id: track.id,
    number: track.number ?? null,
    box: track.box,
    visible: observationIndex !== null,
    observationIndex,
    frames: track.frames,
    averageProbWithoutMask: average(track),
    lastProbWithoutMask: track.lastProbWithoutMask,
    decision: track.decision,
    firstSeenMs: track.firstSeenMs,
    lastSeenMs: track.lastSeenMs,
  };
}

function checkObservation(face: Observation, index: number): void {
  const { box, probWithoutMask } = face;
  if (![box.x, box.y, box.width, box.height].every(Number.isFinite)) {
    throw new RangeError(`face ${index}: box has a non-finite coordinate`);
  }
  if (!(probWithoutMask >= 0 && probWithoutMask <= 1)) {
    throw new RangeError(`face ${index}: probWithoutMask must be in [0, 1], got ${probWithoutMask}`);
  }
}

const DECISIONS: readonly (Decision | null)[] = ['with_mask', 'without_mask', 'uncertain', null];

/** Whether `value` has a {@link TrackerSnapshot}'s shape, with finite numbers and ids below `nextId`. */
function isSnapshot(value: unknown): value is TrackerSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const { nextId, nextNumber, pausedAtMs, tracks } = value as Record<string, unknown>;
  if (!Number.isSafeInteger(nextId) || (nextId as number) < 1 || !Number.isFinite(pausedAtMs)) return false;
  const numbered = nextNumber !== undefined;
  if (numbered && (!Number.isSafeInteger(nextNumber) || (nextNumber as number) < 1)) return false;
  if (!Array.isArray(tracks)) return false;
  const finite = (...values: unknown[]) => values.every((v) => typeof v === 'number' && Number.isFinite(v));
  return tracks.every((track: unknown) => {
    if (typeof track !== 'object' || track === null) return false;
    const t = track as Record<string, unknown>;
    const box = t.box as Record<string, unknown> | null;
    return (
      Number.isSafeInteger(t.id) &&
      (t.id as number) >= 1 &&
      (t.id as number) < (nextId as number) &&
      // A number below the next, and one for every counted person; none in a snapshot from before numbers.
      (numbered
        ? t.number === undefined
          ? t.decision === null
          : Number.isSafeInteger(t.number) &&
            (t.number as number) >= 1 &&
            (t.number as number) < (nextNumber as number)
        : t.number === undefined) &&
      typeof box === 'object' &&
      box !== null &&
      finite(box.x, box.y, box.width, box.height) &&
      finite(t.vx, t.vy, t.firstSeenMs, t.lastSeenMs, t.absentSinceMs, t.missedFrames, t.pausedMs) &&
      finite(t.frames, t.sumProbWithoutMask, t.lastProbWithoutMask) &&
      (t.missedTotal === undefined || finite(t.missedTotal)) &&
      (t.blindSinceSeen === undefined || typeof t.blindSinceSeen === 'boolean') &&
      (t.frames as number) >= 1 &&
      DECISIONS.includes(t.decision as Decision | null) &&
      typeof t.provisional === 'boolean'
    );
  });
}
