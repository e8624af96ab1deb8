/**
 * Draws MaskGuard's icon (a shield carrying a face mask) as SVG and renders the manifest's PNGs with sharp:
 *
 *   npx tsx scripts/icons.ts    → public/icons/{icon.svg, icon-192.png, icon-512.png, maskable-512.png}
 *
 * The output is committed (it is our own artwork and small); run this again after changing the drawing.
 * The maskable icon fills the whole square with the background and keeps the glyph inside the central
 * circle of radius 40 % ("safe zone", w3.org/TR/appmanifest/#icon-masks), because launchers crop it to
 * circles, squircles or teardrops.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';

const OUT_DIR = resolve(import.meta.dirname, '../public/icons');

/** The page's background (index.html), so the icon, splash screen and app look like one thing. */
const BACKGROUND = '#0b1d2a';
const SHIELD = '#2f8fb8';
const SHIELD_EDGE = '#7fd0ee';
const MASK = '#f4f7f9';
const PLEAT = '#b9cad6';

/**
 * The glyph in a 100 × 100 box centred on (50, 50): a shield, two eyes, and a pleated mask with ear loops.
 * Its farthest points from the centre (the shield's top corners) are 45.3 units away.
 */
const GLYPH = `
  <path d="M50 8 L84 20 V46 C84 68 70 84 50 92 C30 84 16 68 16 46 V20 Z"
        fill="${SHIELD}" stroke="${SHIELD_EDGE}" stroke-width="2.5" stroke-linejoin="round"/>
  <circle cx="40" cy="37" r="3.6" fill="${BACKGROUND}"/>
  <circle cx="60" cy="37" r="3.6" fill="${BACKGROUND}"/>
  <path d="M30 49 L22 44 M30 63 L23 60 M70 49 L78 44 M70 63 L77 60"
        stroke="${MASK}" stroke-width="2.6" stroke-linecap="round" fill="none"/>
  <rect x="29" y="45" width="42" height="22" rx="7" fill="${MASK}"/>
  <path d="M33 52 H67 M33 57 H67 M33 62 H67" stroke="${PLEAT}" stroke-width="1.8" stroke-linecap="round"/>
`;

/**
 * The icon as SVG. `maskable`: a full-bleed square with the glyph scaled to 0.8 (45.3 × 0.8 = 36.2 units,
 * inside the 40-unit safe circle). Otherwise a rounded square with the glyph at 0.92, for launchers that
 * show the icon as it is.
 */
function iconSvg(maskable: boolean): string {
  const scale = maskable ? 0.8 : 0.92;
  const offset = 50 - 50 * scale;
  const background = maskable
    ? `<rect width="100" height="100" fill="${BACKGROUND}"/>`
    : `<rect width="100" height="100" rx="20" fill="${BACKGROUND}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="512" height="512">
  <title>MaskGuard</title>
  ${background}
  <g transform="translate(${offset} ${offset}) scale(${scale})">${GLYPH}</g>
</svg>
`;
}

async function renderPng(svg: string, size: number, file: string): Promise<void> {
  const png = await sharp(Buffer.from(svg), { density: 72 * (size / 512) * 4 })
    .resize(size, size)
    .png({ compressionLevel: 9, adaptiveFiltering: true })
    .toBuffer();
  writeFileSync(join(OUT_DIR, file), png);
  console.log(`${file}: ${size}×${size}, ${png.length} bytes`);
}

mkdirSync(OUT_DIR, { recursive: true });
const icon = iconSvg(false);
writeFileSync(join(OUT_DIR, 'icon.svg'), icon);
await renderPng(icon, 192, 'icon-192.png');
await renderPng(icon, 512, 'icon-512.png');
await renderPng(iconSvg(true), 512, 'maskable-512.png');
