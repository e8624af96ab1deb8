/**
 * The JS heap of a page's dedicated workers, read through the Chrome DevTools Protocol.
 *
 * A worker has no `performance.memory`, so the benchmark asks Chromium: it auto-attaches to the page's
 * workers (non-flattened sessions, spoken to through `Target.sendMessageToTarget`), collects garbage in
 * each, then reads `Runtime.getHeapUsage`.
 */
import type { CDPSession, Page } from 'playwright-core';

interface Attached {
  sessionId: string;
  targetInfo: { type: string; url: string };
}

/** Used JS heap in bytes of each dedicated worker of `page`, after a garbage collection. */
export async function workerHeapBytes(page: Page): Promise<number[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const workers: Attached[] = [];
    cdp.on('Target.attachedToTarget', (event: Attached) => {
      if (event.targetInfo.type === 'worker') workers.push(event);
    });
    await cdp.send('Target.setAutoAttach', {
      autoAttach: true,
      waitForDebuggerOnStart: false,
      flatten: false,
    });
    const heaps: number[] = [];
    for (const worker of workers) {
      await call(cdp, worker.sessionId, 'HeapProfiler.collectGarbage');
      const usage = (await call(cdp, worker.sessionId, 'Runtime.getHeapUsage')) as { usedSize: number };
      heaps.push(usage.usedSize);
    }
    return heaps;
  } finally {
    await cdp.detach();
  }
}

let nextId = 1;

/** One CDP call inside a non-flattened child session. */
function call(cdp: CDPSession, sessionId: string, method: string): Promise<unknown> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${method}: no answer from the worker`)), 30_000);
    const onMessage = (event: { sessionId: string; message: string }) => {
      if (event.sessionId !== sessionId) return;
      const reply = JSON.parse(event.message) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      if (reply.id !== id) return;
      clearTimeout(timer);
      cdp.off('Target.receivedMessageFromTarget', onMessage);
      if (reply.error) reject(new Error(`${method}: ${reply.error.message}`));
      else resolve(reply.result);
    };
    cdp.on('Target.receivedMessageFromTarget', onMessage);
    void cdp
      .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) })
      .catch(reject);
  });
}
