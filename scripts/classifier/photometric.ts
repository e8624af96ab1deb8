import sharp from 'sharp';

/**
 * Photometric transforms that model a phone or webcam at a door, which the clean, well-lit mask-crops
 * pictures lack: dim and backlit faces, white-balance casts, washed-out colour, sensor noise, soft
 * low-resolution faces and JPEG blocks. The end-to-end door photos are exactly that (dark faces against a
 * bright window), and a dark beard on a dim face then looks like a black mask to a model that never saw a
 * dim unmasked face. All transforms work in place on square interleaved RGB bytes.
 */

/** Ranges of the random photometric transforms (see {@link randomPhotometric}). */
export interface PhotometricRanges {
  /** Brightness factor drawn log-uniformly from [lo, hi]. */
  brightness: [number, number];
  /** Gamma drawn log-uniformly from [lo, hi] (> 1 darkens the mid-tones). */
  gamma: [number, number];
  /** Probability of a backlight: the face darkened, a bright glow from one side or the edges. */
  backlightProbability: number;
  /** Probability of a white-balance cast, and the spread of the per-channel gains around 1. */
  castProbability: number;
  castGain: number;
  /** Probability of changing saturation, drawn from [lo, hi] (0 is grey). */
  saturationProbability: number;
  saturation: [number, number];
  /** Probability of Gaussian sensor noise, and the range of its sigma in grey levels. */
  noiseProbability: number;
  noiseSigma: [number, number];
  /** Probability of a downscale to a side in [lo, hi] px and back up (a small, soft face). */
  lowResProbability: number;
  lowResSide: [number, number];
  /** Probability of a JPEG re-encoding at a quality in [lo, hi]. */
  jpegProbability: number;
  jpegQuality: [number, number];
}

const clampByte = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** Multiplies every pixel by `factor` after a gamma curve, in place. */
export function brightnessGamma(rgb: Uint8Array, factor: number, gamma: number): Uint8Array {
  const table = new Uint8Array(256);
  for (let v = 0; v < 256; v++) table[v] = clampByte(255 * Math.pow(v / 255, gamma) * factor);
  for (let i = 0; i < rgb.length; i++) rgb[i] = table[rgb[i]];
  return rgb;
}

/**
 * A backlight: the picture is darkened by `darken` and blended towards white by a glow that is 0 inside an
 * circle of radius `inner` (fraction of the half side: 1 reaches the edges' midpoints) around the centre and `strength` outside `outer`, shifted
 * towards the point (`dirX`, `dirY`) (unit vector, where the window is). In place.
 */
export function backlight(
  rgb: Uint8Array,
  size: number,
  darken: number,
  strength: number,
  dirX: number,
  dirY: number,
  inner = 0.7,
  outer = 1.2,
): Uint8Array {
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = (x - c) / size + 0.15 * dirX;
      const dy = (y - c) / size + 0.15 * dirY;
      const r = Math.sqrt(dx * dx + dy * dy) * 2;
      const w = strength * Math.min(1, Math.max(0, (r - inner) / (outer - inner)));
      for (let ch = 0; ch < 3; ch++) {
        const i = (y * size + x) * 3 + ch;
        const dark = rgb[i] * darken;
        rgb[i] = clampByte(dark + (255 - dark) * w);
      }
    }
  }
  return rgb;
}

/** Per-channel gains (white balance) and a saturation factor around each pixel's grey, in place. */
export function colour(rgb: Uint8Array, gains: [number, number, number], saturation: number): Uint8Array {
  for (let i = 0; i < rgb.length; i += 3) {
    const r = rgb[i] * gains[0];
    const g = rgb[i + 1] * gains[1];
    const b = rgb[i + 2] * gains[2];
    const grey = 0.299 * r + 0.587 * g + 0.114 * b;
    rgb[i] = clampByte(grey + (r - grey) * saturation);
    rgb[i + 1] = clampByte(grey + (g - grey) * saturation);
    rgb[i + 2] = clampByte(grey + (b - grey) * saturation);
  }
  return rgb;
}

/** Adds Gaussian noise of `sigma` grey levels drawn from `random`, in place. */
export function addNoise(rgb: Uint8Array, sigma: number, random: () => number): Uint8Array {
  for (let i = 0; i < rgb.length; i++) {
    // Box–Muller.
    const u = Math.max(random(), 1e-9);
    const n = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    rgb[i] = clampByte(rgb[i] + sigma * n);
  }
  return rgb;
}

const raw = (size: number) => ({ raw: { width: size, height: size, channels: 3 as const } });
const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** Downscales to `side` × `side` (area average) and back up (bilinear): a small, soft face. */
export async function lowResolution(rgb: Uint8Array, size: number, side: number): Promise<Uint8Array> {
  const small = await sharp(rgb, raw(size))
    .resize(side, side, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  const back = await sharp(small, raw(side))
    .resize(size, size, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  return bytes(back);
}

/** Re-encodes as JPEG at `quality` and decodes again. */
export async function jpegRoundTrip(rgb: Uint8Array, size: number, quality: number): Promise<Uint8Array> {
  const jpeg = await sharp(rgb, raw(size)).jpeg({ quality }).toBuffer();
  return bytes(await sharp(jpeg).removeAlpha().raw().toBuffer());
}

/** One random draw of every photometric transform, in a fixed order, from `random`. */
export async function randomPhotometric(
  input: Uint8Array,
  size: number,
  random: () => number,
  r: PhotometricRanges,
): Promise<Uint8Array> {
  const logUniform = ([lo, hi]: [number, number]): number =>
    Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * random());
  const between = ([lo, hi]: [number, number]): number => lo + (hi - lo) * random();
  // Every draw is taken whether or not its transform applies, so one range never shifts another's draws.
  const factor = logUniform(r.brightness);
  const gamma = logUniform(r.gamma);
  const lit = random() < r.backlightProbability;
  const darken = 0.3 + 0.4 * random();
  const glow = 0.5 + 0.5 * random();
  const angle = 2 * Math.PI * random();
  const cast = random() < r.castProbability;
  const gains: [number, number, number] = [0, 0, 0].map(() => 1 + r.castGain * (2 * random() - 1)) as [
    number,
    number,
    number,
  ];
  const saturate = random() < r.saturationProbability;
  const saturation = between(r.saturation);
  const noisy = random() < r.noiseProbability;
  const sigma = between(r.noiseSigma);
  const lowRes = random() < r.lowResProbability;
  const side = Math.round(between(r.lowResSide));
  const jpeg = random() < r.jpegProbability;
  const quality = Math.round(between(r.jpegQuality));

  let rgb = brightnessGamma(input, factor, gamma);
  if (lit) rgb = backlight(rgb, size, darken, glow, Math.cos(angle), Math.sin(angle));
  if (cast || saturate) rgb = colour(rgb, cast ? gains : [1, 1, 1], saturate ? saturation : 1);
  if (lowRes) rgb = await lowResolution(rgb, size, side);
  if (noisy) rgb = addNoise(rgb, sigma, random);
  if (jpeg) rgb = await jpegRoundTrip(rgb, size, quality);
  return rgb;
}
