/**
 * Fetches a model file with byte progress and errors a guard can act on. The service worker answers these
 * requests from its cache once the app has been opened online.
 */
import { checkFileIntegrity } from '../shared/model-integrity.ts';

/** Called as bytes arrive; `totalBytes` is 0 when the server does not say. */
export type ByteProgress = (loadedBytes: number, totalBytes: number) => void;

/** How far a loading stage is, 0 to 1, or undefined when it cannot be known. */
export type StageProgress = (fraction: number | undefined) => void;

/**
 * Reads `url` fully, reporting progress, with the Content-Type it was served with. Throws a clear error for
 * HTTP errors and empty files.
 */
export async function fetchModel(
  url: string,
  what: string,
  onProgress: ByteProgress,
): Promise<{ bytes: Uint8Array<ArrayBuffer>; contentType: string | null }> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`Could not download the ${what} (${url}): ${String(error)}`, { cause: error });
  }
  if (!response.ok)
    throw new Error(`Could not download the ${what}: ${url} answered HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length') ?? 0);
  const contentType = response.headers.get('content-type');
  const reader = response.body?.getReader();
  if (reader === undefined) return { bytes: new Uint8Array(await response.arrayBuffer()), contentType };
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress(loaded, total);
  }
  if (loaded === 0) throw new Error(`The ${what} at ${url} is empty`);
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { bytes, contentType };
}

/**
 * Reads `url` as {@link fetchModel} does and checks its bytes against `sha256`, fixed by the build (see
 * checkFileIntegrity: a damaged file is deleted from the offline cache and a DamagedFileError thrown).
 */
export async function fetchChecked(
  url: string,
  what: string,
  sha256: string | undefined,
  onProgress: ByteProgress = () => {},
): Promise<Uint8Array<ArrayBuffer>> {
  const { bytes, contentType } = await fetchModel(url, what, onProgress);
  await checkFileIntegrity(url, bytes, sha256, 'the app build', contentType);
  return bytes;
}

/**
 * An object URL of `url`'s checked bytes (see {@link fetchChecked}), for a library that loads a file by URL
 * (MediaPipe, tfjs): what it runs is then what was checked, and it is downloaded once.
 */
export async function checkedObjectUrl(
  url: string,
  what: string,
  sha256: string | undefined,
  type: string,
): Promise<string> {
  return URL.createObjectURL(new Blob([await fetchChecked(url, what, sha256)], { type }));
}
