/**
 * The whole app watching an empty doorway through a fake 30 fps camera: how many frames a second it checks,
 * and how much CPU the whole browser (every Chromium process: page, worker, GPU, camera) uses meanwhile, read
 * from /proc. Most of a shift is an empty doorway; this is its cost in battery and heat (see
 * src/pipeline/doorway-pacing.ts).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDLE_AFTER_MS } from '../../src/pipeline/doorway-pacing.ts';
import { launchApp } from '../../tests/helpers/browser.ts';
import { DEFAULT_DOOR_VIDEO, writeDoorVideo } from '../../tests/helpers/door-video.ts';
import type { StaticServer } from '../../tests/helpers/static-server.ts';
import { recordWorkerTraffic, workerTraffic } from '../../tests/helpers/worker-traffic.ts';

/** What {@link measureEmptyDoorway} reports. */
export interface EmptyDoorwayReport {
  seconds: number;
  cameraFps: number;
  /** Frames the page sent to the detector per second. */
  framesPerSecond: number;
  /** CPU seconds per second of the browser's processes (1 = one core busy), or null off Linux. */
  cpuCores: number | null;
}

const CAMERA_FPS = 30;

/** CPU seconds used so far by the process whose command line holds `marker` and all its descendants. */
function treeCpuSeconds(marker: string): number | null {
  if (process.platform !== 'linux') return null;
  const ticksPerSecond = 100; // USER_HZ on Linux
  const processes = new Map<number, { parent: number; seconds: number; root: boolean }>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // After the command name in parentheses: state, ppid, …; utime and stime are fields 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      processes.set(Number(pid), {
        parent: Number(fields[1]),
        seconds: (Number(fields[11]) + Number(fields[12])) / ticksPerSecond,
        root: command.includes(marker) && !command.includes('--type='),
      });
    } catch {
      // The process ended while the list was read.
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = processes.get(p)?.parent ?? 0, hops++)
      if (processes.get(p)?.root === true) return true;
    return false;
  };
  let total = 0;
  for (const [pid, p] of processes) if (inTree(pid)) total += p.seconds;
  return total;
}

/** Runs the built app served by `server` on an empty doorway for `seconds` (after it has settled). */
export async function measureEmptyDoorway(
  server: StaticServer,
  seconds: number,
): Promise<EmptyDoorwayReport> {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-doorway-'));
  const video = join(dir, 'empty-doorway.y4m');
  try {
    await writeDoorVideo(video, [], {
      ...DEFAULT_DOOR_VIDEO,
      fps: CAMERA_FPS,
      leadSeconds: 4,
      gapSeconds: 0,
    });
    const app = await launchApp({ server, fakeCameraY4m: video });
    try {
      await recordWorkerTraffic(app.context);
      const page = await app.context.newPage();
      await page.goto(server.url);
      await page
        .locator('mask-guard-app header > [role=status]', { hasText: 'Watching the door' })
        .waitFor({ timeout: 180_000 });
      // Past the first seconds of a camera start, which check every frame.
      await page.waitForTimeout(IDLE_AFTER_MS + 1000);
      const marker = `--use-file-for-fake-video-capture=${video}`;
      const cpuBefore = treeCpuSeconds(marker);
      const sentBefore = (await workerTraffic(page)).sent.length;
      const started = Date.now();
      await page.waitForTimeout(seconds * 1000);
      const wall = (Date.now() - started) / 1000;
      const sent = (await workerTraffic(page)).sent.length - sentBefore;
      const cpuAfter = treeCpuSeconds(marker);
      return {
        seconds: wall,
        cameraFps: CAMERA_FPS,
        framesPerSecond: sent / wall,
        cpuCores: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / wall,
      };
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
