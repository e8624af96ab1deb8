/**
 * Faces turned a quarter in the picture: what the camera shows when the guard holds the phone sideways with
 * its rotation locked. Found by a rotation exploration: cut straight, such crops read "mask" with near
 * certainty, and two unmasked people were counted masked, with no alert. The worker now turns a crop upright
 * when BlazeFace's keypoints clearly say the face is turned (see faceTurns in src/shared/face-crop.ts).
 *
 * Door photos turned at test time (scripts/lib/turned-voc.ts), scored by the real pipeline (`npm run eval:e2e`'s, single-image
 * mode in the real worker): three unmasked faces all read "mask" before, and a masked one was not found.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateVoc } from '../../scripts/eval-e2e.ts';
import { writeTurned } from '../../scripts/lib/turned-voc.ts';
import { SHARED_DIR } from '../helpers/browser.ts';

const DOOR = join(SHARED_DIR, 'data/door-photos');

describe('faces turned a quarter (a phone held sideways, rotation locked)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-turned-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads unmasked faces as unmasked, and finds the masked one', async () => {
    for (const photo of ['10-photo.jpg', '13-photo.jpg', '35-photo.jpg', '17-photo.jpg'])
      await writeTurned(DOOR, photo, dir, true);
    const report = await evaluateVoc(dir);
    expect(report.images).toBe(4);
    expect(report.all.matched).toBe(4);
    expect(report.failures.misclassified).toEqual([]);
    expect(report.all.correct).toBe(4);
  }, 300_000);
});
