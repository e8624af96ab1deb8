/**
 * A tolerant reader for Pascal VOC annotation files (the door photos' face boxes). Files from the wild
 * carry stray text inside elements (e.g. `<xmin>12 </xmin>`, `<name>with_mask\n</name>`, comments), so
 * values are read as the first number or word inside each element rather than by a strict XML parser.
 * Pure: no DOM (DOMParser is not in workers or Node), usable by scripts, tests and pages.
 */
import type { Box } from './geometry.ts';

/** One annotated object. `box` is in image pixels, `[xmin, ymin]` to `[xmax, ymax]` as width/height. */
export interface VocObject {
  name: string;
  box: Box;
  difficult: boolean;
}

/** One annotation file. */
export interface VocAnnotation {
  filename: string | undefined;
  width: number | undefined;
  height: number | undefined;
  objects: VocObject[];
}

function inner(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}\\s*>`, 'i').exec(xml);
  return match?.[1];
}

function number(xml: string, tag: string): number | undefined {
  const text = inner(xml, tag);
  const match = text === undefined ? null : /-?\d+(?:\.\d+)?/.exec(text);
  return match === null ? undefined : Number(match[0]);
}

function word(xml: string, tag: string): string | undefined {
  const text = inner(xml, tag)?.replace(/<!--[\s\S]*?-->/g, '');
  const match = text === undefined ? null : /[A-Za-z0-9_.-]+/.exec(text);
  return match?.[0];
}

/**
 * Parses one VOC file. Objects without a name or a complete box are skipped (and counted in `skipped`);
 * a file without `<annotation>` throws, so an unrelated file is reported rather than read as empty.
 */
export function parseVoc(xml: string): VocAnnotation & { skipped: number } {
  const annotation = inner(xml, 'annotation');
  if (annotation === undefined) throw new Error('not a Pascal VOC annotation (no <annotation> element)');
  const objects: VocObject[] = [];
  let skipped = 0;
  for (const match of annotation.matchAll(/<object(?:\s[^>]*)?>([\s\S]*?)<\/object\s*>/gi)) {
    const body = match[1]!;
    const name = word(body, 'name');
    const bndbox = inner(body, 'bndbox') ?? '';
    const [x0, y0, x1, y1] = ['xmin', 'ymin', 'xmax', 'ymax'].map((t) => number(bndbox, t));
    if (name === undefined || x0 === undefined || y0 === undefined || x1 === undefined || y1 === undefined) {
      skipped++;
      continue;
    }
    objects.push({
      name,
      box: { x: Math.min(x0, x1), y: Math.min(y0, y1), width: Math.abs(x1 - x0), height: Math.abs(y1 - y0) },
      difficult: number(body, 'difficult') === 1,
    });
  }
  const size = inner(annotation, 'size') ?? '';
  return {
    filename: word(annotation, 'filename'),
    width: number(size, 'width'),
    height: number(size, 'height'),
    objects,
    skipped,
  };
}
