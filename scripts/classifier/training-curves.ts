import sharp from 'sharp';
import type { EpochRecord } from './head.ts';

/**
 * Draws accuracy and loss per epoch, train and validation (like the paper's figures 4 and 5), as an SVG
 * turned into a PNG by sharp, so no plotting dependency is needed.
 */

interface Series {
  label: string;
  colour: string;
  values: number[];
}

function panel(x0: number, title: string, series: Series[], epochs: number, ceiling = Infinity): string {
  const w = 440;
  const h = 330;
  const left = x0 + 60;
  const top = 40;
  const plotW = w - 80;
  const plotH = h - 110;
  const all = series.flatMap((s) => s.values);
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 1e-6) {
    lo -= 0.5;
    hi += 0.5;
  }
  const pad = (hi - lo) * 0.08;
  lo -= pad;
  hi = Math.min(hi + pad, ceiling);
  const px = (e: number): number => left + (epochs <= 1 ? plotW / 2 : ((e - 1) / (epochs - 1)) * plotW);
  const py = (v: number): number => top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const parts: string[] = [
    `<text x="${x0 + w / 2}" y="22" font-size="16" text-anchor="middle">${title}</text>`,
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#444"/>`,
  ];
  for (let t = 0; t <= 4; t++) {
    const v = lo + ((hi - lo) * t) / 4;
    parts.push(
      `<line x1="${left}" x2="${left + plotW}" y1="${py(v)}" y2="${py(v)}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${py(v) + 4}" font-size="11" text-anchor="end">${v.toFixed(3)}</text>`,
    );
  }
  for (let e = 1; e <= epochs; e++) {
    parts.push(`<text x="${px(e)}" y="${top + plotH + 16}" font-size="11" text-anchor="middle">${e}</text>`);
  }
  parts.push(
    `<text x="${left + plotW / 2}" y="${top + plotH + 34}" font-size="12" text-anchor="middle">epoch</text>`,
  );
  series.forEach((s, i) => {
    const points = s.values.map((v, e) => `${px(e + 1)},${py(v)}`).join(' ');
    parts.push(
      `<polyline points="${points}" fill="none" stroke="${s.colour}" stroke-width="2"/>`,
      ...s.values.map((v, e) => `<circle cx="${px(e + 1)}" cy="${py(v)}" r="3" fill="${s.colour}"/>`),
      `<line x1="${left + 10 + i * 150}" x2="${left + 30 + i * 150}" y1="${h - 12}" y2="${h - 12}" stroke="${s.colour}" stroke-width="3"/>`,
      `<text x="${left + 36 + i * 150}" y="${h - 8}" font-size="12">${s.label}</text>`,
    );
  });
  return parts.join('\n');
}

/** Writes the training curves of `history` as a PNG at `file`. */
export async function renderTrainingCurves(history: EpochRecord[], file: string): Promise<void> {
  const epochs = history.length;
  const svg = [
    '<svg xmlns="http://www.w3.org/2000/svg" width="880" height="330" font-family="sans-serif">',
    '<rect width="100%" height="100%" fill="white"/>',
    panel(
      0,
      'Accuracy',
      [
        { label: 'train', colour: '#1f77b4', values: history.map((r) => r.trainAccuracy) },
        { label: 'validation', colour: '#ff7f0e', values: history.map((r) => r.valAccuracy) },
      ],
      epochs,
      1,
    ),
    panel(
      440,
      'Loss',
      [
        { label: 'train', colour: '#1f77b4', values: history.map((r) => r.trainLoss) },
        { label: 'validation', colour: '#ff7f0e', values: history.map((r) => r.valLoss) },
      ],
      epochs,
    ),
    '</svg>',
  ].join('\n');
  await sharp(Buffer.from(svg)).png().toFile(file);
}
