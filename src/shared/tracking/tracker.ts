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
 *    whose face suddenly looks much smaller (see SHRINK_AREA in ./probation.ts), or who is seen again after
 *    frames that missed them (see MISSED_FRAMES_FOR_PROBATION there; such a return also starts again a
 *    probation whose frames read as the person counted): the tracker cannot see who stands at the door
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
import { boxArea, iou } from '../geometry';
import {
  APPEARANCE_CHANGE_DISTANCE,
  APPEARANCE_SPLIT_DISTANCE,
  blend,
  clearOfOthers,
  cosineDistance,
  isFarFrom,
} from './appearance';
import { associate, distanceInFaces } from './association';
import { type Loan, firstStepGate, loanFor, loansOnOffer } from './loans';
import { hiddenBehindSomeone } from './occlusion';
import {
  type Decision,
  type TrackerOptions,
  decideLabel,
  decisionConfidence,
  resolveTrackerOptions,
} from './options';
import {
  ABSENCE_FOR_PROBATION_MS,
  HIDDEN_FRAMES_FOR_PROBATION,
  MISSED_FRAMES_FOR_PROBATION,
  type Probation,
  SHRINK_AREA,
  lookChangedOnProbation,
  probationAppearance,
} from './probation';
import { type TrackerSnapshot, isSnapshot } from './snapshot';
import {
  type TrackState,
  absenceStartsAt,
  average,
  firmlyDecided,
  liveTrack,
  newTrackState,
  observe,
  predictBox,
  startProbation,
  timeInView,
} from './track-state';
import type { Observation, PersonCounted, TrackEnded, TrackerUpdate } from './types';

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

/** What one call of {@link FaceTracker.update} works on and gathers, phase by phase. */
interface Frame {
  readonly timestampMs: number;
  readonly faces: readonly Observation[];
  readonly counted: PersonCounted[];
  readonly revised: PersonCounted[];
  readonly ended: TrackEnded[];
  /** Each track seen this frame and the index of its face in `faces`. */
  readonly observationOf: Map<TrackState, number>;
}

/** A face matched to a track: their indexes in `faces` and in the tracks kept. */
type Match = ReturnType<typeof associate>[number];

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
   * FIRST_STEP_FACES_PER_S (./loans.ts) for the time since. Without it a person walking across the view on a slow
   * phone (a frame every 0.3–0.5 s) was a new one-frame track in every frame and never counted nor alerted for
   * (fake-camera walker at 4 face sizes a second, the machine loaded: seen in 5 frames, 4 read unmasked, not
   * counted). A followed face keeps the plain gate around its predicted place.
   */
  private gateOf(track: TrackState, timestampMs: number): number {
    if (track.frames > 1) return this.options.maxCentreDistance;
    return firstStepGate(timestampMs - track.lastSeenMs, this.options);
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
    const loans = afterBlindTime ? [] : loansOnOffer(this.tracks, previousFrameMs, this.options);
    this.lastFrameMs = timestampMs;
    const frame: Frame = {
      timestampMs,
      faces,
      counted: [],
      revised: [],
      ended: [],
      observationOf: new Map(),
    };

    this.resumeAfterPause(timestampMs);
    const overdue = this.endAbsentTracks(frame, afterBlindTime, previousFrameMs);
    const matches = this.matchFaces(frame, overdue);
    this.observeMatched(frame, matches);
    // Overdue tracks no face went on with end now, as after any gap.
    this.tracks = this.tracks.filter((track) => {
      if (!overdue.has(track) || frame.observationOf.has(track)) return true;
      this.end(track, timestampMs, frame.counted, frame.ended);
      return false;
    });
    // A loan stays on offer only while its lender's own face this frame, if any, does not read like it: a
    // person who took their mask off in that frame and is still read so keeps it.
    const like = (p: number, q: number) => Math.abs(p - q) <= this.options.maxLabelDifference;
    const loansOpen = loans.filter((loan) => {
      const now = frame.observationOf.get(loan.lender);
      return now === undefined || !like(faces[now]!.probWithoutMask, loan.probWithoutMask);
    });
    this.markUnseen(frame, afterBlindTime);
    this.startTracks(frame, matches, loansOpen);
    this.judgeProbations(frame);
    this.decide(frame);

    const { counted, revised, ended, observationOf } = frame;
    counted.sort((a, b) => a.trackId - b.trackId);
    revised.sort((a, b) => a.trackId - b.trackId);
    ended.sort((a, b) => a.trackId - b.trackId);
    const tracks = this.tracks.map((track) => liveTrack(track, observationOf.get(track) ?? null));
    return { tracks, counted, revised, ended };
  }

  /** The first frame after a pause: bridges it when no longer than `maxBlindMs`; clears it either way. */
  private resumeAfterPause(timestampMs: number): void {
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
  }

  /**
   * Ends the tracks absent for longer than the gap (see below) and returns the overdue ones, which go on only
   * with a face that looks like the person's.
   */
  private endAbsentTracks(frame: Frame, afterBlindTime: boolean, previousFrameMs: number): Set<TrackState> {
    const { timestampMs } = frame;
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
      this.end(track, timestampMs, frame.counted, frame.ended);
      return false;
    });
    return overdue;
  }

  /** Matches this frame's faces to the tracks kept (see ./association.ts). */
  private matchFaces(frame: Frame, overdue: ReadonlySet<TrackState>): Match[] {
    const { timestampMs, faces } = frame;
    const hypotheses = this.tracks.map((track) => [predictBox(track, timestampMs), track.box]);
    return associate(
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
  }

  /** Each matched face goes to its track; rule 5 puts the track on probation where someone else may stand. */
  private observeMatched(frame: Frame, matches: readonly Match[]): void {
    const { timestampMs, faces, observationOf } = frame;
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
  }

  /** The tracks no face went on with this frame: hidden behind someone in front, or missed. */
  private markUnseen(frame: Frame, afterBlindTime: boolean): void {
    const { timestampMs, faces, observationOf } = frame;
    for (const track of this.tracks) {
      if (observationOf.has(track)) continue;
      // Hidden behind a head in front (someone stepping or walking past): not absent, up to maxHiddenMs, and
      // on probation (rule 5) once seen again, since the face that comes out may be someone else's.
      if (
        hiddenBehindSomeone(faces, track.box) &&
        timestampMs - track.lastSeenMs <= this.options.maxHiddenMs
      ) {
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
  }

  /** New tracks for the faces no track took (see {@link Loan}). */
  private startTracks(frame: Frame, matches: readonly Match[], loansOpen: Loan[]): void {
    const { timestampMs, faces, observationOf } = frame;
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
      const loan = loanFor(face, loansOpen, timestampMs, this.options);
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
  }

  /** Rule 5's judgement of the tracks on probation (see below). */
  private judgeProbations(frame: Frame): void {
    const { timestampMs, observationOf } = frame;
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
      this.end(track, timestampMs, frame.counted, frame.ended);
      const newcomer = this.startNewcomer(track, probation, timestampMs);
      const observation = observationOf.get(track);
      observationOf.delete(track);
      if (observation !== undefined) observationOf.set(newcomer, observation);
    }
  }

  /** Rules 1 to 3, and rule 4's one revision. */
  private decide(frame: Frame): void {
    const { timestampMs, observationOf, counted, revised } = frame;
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
    const track = newTrackState(this.nextId++, face, timestampMs);
    this.tracks.push(track);
    return track;
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

function checkObservation(face: Observation, index: number): void {
  const { box, probWithoutMask } = face;
  if (![box.x, box.y, box.width, box.height].every(Number.isFinite)) {
    throw new RangeError(`face ${index}: box has a non-finite coordinate`);
  }
  if (!(probWithoutMask >= 0 && probWithoutMask <= 1)) {
    throw new RangeError(`face ${index}: probWithoutMask must be in [0, 1], got ${probWithoutMask}`);
  }
}
