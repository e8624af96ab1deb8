/**
 * The counting rule and what a guard expects beyond the scenarios: false positives never counted,
 * one event per person with its fields, uncertain people, duplicates, fast walkers, flush, bad input.
 */
import { describe, expect, it } from 'vitest';
import { FaceTracker } from '../../src/shared/tracking/tracker';
import type { Observation, PersonCounted, TrackerUpdate } from '../../src/shared/tracking/types';

function face(cx: number, cy: number, probWithoutMask: number, size = 80, detScore?: number): Observation {
  return {
    box: { x: cx - size / 2, y: cy - size / 2, width: size, height: size },
    probWithoutMask,
    detScore,
  };
}

/** Feeds `probs` as one face at a fixed spot, one frame every `stepMs`; returns every update. */
function feed(tracker: FaceTracker, probs: number[], stepMs = 100, startMs = 0): TrackerUpdate[] {
  return probs.map((p, index) => tracker.update(startMs + index * stepMs, [face(300, 240, p)]));
}

function countedIn(updates: TrackerUpdate[]): PersonCounted[] {
  return updates.flatMap((update) => update.counted);
}

describe('FaceTracker counting rule', () => {
  it('never counts a track seen in fewer than minFrames frames (a detector false positive)', () => {
    const tracker = new FaceTracker();
    const updates = feed(tracker, [0.99, 0.99, 0.99, 0.99]);
    // Two processed frames without the face, then none until 2 s: the face is gone, not unseen.
    updates.push(tracker.update(400, []), tracker.update(500, []));
    const later = tracker.update(2000, []);
    const flushed = tracker.flush(2100);

    expect(countedIn([...updates, later, flushed])).toEqual([]);
    expect(later.ended).toEqual([
      {
        trackId: 1,
        decision: null,
        frames: 4,
        averageProbWithoutMask: 0.99,
        firstSeenMs: 0,
        lastSeenMs: 300,
      },
    ]);
  });

  it('counts at the minFrames-th observation with every field of the event', () => {
    const tracker = new FaceTracker();
    const updates = feed(tracker, [0.8, 0.9, 0.7, 0.9, 0.7, 0.9], 100, 1000);

    expect(countedIn(updates.slice(0, 4))).toEqual([]);
    expect(updates[4].counted).toHaveLength(1);
    const event = updates[4].counted[0];
    expect(event).toMatchObject({
      trackId: 1,
      number: 1,
      decision: 'without_mask',
      frames: 5,
      timeInViewMs: 400,
      firstSeenMs: 1000,
      lastSeenMs: 1400,
      countedAtMs: 1400,
    });
    expect(event.averageProbWithoutMask).toBeCloseTo(0.8, 12);
    expect(event.confidence).toBeCloseTo(0.8, 12);
    expect(updates[4].tracks[0].decision).toBe('without_mask');
    expect(updates[3].tracks[0].decision).toBeNull();
    expect(updates[5].counted).toEqual([]);
  });

  it('reports the confidence of with_mask as 1 − the average P(without_mask)', () => {
    const [event] = countedIn(feed(new FaceTracker(), [0.1, 0.2, 0.1, 0.2, 0.1]));
    expect(event.decision).toBe('with_mask');
    expect(event.confidence).toBeCloseTo(0.86, 12);
  });

  it('waits while the average is uncertain and counts the label once it settles', () => {
    // Average after 5 frames is 0.5; further 0.05s pull it to ≤ 0.35 at the 8th frame.
    const updates = feed(new FaceTracker(), [0.9, 0.9, 0.5, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05]);
    const counted = countedIn(updates);
    expect(counted).toHaveLength(1);
    expect(counted[0]).toMatchObject({ decision: 'with_mask', frames: 8, countedAtMs: 700 });
  });

  it('counts a person still uncertain after maxUndecidedMs as uncertain, while they are in view', () => {
    const tracker = new FaceTracker({ maxUndecidedMs: 1000 });
    const updates = feed(tracker, Array<number>(20).fill(0.5));
    const counted = countedIn(updates);
    expect(counted).toHaveLength(1);
    expect(counted[0]).toMatchObject({
      decision: 'uncertain',
      countedAtMs: 1000,
      frames: 11,
      confidence: 0.5,
    });
    expect(updates[10].tracks[0]).toMatchObject({ visible: true, decision: 'uncertain' });
  });

  it('with maxUndecidedMs Infinity, counts an uncertain person once, when their track ends', () => {
    const tracker = new FaceTracker({ maxUndecidedMs: Infinity });
    const updates = feed(tracker, Array<number>(50).fill(0.6));
    expect(countedIn(updates)).toEqual([]);

    expect(countedIn([tracker.update(5000, []), tracker.update(5100, [])])).toEqual([]);
    const stillInGap = tracker.update(5800, []);
    expect(stillInGap.counted).toEqual([]);
    const afterGap = tracker.update(6000, []);
    expect(afterGap.counted).toHaveLength(1);
    expect(afterGap.counted[0]).toMatchObject({
      decision: 'uncertain',
      frames: 50,
      lastSeenMs: 4900,
      timeInViewMs: 4900,
      countedAtMs: 6000,
    });
    expect(afterGap.ended[0].decision).toBe('uncertain');
    expect(tracker.flush(6100).counted).toEqual([]);
  });

  it('treats the thresholds themselves as decided labels', () => {
    const options = { withMaskThreshold: 0.25, withoutMaskThreshold: 0.75 };
    expect(countedIn(feed(new FaceTracker(options), Array<number>(5).fill(0.75)))[0].decision).toBe(
      'without_mask',
    );
    expect(countedIn(feed(new FaceTracker(options), Array<number>(5).fill(0.25)))[0].decision).toBe(
      'with_mask',
    );
  });

  it('numbers people as they are counted, without gaps: a face glimpsed and never counted takes no number', () => {
    const tracker = new FaceTracker({}, 41);
    // A face glimpsed in passing (3 frames): tracked, never counted, no number.
    const glimpse = [0, 100, 200].map((t) => tracker.update(t, [face(100, 240, 0.02)]));
    expect(glimpse.at(-1)!.tracks).toMatchObject([{ id: 1, number: null }]);
    const counted: PersonCounted[] = [];
    // Two people who then stand in view together, the nearer one seen first; a third after them.
    for (let t = 2000; t < 3000; t += 100) {
      const faces = [face(300, 240, 0.02), ...(t >= 2200 ? [face(600, 240, 0.97)] : [])];
      counted.push(...tracker.update(t, faces).counted);
    }
    // The third stays undecided: numbered from the frame that made them countable, shown while still deciding.
    const third = [];
    for (let t = 5000; t < 6000; t += 100) third.push(tracker.update(t, [face(450, 240, 0.5)]));
    expect(third[3]!.tracks).toMatchObject([{ number: null, decision: null }]);
    expect(third[4]!.tracks).toMatchObject([{ number: 43, decision: null }]);
    counted.push(...countedIn(third));
    // Gone, and the track ends after the gap: counted uncertain under the number it showed.
    for (let t = 6000; t <= 7200; t += 100) counted.push(...tracker.update(t, []).counted);
    expect(counted.map((p) => [p.trackId, p.number, p.decision])).toEqual([
      [2, 41, 'with_mask'],
      [3, 42, 'without_mask'],
      [4, 43, 'uncertain'],
    ]);
    expect(tracker.nextPersonNumber).toBe(44);
  });

  it('honours a custom minFrames', () => {
    const updates = feed(new FaceTracker({ minFrames: 2 }), [0.9, 0.9, 0.9]);
    expect(updates[1].counted).toHaveLength(1);
  });
});

describe('FaceTracker flush', () => {
  it('counts undecided eligible tracks as uncertain, skips short ones and never recounts', () => {
    const tracker = new FaceTracker();
    for (let i = 0; i < 8; i += 1) {
      const faces = [face(100, 200, 0.05), face(400, 200, i % 2 === 0 ? 0.8 : 0.2)];
      if (i >= 5) faces.push(face(700, 200, 0.99));
      tracker.update(i * 100, faces);
    }
    const flushed = tracker.flush(900);

    expect(flushed.tracks).toEqual([]);
    expect(flushed.counted).toHaveLength(1);
    expect(flushed.counted[0]).toMatchObject({ trackId: 2, decision: 'uncertain', countedAtMs: 900 });
    expect(flushed.ended.map((ended) => [ended.trackId, ended.decision])).toEqual([
      [1, 'with_mask'],
      [2, 'uncertain'],
      [3, null],
    ]);
    // After a flush the same face is a new person with a new id.
    expect(tracker.update(950, [face(100, 200, 0.05)]).tracks[0].id).toBe(4);
  });
});

describe('FaceTracker settle (input paused: page hidden)', () => {
  it('counts undecided eligible tracks as uncertain now but keeps every track, so nobody is counted twice', () => {
    const tracker = new FaceTracker();
    for (let i = 0; i < 8; i += 1) {
      const faces = [face(100, 200, 0.05), face(400, 200, i % 2 === 0 ? 0.8 : 0.2)];
      if (i >= 5) faces.push(face(700, 200, 0.99));
      tracker.update(i * 100, faces);
    }
    const settled = tracker.settle(900);
    expect(settled.counted).toHaveLength(1);
    expect(settled.counted[0]).toMatchObject({ trackId: 2, decision: 'uncertain', countedAtMs: 900 });
    expect(settled.ended).toEqual([]);
    expect(settled.tracks.map((track) => [track.id, track.decision, track.visible])).toEqual([
      [1, 'with_mask', false],
      [2, 'uncertain', false],
      [3, null, false],
    ]);
    // Settling again counts nobody: decisions are frozen.
    expect(tracker.settle(950).counted).toEqual([]);
    // Input back 5 s later, the first two frames dark (a camera's exposure settling): the same three faces
    // keep their tracks; the third, too short before the pause, is decided now and counted once; the others
    // are not recounted.
    expect(tracker.update(5700, []).ended).toEqual([]);
    expect(tracker.update(5800, []).ended).toEqual([]);
    const back = [5900, 6000, 6100].map((t) =>
      tracker.update(t, [face(100, 200, 0.05), face(400, 200, 0.8), face(700, 200, 0.99)]),
    );
    expect(back.every((update) => update.tracks.map((track) => track.id).join() === '1,2,3')).toBe(true);
    expect(countedIn(back).map((person) => [person.trackId, person.decision])).toEqual([[3, 'without_mask']]);
    expect(tracker.flush(6200).counted).toEqual([]);
  });
});

describe('FaceTracker tracksHeldAt (what a reload would cut short)', () => {
  it('holds every kept track over a pause until the pause outlasts its own blind limit', () => {
    const tracker = new FaceTracker({ maxBlindMs: 3000 });
    expect(tracker.tracksHeldAt(0)).toBe(0);
    for (let i = 0; i < 6; i += 1) tracker.update(i * 100, [face(100, 200, 0.05), face(400, 200, 0.9)]);
    expect(tracker.tracksHeldAt(500)).toBe(2);
    tracker.pause(600);
    tracker.pause(2000); // a second call belongs to the same pause
    expect(tracker.tracksHeldAt(3600)).toBe(2);
    expect(tracker.tracksHeldAt(3601)).toBe(0);
    // Back within the limit: the pause is over, the tracks go on.
    tracker.update(3500, [face(100, 200, 0.05), face(400, 200, 0.9)]);
    expect(tracker.tracksHeldAt(60_000)).toBe(2);
    // Nobody seen for longer than the gap: their tracks end with the next frame.
    tracker.update(3600, []);
    tracker.update(3700, []);
    tracker.update(4700, []);
    expect(tracker.tracksHeldAt(4700)).toBe(0);
  });
});

describe('FaceTracker settle, then seen again (rule 4: a provisional count is decided after all)', () => {
  /** One person seen 6 frames with an undecided average (0.5), settled at 600 ms; back at 2 s. */
  function settledUndecided(): FaceTracker {
    const tracker = new FaceTracker({ maxUndecidedMs: 3000 });
    feed(tracker, [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(tracker.settle(600).counted).toMatchObject([{ trackId: 1, decision: 'uncertain' }]);
    return tracker;
  }

  it('revises the count once when the person turns out unmasked, and never counts them again', () => {
    const tracker = settledUndecided();
    const back = feed(tracker, Array(30).fill(0.99), 100, 2000);
    expect(countedIn(back)).toEqual([]);
    const revised = back.flatMap((update) => update.revised);
    expect(revised).toHaveLength(1);
    // The same person: the number given on the pause is kept.
    expect(revised[0]).toMatchObject({ trackId: 1, number: 1, decision: 'without_mask' });
    expect(back.at(-1)!.tracks[0]).toMatchObject({ id: 1, number: 1, decision: 'without_mask' });
    expect(tracker.flush(6000)).toMatchObject({ counted: [], revised: [] });
  });

  it('revises after a longer absence too: time in the background is not time in view', () => {
    const tracker = settledUndecided();
    const back = feed(tracker, Array(30).fill(0.99), 100, 8000);
    expect(back.flatMap((update) => update.revised)).toMatchObject([
      { trackId: 1, decision: 'without_mask' },
    ]);
  });

  it('confirms the count uncertain once the person stays undecided for maxUndecidedMs in view, and no later', () => {
    const tracker = settledUndecided();
    // Undecided until 3 s in view (the pause left out), then clearly masked: too late to revise again.
    const back = feed(tracker, [...Array(30).fill(0.5), ...Array(40).fill(0.0)], 100, 2000);
    const revised = back.flatMap((update) => update.revised);
    expect(revised).toMatchObject([{ trackId: 1, decision: 'uncertain' }]);
    expect(revised[0]!.timeInViewMs).toBeGreaterThanOrEqual(3000);
    expect(countedIn(back)).toEqual([]);
  });

  it('revises nothing for people counted the usual way', () => {
    const tracker = new FaceTracker();
    const updates = feed(
      tracker,
      [0.9, 0.9, 0.5, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.99, 0.99, 0.99, 0.99, 0.99],
    );
    expect(countedIn(updates)).toHaveLength(1);
    expect(updates.flatMap((update) => update.revised)).toEqual([]);
  });
});

describe('FaceTracker pause (camera restarting)', () => {
  /** One masked person seen for 1 s and counted, then a pause at 1 s; returns the tracker. */
  function pausedAfterOnePerson(): FaceTracker {
    const tracker = new FaceTracker();
    const updates = feed(tracker, Array(10).fill(0.05));
    expect(countedIn(updates)).toHaveLength(1);
    expect(tracker.pause(1000).counted).toEqual([]);
    return tracker;
  }

  it('after a pause of up to maxBlindMs, counts absence from the end of the pause', () => {
    const tracker = pausedAfterOnePerson();
    // 10 s later, three dark frames over 0.8 s, then the person: still the same track, not counted again.
    const dark = [11_000, 11_400, 11_800].map((t) => tracker.update(t, []));
    expect(dark.flatMap((update) => update.ended)).toEqual([]);
    const back = feed(tracker, Array(10).fill(0.05), 100, 11_900);
    expect(back.every((update) => update.tracks.length === 1 && update.tracks[0].id === 1)).toBe(true);
    expect(countedIn(back)).toEqual([]);
  });

  it('gives a person in view when the pause began their whole gap again from the end of the pause', () => {
    const tracker = new FaceTracker();
    expect(countedIn(feed(tracker, Array(10).fill(0.05)))).toHaveLength(1);
    // Hidden 350 ms after the last frame; back 10 s later, with 0.9 s of dark frames as the camera starts.
    tracker.pause(1250);
    const dark = [11_000, 11_400, 11_800].map((t) => tracker.update(t, []));
    expect(dark.flatMap((update) => update.ended)).toEqual([]);
    const back = feed(tracker, Array(5).fill(0.05), 100, 11_900);
    expect(back.every((update) => update.tracks.length === 1 && update.tracks[0]!.id === 1)).toBe(true);
    expect(countedIn(back)).toEqual([]);
  });

  it('counts a person missed in a couple of frames just before the pause (a turned head) once', () => {
    const tracker = new FaceTracker();
    // 5.6 frames/s: seen 8 frames, then 2 frames without the face (360 ms), then the camera restarts.
    const seen = feed(tracker, Array(8).fill(0.05), 180);
    expect(countedIn(seen)).toHaveLength(1);
    [1440, 1620].forEach((t) => tracker.update(t, []));
    tracker.pause(1700);
    // 1.5 s later, four dark frames as the camera starts, then the same face.
    [3200, 3380, 3560, 3740].forEach((t) => tracker.update(t, []));
    const back = feed(tracker, Array(8).fill(0.05), 180, 3920);
    expect(back.every((update) => update.tracks.map((track) => track.id).join() === '1')).toBe(true);
    expect(countedIn(back)).toEqual([]);
  });

  it('does not give the track of someone who had already left to the next person after a pause', () => {
    const tracker = new FaceTracker();
    expect(countedIn(feed(tracker, Array(10).fill(0.05)))).toHaveLength(1);
    // The masked person walks out; 0.8 s later (their track still in its gap) the app is hidden for 5 s.
    [1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700].forEach((t) => tracker.update(t, []));
    tracker.settle(1750);
    // Back at 6.75 s: an unmasked person steps onto the same spot 0.3 s later, 1.1 s of looking after the
    // first one left (more than maxGapMs). A new person, counted and unmasked.
    [6750, 6850, 6950].forEach((t) => tracker.update(t, []));
    const back = feed(tracker, Array(10).fill(0.99), 100, 7050);
    expect(countedIn(back)).toMatchObject([{ decision: 'without_mask' }]);
    expect(countedIn(back)[0]!.trackId).not.toBe(1);
  });

  it('counts an unmasked newcomer who stepped into a counted masked person’s place during a pause (rule 5)', () => {
    const tracker = pausedAfterOnePerson();
    // 3 s later (a detector restart, say) someone else stands where the masked person stood, unmasked.
    const back = feed(tracker, Array(10).fill(0.95), 100, 4000);
    // Their first minFrames frames after the pause decide the other label: a new person, counted and so
    // alerted for, the masked person's count left as it was.
    expect(countedIn(back)).toMatchObject([{ decision: 'without_mask', frames: 5, firstSeenMs: 4000 }]);
    expect(countedIn(back)[0]!.trackId).not.toBe(1);
    expect(back.flatMap((update) => update.ended)).toMatchObject([{ trackId: 1, decision: 'with_mask' }]);
    // The newcomer's box carries their own number from the frame they are counted in.
    expect(back[4]!.tracks).toMatchObject([{ id: countedIn(back)[0]!.trackId, visible: true }]);
    expect(countedIn(back.slice(5))).toEqual([]);
  });

  it('keeps the person after a pause when their frames since then agree, or only flicker (rule 5)', () => {
    const same = pausedAfterOnePerson();
    const back = feed(same, [0.05, 0.9, 0.05, 0.1, 0.05, 0.9, 0.05, 0.05], 100, 4000);
    expect(countedIn(back)).toEqual([]);
    expect(back.every((update) => update.tracks.map((track) => track.id).join() === '1')).toBe(true);
    // Frames in the uncertain band after the pause are not the other label either.
    const unsure = pausedAfterOnePerson();
    const doubtful = feed(unsure, Array(8).fill(0.3), 100, 4000);
    expect(countedIn(doubtful)).toEqual([]);
    expect(doubtful.every((update) => update.tracks.map((track) => track.id).join() === '1')).toBe(true);
  });

  it('checks only the first minFrames frames after a pause: a later change of label is a flicker (rule 5)', () => {
    const tracker = pausedAfterOnePerson();
    const back = feed(tracker, [...Array(5).fill(0.05), ...Array(10).fill(0.95)], 100, 4000);
    expect(countedIn(back)).toEqual([]);
    expect(back.every((update) => update.tracks.map((track) => track.id).join() === '1')).toBe(true);
  });

  it('does not count a pause as time in view (rule 3): seen 3 frames, hidden 4 s, then decided as usual', () => {
    const tracker = new FaceTracker({ maxUndecidedMs: 3000 });
    feed(tracker, [0.5, 0.5, 0.5]);
    expect(tracker.settle(300).counted).toEqual([]);
    const back = feed(tracker, Array(6).fill(0.99), 100, 4300);
    expect(countedIn(back)).toMatchObject([{ trackId: 1, decision: 'without_mask' }]);
    expect(countedIn(back)[0]!.timeInViewMs).toBeLessThan(1500);
  });

  it('measures a pause from its first call: hidden 60 s, then shown (a second pause) is a long pause', () => {
    const tracker = pausedAfterOnePerson();
    tracker.settle(1000);
    // Shown again after 60 s: the camera restarts, which pauses once more before the first frame.
    tracker.pause(61_000);
    // Someone else, unmasked, where the first person stood: a new person, counted and alarmed.
    const back = feed(tracker, Array(6).fill(0.95), 100, 61_500);
    expect(back[0].ended.map((ended) => ended.trackId)).toEqual([1]);
    expect(countedIn(back).map((person) => person.decision)).toEqual(['without_mask']);
  });

  it('still ends a track whose person is gone after the pause, and one after a longer pause', () => {
    const gone = pausedAfterOnePerson();
    // Back after 2 s with nobody there: the track ends after maxGapMs and two missed frames from then.
    expect(gone.update(3000, []).ended).toEqual([]);
    expect(gone.update(3500, []).ended).toEqual([]);
    expect(gone.update(4001, []).ended.map((ended) => ended.trackId)).toEqual([1]);
    // Back after more than maxBlindMs: whoever stands there now may be someone else, a new track.
    const long = pausedAfterOnePerson();
    const after = long.update(11_001, [face(300, 240, 0.05)]);
    expect(after.ended.map((ended) => ended.trackId)).toEqual([1]);
    expect(after.tracks.map((track) => track.id)).toEqual([2]);
  });
});

describe('FaceTracker association', () => {
  it('keeps a fast walker through irregular, dropped frames by predicting their motion', () => {
    // 600 px/s with gaps up to 400 ms: up to 240 px between observations, three face sizes.
    const times = [0, 66, 133, 200, 600, 666, 1000, 1066, 1133, 1533, 1600];
    const tracker = new FaceTracker();
    const updates = times.map((t) => tracker.update(t, [face(50 + 0.6 * t, 240, 0.9)]));
    const ids = new Set(updates.map((update) => update.tracks[0].id));
    expect(updates.every((update) => update.tracks.length === 1)).toBe(true);
    expect(ids.size).toBe(1);
    expect(countedIn(updates)).toHaveLength(1);
  });

  it('finds a walker who stopped while undetected where they stopped', () => {
    const tracker = new FaceTracker();
    for (let t = 0; t <= 500; t += 100) tracker.update(t, [face(100 + 0.5 * t, 240, 0.9)]);
    // Stopped at x = 380 during a 0.8 s miss; the prediction would have gone on to x = 750.
    const back = tracker.update(1300, [face(380, 240, 0.9)]);
    expect(back.tracks).toHaveLength(1);
    expect(back.tracks[0]).toMatchObject({ id: 1, visible: true, frames: 7 });
  });

  it('keeps two people standing side by side apart, with stable ids', () => {
    const tracker = new FaceTracker();
    const updates: TrackerUpdate[] = [];
    for (let i = 0; i < 30; i += 1) {
      // Order of the detector's output changes from frame to frame; ids must not.
      const left = face(200 + (i % 3), 240, 0.05);
      const right = face(330 - (i % 2), 240, 0.95);
      updates.push(tracker.update(i * 100, i % 2 === 0 ? [left, right] : [right, left]));
    }
    for (const [i, update] of updates.entries()) {
      const leftIndex = i % 2 === 0 ? 0 : 1;
      expect(update.tracks.find((track) => track.observationIndex === leftIndex)?.id).toBe(1);
      expect(update.tracks.find((track) => track.observationIndex === 1 - leftIndex)?.id).toBe(2);
    }
    expect(countedIn(updates).map((event) => event.decision)).toEqual(['with_mask', 'without_mask']);
  });

  it('does not start a second person from a duplicate detection of the same face', () => {
    const tracker = new FaceTracker();
    const updates: TrackerUpdate[] = [];
    for (let i = 0; i < 10; i += 1) {
      // Two detectors' boxes for one face (IoU 0.79), the weaker listed first.
      updates.push(tracker.update(i * 100, [face(305, 245, 0.9, 80, 0.6), face(300, 240, 0.9, 90, 0.9)]));
    }
    expect(updates[0].tracks).toHaveLength(1);
    expect(updates[0].tracks[0].observationIndex).toBe(1);
    expect(updates.every((update) => update.tracks.length === 1)).toBe(true);
    expect(countedIn(updates)).toHaveLength(1);
  });

  it('reports live tracks inside a gap as not visible, with their last box', () => {
    const tracker = new FaceTracker();
    feed(tracker, [0.9, 0.9, 0.9]);
    const gap = tracker.update(500, []);
    expect(gap.tracks).toEqual([
      {
        id: 1,
        number: null,
        box: face(300, 240, 0.9).box,
        visible: false,
        observationIndex: null,
        frames: 3,
        averageProbWithoutMask: 0.9,
        lastProbWithoutMask: 0.9,
        decision: null,
        firstSeenMs: 0,
        lastSeenMs: 200,
      },
    ]);
  });
});

describe('FaceTracker input checks', () => {
  it('rejects a timestamp that goes backwards or is not finite, and accepts a repeated one', () => {
    const tracker = new FaceTracker();
    tracker.update(100, []);
    expect(() => tracker.update(100, [])).not.toThrow();
    expect(() => tracker.update(99, [])).toThrow(RangeError);
    expect(() => tracker.update(Number.NaN, [])).toThrow(RangeError);
    expect(() => tracker.flush(50)).toThrow(RangeError);
  });

  it('rejects a probability outside [0, 1] and a non-finite box', () => {
    const tracker = new FaceTracker();
    expect(() => tracker.update(0, [face(0, 0, 1.2)])).toThrow(/probWithoutMask/);
    expect(() => tracker.update(1, [face(0, 0, Number.NaN)])).toThrow(/probWithoutMask/);
    expect(() => tracker.update(2, [face(Number.POSITIVE_INFINITY, 0, 0.5)])).toThrow(/box/);
  });

  it('rejects out-of-range options', () => {
    expect(() => new FaceTracker({ minFrames: 0 })).toThrow(RangeError);
    expect(() => new FaceTracker({ minFrames: 2.5 })).toThrow(RangeError);
    expect(() => new FaceTracker({ maxGapMs: -1 })).toThrow(RangeError);
    expect(() => new FaceTracker({ withMaskThreshold: 0.7, withoutMaskThreshold: 0.6 })).toThrow(RangeError);
    expect(() => new FaceTracker({ duplicateIou: 0 })).toThrow(RangeError);
    expect(() => new FaceTracker({ minMissedFrames: 0 })).toThrow(RangeError);
    expect(() => new FaceTracker({ maxBlindMs: 500 })).toThrow(RangeError); // shorter than maxGapMs
    expect(new FaceTracker({ maxGapMs: undefined }).options.maxGapMs).toBe(1000);
  });
});
