/**
 * The picture opt-in in the real app with a fake camera: the guard turns pictures on in Settings, a person
 * without a mask is counted, and their picture shows in the history's list of people (its object URL
 * revoked once the list leaves the page); turning pictures off deletes it at once, says how many were
 * deleted, and the list shows none. Nothing is seeded: the picture comes from the camera through the app.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CSV_COLUMNS } from '../../src/shared/csv.ts';
import { launchApp, untilWatching, type AppSession } from '../helpers/browser.ts';
import { DEFAULT_DOOR_VIDEO, doorPhotoFace, writeDoorVideo } from '../helpers/door-video.ts';
import { tallyOf } from '../helpers/tally.ts';

/** A door photo of a person without a mask that the shipped classifier counts as such. */
const UNMASKED_PHOTO = '5-photo.jpg';
const status = 'mask-guard-app header > [role=status]';
const settings = 'mask-guard-app settings-view';
const history = 'mask-guard-app history-view';
const pictures = `${history} event-list tbody tr img`;

async function showTab(page: Page, view: string): Promise<void> {
  await page.locator(`mask-guard-app view-tabs button[data-view=${view}]`).click();
}

/** The image object URLs the page has made and not revoked (recorded by the init script below). */
function liveImageUrls(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window as unknown as { __imageUrls: Set<string> }).__imageUrls]);
}

/** What the app's database holds: pictures, events naming one, and events. */
interface Stored {
  thumbnails: number;
  referring: number;
  events: number;
}

/** {@link Stored}, read through a second connection to the app's database. */
function storedPictures(page: Page): Promise<Stored> {
  return page.evaluate(
    () =>
      new Promise<Stored>((resolve, reject) => {
        const open = indexedDB.open('maskguard');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['thumbnails', 'events']);
          const count = tx.objectStore('thumbnails').count();
          const events = tx.objectStore('events').getAll();
          tx.oncomplete = () => {
            const all = events.result as { thumbnailId?: string }[];
            resolve({
              thumbnails: count.result,
              referring: all.filter((e) => e.thumbnailId !== undefined).length,
              events: all.length,
            });
            db.close();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

describe('pictures of people without a mask', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-pictures-'));
  let app: AppSession;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    expect(doorPhotoFace(UNMASKED_PHOTO).label).toBe('without_mask');
    // One person for 4 s after 2 s of empty doorway; the camera is stopped before the file loops (16 s).
    const video = join(dir, 'door.y4m');
    const options = { ...DEFAULT_DOOR_VIDEO, leadSeconds: 2, showSeconds: 4, gapSeconds: 10 };
    await writeDoorVideo(video, [UNMASKED_PHOTO], options);
    // The camera is not allowed yet (headless Chromium denies the prompt): nobody is counted before the
    // guard has turned pictures on, and the video starts from its first frame when the camera opens.
    app = await launchApp({ fakeCameraY4m: video, grantCamera: false });
    page = await app.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Records every image object URL made and not yet revoked, to check the list revokes its pictures'.
    await page.addInitScript(() => {
      const live = new Set<string>();
      (window as unknown as { __imageUrls: Set<string> }).__imageUrls = live;
      const create = URL.createObjectURL.bind(URL);
      const revoke = URL.revokeObjectURL.bind(URL);
      URL.createObjectURL = (object: Blob | MediaSource) => {
        const url = create(object);
        if (object instanceof Blob && object.type.startsWith('image/')) live.add(url);
        return url;
      };
      URL.revokeObjectURL = (url: string) => {
        live.delete(url);
        revoke(url);
      };
    });
    await page.goto(app.server.url);
    await page.locator(status, { hasText: 'Camera off' }).waitFor({ timeout: 120_000 });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('turns pictures on in Settings, with none stored yet', async () => {
    await showTab(page, 'settings');
    // On a narrow phone the box keeps its size beside its long label (it was squeezed to 17 px wide).
    const size = await page.evaluate(() => ({ width: innerWidth, height: innerHeight }));
    await page.setViewportSize({ width: 360, height: 740 });
    const box = await page.locator(`${settings} input[name=thumbnails]`).boundingBox();
    await page.setViewportSize(size);
    expect(box?.width).toBeGreaterThanOrEqual(28);
    await page.locator(`${settings} input[name=thumbnails]`).check();
    await expect.poll(() => page.locator(`${settings} .message`).textContent()).toContain('will be kept');
    expect(await page.locator(`${settings} [data-pictures]`).textContent()).toContain(
      'No pictures stored yet.',
    );
  });

  it('counts the person without a mask and shows their picture in the history', async () => {
    await app.context.grantPermissions(['camera'], { origin: app.server.url });
    await showTab(page, 'live');
    await page.getByRole('button', { name: 'Start camera' }).click();
    await untilWatching(page, 20_000);
    await expect.poll(async () => (await tallyOf(page)).unmasked, { timeout: 15_000 }).toBe(1);
    // Stop the camera as a call taking it would, so the looping file brings nobody else.
    await page.locator('mask-guard-app .stage > video').evaluate((video: HTMLVideoElement) => {
      const track = (video.srcObject as MediaStream).getVideoTracks()[0]!;
      track.stop();
      track.dispatchEvent(new Event('ended'));
    });
    expect(await tallyOf(page)).toEqual({ masked: 0, unmasked: 1, uncertain: 0 });

    await showTab(page, 'history');
    const picture = page.locator(pictures);
    await expect.poll(() => picture.count()).toBe(1);
    expect(await picture.getAttribute('alt')).toMatch(/^Face of the unmasked person counted at \d/);
    const row = page.locator(`${history} event-list tbody tr`, { has: page.locator('img') });
    expect(await row.getAttribute('data-decision')).toBe('without_mask');
    // A real JPEG made from the camera picture, decoded by the browser.
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(96);
    const src = await picture.getAttribute('src');
    expect(src).toMatch(/^blob:/);
    expect(await liveImageUrls(page)).toEqual([src]);
    expect(await storedPictures(page)).toEqual({ thumbnails: 1, referring: 1, events: 1 });
  });

  it('exports the person without their picture', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 30_000 }),
      page.locator(`${history} button[name=export]`).click(),
    ]);
    const lines = readFileSync(await download.path(), 'utf8')
      .slice(1)
      .split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines.slice(1)).toHaveLength(2); // one person, then the empty string after the last CRLF
    expect(lines[1]).toContain(',without_mask,');
    expect(lines.join('')).not.toMatch(/blob:|jpe?g|base64/i);
  });

  it('revokes the picture URL when the list leaves the page, and says one picture is stored', async () => {
    await showTab(page, 'settings');
    await expect.poll(() => liveImageUrls(page)).toEqual([]);
    await expect
      .poll(() => page.locator(`${settings} [data-pictures]`).textContent())
      .toContain('1 picture is stored on this phone.');
  });

  it('turning pictures off deletes the stored one at once, says so, and the history shows none', async () => {
    await page.locator(`${settings} input[name=thumbnails]`).uncheck();
    await expect
      .poll(() => page.locator(`${settings} .message`).textContent())
      .toBe('Pictures off: 1 stored picture deleted.');
    expect(await page.locator(`${settings} [data-pictures]`).count()).toBe(0);
    expect(await storedPictures(page)).toEqual({ thumbnails: 0, referring: 0, events: 1 });

    await showTab(page, 'history');
    await expect
      .poll(() => page.locator(`${history} event-list tbody tr[data-decision=without_mask]`).count())
      .toBe(1);
    expect(await page.locator(pictures).count()).toBe(0);
    expect(await page.locator(`${history} event-list th`, { hasText: 'Picture' }).count()).toBe(0);
    expect(await tallyOf(page, history)).toEqual({ masked: 0, unmasked: 1, uncertain: 0 });
    expect(await liveImageUrls(page)).toEqual([]);
  });

  it('raised no page error and contacted no other host', () => {
    expect(pageErrors).toEqual([]);
    expect(app.foreignRequests).toEqual([]);
  });
});
