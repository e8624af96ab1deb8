/**
 * A queue seen by the real worker (auto range): three people side by side, the photo of the one nearest the
 * camera covering half of the middle person's face. Every box found must be one of the three faces. The auto
 * range's zoomed-out passes used to box the half face together with the photo beside it as one more face, in
 * most frames, and the live screen counted it as one more person (see mergeDetections).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type HarnessSession } from '../../scripts/lib/harness-session.ts';
import { iou, type Box } from '../../src/shared/geometry.ts';
import { parseVoc } from '../../src/shared/voc.ts';
import { SHARED_DIR } from '../helpers/browser.ts';

/** A door photo drawn as a square of `size` px with its top-left corner at `at(t)` (t in seconds). */
interface Person {
  photo: string;
  size: number;
  at: (t: number) => { x: number; y: number };
}

const PEOPLE: Person[] = [
  {
    photo: '15-photo.jpg',
    size: 200,
    at: (t) => ({ x: 20 + 12 * Math.sin(t * 0.9), y: 150 + 6 * Math.sin(t * 1.3) }),
  },
  {
    photo: '14-photo.jpg',
    size: 200,
    at: (t) => ({ x: 220 + 12 * Math.sin(t * 0.9 + 1), y: 150 + 6 * Math.sin(t * 1.3 + 1) }),
  },
  // Nearest the camera, drawn last: its left edge runs through the middle face.
  {
    photo: '21-photo.jpg',
    size: 260,
    at: (t) => ({ x: 380 + 10 * Math.sin(t * 0.7), y: 150 + 6 * Math.sin(t * 1.3) }),
  },
];

/** `person`'s annotated face in their drawn photo (read once per person, not once per frame). */
function annotatedFace(person: Person): Box {
  const annotation = parseVoc(
    readFileSync(
      join(SHARED_DIR, 'data/door-photos/annotations', person.photo.replace(/\.jpg$/, '.xml')),
      'utf8',
    ),
  );
  const { box } = annotation.objects[0]!;
  const scale = person.size / annotation.width!;
  return { x: box.x * scale, y: box.y * scale, width: box.width * scale, height: box.height * scale };
}

const FACES = PEOPLE.map(annotatedFace);

/** Where the annotated face of `PEOPLE[index]` is in the frame at `t`. */
function faceAt(index: number, t: number): Box {
  const { x, y } = PEOPLE[index]!.at(t);
  const face = FACES[index]!;
  return { ...face, x: x + face.x, y: y + face.y };
}

describe('a face half hidden by the person beside it', () => {
  let session: HarnessSession;
  beforeAll(async () => {
    session = await openHarness({}, { range: 'auto' });
  });
  afterAll(async () => {
    await session?.close();
  });

  it('gives a box for each face it finds and none across two of them', async () => {
    const times = [6.6, 6.7, 6.8, 6.9, 7.0];
    const found: Box[][] = [];
    for (const [index, t] of times.entries()) {
      const places = PEOPLE.map((person) => ({ photo: person.photo, size: person.size, ...person.at(t) }));
      found.push(
        (await session.page.evaluate(
          async ([places, timestampMs]) => {
            const canvas = new OffscreenCanvas(640, 480);
            const context = canvas.getContext('2d')!;
            context.fillStyle = '#5a6570';
            context.fillRect(0, 0, 640, 480);
            for (const { photo, size, x, y } of places) {
              const response = await fetch(`/__shared/data/door-photos/images/${photo}`);
              const picture = await createImageBitmap(await response.blob());
              context.drawImage(picture, Math.round(x), Math.round(y), size, size);
              picture.close();
            }
            const frame = await createImageBitmap(canvas);
            const result = await window.maskGuardHarness.detectBitmap(frame, 'video', timestampMs);
            if (result === undefined) throw new Error('the frame was skipped');
            return result.faces.map((f) => f.box);
          },
          [places, 1000 + 100 * index] as const,
        )) as Box[],
      );
    }
    for (const [index, boxes] of found.entries()) {
      const faces = PEOPLE.map((_, person) => faceAt(person, times[index]!));
      // Each box is one of the faces (BlazeFace's boxes are shorter than the annotations: IoU 0.3, not 0.5) …
      for (const box of boxes)
        expect(
          Math.max(...faces.map((face) => iou(face, box))),
          `t ${times[index]}: ${JSON.stringify(box)}`,
        ).toBeGreaterThan(0.3);
      // … and the faces in the open, at either side, are found.
      for (const side of [0, 2])
        expect(
          boxes.some((box) => iou(faces[side]!, box) > 0.3),
          `t ${times[index]}: person ${side}`,
        ).toBe(true);
    }
  });
});
