import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchApp, untilWatching, type AppSession } from './browser.ts';
import { DEFAULT_DOOR_VIDEO, writeDoorVideo, type DoorVideoOptions } from './door-video.ts';

/**
 * The built app watching a fake camera that shows one person (`photo`, by default the masked 15-photo.jpg):
 * the setup of the tests about what happens to a person standing at the door (a crash, a pause, a full disk,
 * the guard changing them). Writes the video into `dir`; `setup` runs on the session before the page opens
 * (e.g. to add an init script). Resolves once the screen says it is watching the door.
 */
export async function watchOnePerson(
  dir: string,
  video: Partial<DoorVideoOptions>,
  setup?: (app: AppSession) => Promise<unknown>,
  photo = '15-photo.jpg',
): Promise<{ app: AppSession; page: Page }> {
  const path = join(dir, 'door.y4m');
  await writeDoorVideo(path, [photo], { ...DEFAULT_DOOR_VIDEO, ...video });
  const app = await launchApp({ fakeCameraY4m: path });
  await setup?.(app);
  const page = await app.context.newPage();
  await page.goto(app.server.url);
  await untilWatching(page);
  return { app, page };
}
