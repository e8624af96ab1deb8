/**
 * A browser scene's frames as the counter got them (the text a failed scene test prints, see
 * tests/browser/queue.test.ts), read back and replayed through the app's tracker in Node, so that a count
 * that went wrong only under load can be followed track by track.
 */
import { TRACKER_THRESHOLDS } from '../../src/pipeline/door-counter.ts';
import { FaceTracker } from '../../src/shared/tracking/index.ts';
import type { Observation, PersonCounted } from '../../src/shared/tracking/types.ts';

/** One processed frame: the detector's timestamp (ms) and its faces. */
export interface TraceFrame {
  t: number;
  faces: Observation[];
}

/**
 * The frames in `text`: either the worker traffic a failed scene wrote as JSON (`{"results": [...],
 * "appearances": [...]}`, see tests/helpers/worker-traffic.ts; with each face's appearance), or the text it
 * printed: every line `MS [x,y,w,h:P ...]`; other lines (a header, the tally) are skipped.
 * @throws Error naming the line when a face is malformed
 */
export function parseTrace(text: string): TraceFrame[] {
  if (text.trimStart().startsWith('{')) return parseTraffic(JSON.parse(text));
  const frames: TraceFrame[] = [];
  text.split('\n').forEach((line, index) => {
    const [time, ...faces] = line.trim().split(/\s+/);
    if (time === undefined || !/^\d+(\.\d+)?$/.test(time)) return;
    frames.push({
      t: Number(time),
      faces: faces.map((face) => {
        const match = /^(-?[\d.]+),(-?[\d.]+),([\d.]+),([\d.]+):([\d.]+)$/.exec(face);
        if (match === null) throw new Error(`line ${index + 1}: not a face: ${face}`);
        const [x, y, width, height, p] = match.slice(1).map(Number);
        return { box: { x: x!, y: y!, width: width!, height: height! }, probWithoutMask: p! };
      }),
    });
  });
  return frames;
}

function parseTraffic(traffic: {
  results: { t: number; faces: number[][] }[];
  appearances?: (number[] | null)[][];
}): TraceFrame[] {
  return traffic.results.map(({ t, faces }, i) => ({
    t,
    faces: faces.map(([x, y, width, height, p], j) => {
      const appearance = traffic.appearances?.[i]?.[j];
      return {
        box: { x: x!, y: y!, width: width!, height: height! },
        probWithoutMask: p!,
        ...(appearance ? { appearance: Float32Array.from(appearance) } : {}),
      };
    }),
  }));
}

/** What the replay saw: each frame's faces with the track each went to, and every person counted. */
export interface Replay {
  lines: string[];
  counted: PersonCounted[];
}

/** Replays `frames` through a tracker set up as the app's (src/pipeline/door-counter.ts). */
export function replayTrace(frames: readonly TraceFrame[]): Replay {
  const tracker = new FaceTracker(TRACKER_THRESHOLDS);
  const counted: PersonCounted[] = [];
  const lines = frames.map(({ t, faces }) => {
    const update = tracker.update(t, faces);
    counted.push(...update.counted);
    const boxes = faces.map((face, index) => {
      const track = update.tracks.find((k) => k.observationIndex === index)?.id ?? '-';
      const { x, y, width, height } = face.box;
      return `#${track}@${x},${y},${width},${height}:${face.probWithoutMask}`;
    });
    const events = [
      ...update.counted.map((p) => `counted #${p.trackId} ${p.decision} (${p.frames} frames)`),
      ...update.ended.map((e) => `ended #${e.trackId}`),
    ];
    return [t, ...boxes, ...(events.length > 0 ? ['|', ...events] : [])].join(' ');
  });
  return { lines, counted };
}
