/**
 * Checksums of the model files. A file damaged on its way or in the phone's cache (same length, other bytes,
 * which tfjs or MediaPipe may load and run without a word, answering NaN or nonsense) fails loading with a
 * clear message instead, and is deleted from the offline cache so that the next load downloads it again.
 * - The mask classifier: `npm run train` writes the SHA-256 of each weight file into model.json
 *   (`userDefinedMetadata.weightsSha256`); {@link integrityCheckedFetch} checks them.
 * - The face detector models: the build puts their SHA-256 into the worker (vite.config.ts); the worker
 *   checks them with {@link checkFileIntegrity}.
 * Pure: Web Crypto exists in the page, the worker and Node alike.
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
 */
export function integrityCheckedFetch(fetchImpl: typeof fetch = fetch): typeof fetch {
  let expected: Record<string, string> | undefined;
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (!response.ok) return response;
    const url = new URL(
      input instanceof Request ? input.url : String(input),
      globalThis.location?.href ?? 'http://x/',
    );
    const file = decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf('/') + 1));
    if (file.endsWith('.json')) {
      const json = (await response.clone().json()) as { userDefinedMetadata?: Partial<WeightsIntegrity> };
      expected = json.userDefinedMetadata?.weightsSha256;
      return response;
    }
    const bytes = await response.arrayBuffer();
    await checkFileIntegrity(url.href, bytes, expected?.[file], 'model.json');
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
 */
export async function checkFileIntegrity(
  url: string,
  bytes: ArrayBuffer | Uint8Array<ArrayBuffer>,
  expectedSha256: string | undefined,
  listedIn: string,
): Promise<void> {
  const file = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? url);
  if (expectedSha256 === undefined) throw new Error(`${listedIn} lists no checksum for ${file}`);
  if ((await sha256Hex(bytes)) === expectedSha256) return;
  await evictFromCaches(url).catch(() => {});
  throw new DamagedFileError(file, listedIn);
}

/** Deletes `url` (any query string, such as the precache's revision) from every Cache Storage cache. */
async function evictFromCaches(url: string): Promise<void> {
  if (typeof caches === 'undefined') return;
  for (const name of await caches.keys()) await (await caches.open(name)).delete(url, { ignoreSearch: true });
}
