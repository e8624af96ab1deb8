import sharp from 'sharp';
import type { Box } from '../../src/shared/geometry.ts';
import { INPUT_SIZE } from '../../src/shared/mask-classifier-spec.ts';

/**
 * Decodes an image file and resizes the whole picture (no crop, aspect ratio not kept) to
 * INPUT_SIZE × INPUT_SIZE interleaved RGB bytes, as the app does with a face crop. EXIF orientation is
 * applied and alpha dropped. Every script and test decodes through this one function so that training,
 * evaluation and the parity test see identical bytes.
 */
export async function loadRgb(path: string, size: number = INPUT_SIZE): Promise<Uint8Array> {
  const { data, info } = await sharp(path)
    .rotate()
    .resize(size, size, { fit: 'fill' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels === 3) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // Grey pictures can still come out with one channel; spread it over R, G and B.
  const rgb = new Uint8Array(size * size * 3);
  for (let i = 0; i < size * size; i++) rgb.fill(data[i * info.channels], i * 3, i * 3 + 3);
  return rgb;
}

/**
 * Writes the region `crop` (pixels of the decoded picture, `width` × `height`, as faceCrop returns it) of the
 * picture at `path` to `file` as PNG (lossless), or the whole picture when `crop` is undefined (no face
 * found): the picture the app's classifier is given.
 */
export async function writeCrop(
  path: string,
  crop: Box | undefined,
  width: number,
  height: number,
  file: string,
): Promise<void> {
  const image = sharp(path).rotate();
  if (crop === undefined) {
    await image.png().toFile(file);
    return;
  }
  const left = Math.round(crop.x);
  const top = Math.round(crop.y);
  await image
    .extract({
      left,
      top,
      width: Math.max(1, Math.min(width - left, Math.round(crop.width))),
      height: Math.max(1, Math.min(height - top, Math.round(crop.height))),
    })
    .png()
    .toFile(file);
}
