/**
 * Checksums of the model files. A file damaged on its way or in the phone's cache (same length, other bytes,
 * which tfjs or MediaPipe may load and run without a word, answering NaN or nonsense) fails loading with a
 * clear message instead, and is deleted from the offline cache so that the next load downloads it again.
 * - The mask classifier: `npm run train` writes the SHA-256 of each weight file into model.json
 *   (`userDefinedMetadata.weightsSha256`); {@link integrityCheckedFetch} checks them.
 * - The face detector's models and MediaPipe runtime, and tfjs's wasm binaries: the build puts their SHA-256
 *   into the worker (vite.config.ts); the worker checks them with {@link checkFileIntegrity}.
 * The service worker's precache does not store again a file it had to fetch from the network, so the good
 * bytes are put back where the damaged ones were deleted from, once downloaded and checked: the app then
 * works offline again without waiting for its next update.
 * Web Crypto and Cache Storage exist in the page and the worker; in Node (tests) there is no Cache Storage.
 */

/** model.json's `userDefinedMetadata` as MaskGuard writes it. */
export interface WeightsIntegrity {
  /** SHA-256 (lowercase hex) of each weight file, by the file name in the weights manifest. */
  weightsSha256: Record<string, string>;
}

/** A model file whose bytes are not the ones its manifest lists (see {@link integrityCheckedFetch}). */
export class DamagedFileError extends Error {
  /**
   * @param file the file's name
   * @param listedIn where its expected SHA-256 comes from, for the message
   */
  constructor(
    readonly file: string,
    listedIn = 'model.json',
  ) {
    super(`${file} is damaged: its SHA-256 is not the one ${listedIn} lists`);
    this.name = 'DamagedFileError';
  }
}

/** Whether `error`, or an error it was caused by, is a {@link DamagedFileError}. */
export function isDamagedFile(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) if (e instanceof DamagedFileError) return true;
  return false;
}

/** SHA-256 of `bytes`, lowercase hex. */
export async function sha256Hex(bytes: ArrayBuffer | Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A `fetch` for tfjs's model loader that checks each weight file against the SHA-256 listed in the model.json
 * fetched before it (tfjs fetches model.json first, then its weight files). A weight file without a listed
 * checksum, or with another one, rejects the load. A damaged file is also deleted from Cache Storage (the
 * service worker's precache), so the next load downloads it again instead of reading the same bytes.
 * @param manifestSha256 the SHA-256 model.json itself must have (the build puts it into the worker): a
 *   damaged model.json is then a {@link DamagedFileError} too, deleted and downloaded again, not a JSON
 *   error that every retry would read again from the cache
 */
export function integrityCheckedFetch(
  fetchImpl: typeof fetch = fetch,
  manifestSha256?: string,
): typeof fetch {
  let expected: Record<string, string> | undefined;
  let manifest: { url: string; bytes: ArrayBuffer; contentType: string | null } | undefined;
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (!response.ok) return response;
    const url = new URL(
      input instanceof Request ? input.url : String(input),
      globalThis.location?.href ?? 'http://x/',
    );
    const file = decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf('/') + 1));
    if (file.endsWith('.json')) {
      const bytes = await response.clone().arrayBuffer();
      const contentType = response.headers.get('content-type');
      if (manifestSha256 !== undefined)
        await checkFileIntegrity(url.href, bytes, manifestSha256, 'this version of the app', contentType);
      manifest = { url: url.href, bytes, contentType };
      const json = JSON.parse(new TextDecoder().decode(bytes)) as {
        userDefinedMetadata?: Partial<WeightsIntegrity>;
      };
      expected = json.userDefinedMetadata?.weightsSha256;
      return response;
    }
    const bytes = await response.arrayBuffer();
    try {
      await checkFileIntegrity(
        url.href,
        bytes,
        expected?.[file],
        'model.json',
        response.headers.get('content-type'),
      );
    } catch (error) {
      // Unless model.json was checked itself, the checksum may be what is damaged: it is downloaded again
      // with its weights.
      if (manifest !== undefined && manifestSha256 === undefined && error instanceof DamagedFileError)
        await evictFromCaches(manifest.url).catch(() => {});
      throw error;
    }
    if (manifest !== undefined) {
      await restoreEvicted(manifest.url, manifest.bytes, manifest.contentType).catch(() => {});
    }
    return new Response(bytes, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/**
 * Checks the bytes fetched from `url` against `expectedSha256`. A file without an expected checksum is
 * refused; a damaged one is deleted from Cache Storage (the service worker's precache), so the next load
 * downloads it again instead of reading the same bytes, and a {@link DamagedFileError} is thrown.
 * @param listedIn where `expectedSha256` comes from, for the messages
 * @param contentType the Content-Type `bytes` were served with, kept if they go back into the cache
 */
export async function checkFileIntegrity(
  url: string,
  bytes: ArrayBuffer | Uint8Array<ArrayBuffer>,
  expectedSha256: string | undefined,
  listedIn: string,
  contentType: string | null = null,
): Promise<void> {
  const file = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? url);
  if (expectedSha256 === undefined) throw new Error(`${listedIn} lists no checksum for ${file}`);
  if ((await sha256Hex(bytes)) === expectedSha256) {
    await restoreEvicted(url, bytes, contentType).catch(() => {});
    return;
  }
  await evictFromCaches(url).catch(() => {});
  throw new DamagedFileError(file, listedIn);
}

/** Where MaskGuard notes, per URL, the cache and key of a copy it deleted as damaged. */
const EVICTED_NOTES = 'maskguard-evicted';

/**
 * Deletes `url` (any query string, such as the precache's revision) from every Cache Storage cache, noting
 * where it was so that {@link restoreEvicted} can put good bytes back under the same key.
 */
async function evictFromCaches(url: string): Promise<void> {
  if (typeof caches === 'undefined') return;
  for (const name of await caches.keys()) {
    if (name === EVICTED_NOTES) continue;
    const cache = await caches.open(name);
    for (const request of await cache.keys(url, { ignoreSearch: true })) {
      const note = { cache: name, key: request.url };
      await (await caches.open(EVICTED_NOTES)).put(url, new Response(JSON.stringify(note)));
      await cache.delete(request);
    }
  }
}

/**
 * Puts checked `bytes` of `url` back into the cache a damaged copy was deleted from, if one was and that
 * cache still exists (an app update may have replaced it). They keep the Content-Type they were just
 * served with, not the damaged copy's (which may be anything, such as an HTML error page); a `.wasm`
 * must stay `application/wasm` to be compiled while it streams. Without one, the name decides.
 */
async function restoreEvicted(
  url: string,
  bytes: ArrayBuffer | Uint8Array<ArrayBuffer>,
  contentType: string | null,
): Promise<void> {
  if (typeof caches === 'undefined' || !(await caches.has(EVICTED_NOTES))) return;
  const notes = await caches.open(EVICTED_NOTES);
  const found = await notes.match(url, { ignoreSearch: true });
  if (found === undefined) return;
  const { cache, key } = (await found.json()) as { cache: string; key: string };
  if (await caches.has(cache)) {
    const headers = { 'Content-Type': contentType || typeFromName(url) };
    await (await caches.open(cache)).put(key, new Response(bytes, { headers }));
  }
  await notes.delete(url, { ignoreSearch: true });
}

/** The Content-Type a file's name implies, for bytes served without one. */
function typeFromName(url: string): string {
  if (/\.wasm$/.test(url)) return 'application/wasm';
  if (/\.js$/.test(url)) return 'text/javascript';
  if (/\.json$/.test(url)) return 'application/json';
  return 'application/octet-stream';
}
