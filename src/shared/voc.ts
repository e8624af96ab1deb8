/**
 * A tolerant reader for Pascal VOC annotation files (the door photos' face boxes). Files from the wild
 * carry stray text inside elements (e.g. `<xmin>12 </xmin>`, `<name>with_mask\n</name>`), comments and CDATA
 * sections, so comments are dropped and CDATA unwrapped first, then values are read as the first number
 * inside each element, and class names as the element's text, rather than by a strict XML parser.
 * Pure: no DOM (DOMParser is not in workers or Node), usable by scripts, tests and pages.
 *
 * Coordinates follow the VOC convention: pixels numbered from 1, `xmax` and `ymax` inclusive, so a box from
 * 1 to 240 covers all of a 240-pixel-wide image, which is `x` 0 to 240 in the continuous image coordinates
 * the app's boxes use.
 */
import type { Box } from './geometry.ts';

/**
 * One annotated object. `box` is in continuous image coordinates (see the module comment): `x` = `xmin` − 1,
 * `width` = `xmax` − `xmin` + 1. `name` is lower-case, with spaces and hyphens as underscores.
 */
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
  const match = text === undefined ? null : /[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/i.exec(text);
  return match === null ? undefined : Number(match[0]);
}

/** The element's text, trimmed; undefined when empty or absent. */
function text(xml: string, tag: string): string | undefined {
  const value = inner(xml, tag)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** A class name as written by hand or by tools: `With_Mask`, `without mask` and `without-mask` alike. */
function className(xml: string): string | undefined {
  return text(xml, 'name')
    ?.toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/**
 * Parses one VOC file. Objects without a name or a complete box are skipped (and counted in `skipped`);
 * a file without `<annotation>` throws, so an unrelated file is reported rather than read as empty.
 */
export function parseVoc(xml: string): VocAnnotation & { skipped: number } {
  const annotation = inner(
    xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1'),
    'annotation',
  );
  if (annotation === undefined) throw new Error('not a Pascal VOC annotation (no <annotation> element)');
  const objects: VocObject[] = [];
  let skipped = 0;
  for (const match of annotation.matchAll(/<object(?:\s[^>]*)?>([\s\S]*?)<\/object\s*>/gi)) {
    const body = match[1]!;
    const name = className(body);
    const bndbox = inner(body, 'bndbox') ?? '';
    const [x0, y0, x1, y1] = ['xmin', 'ymin', 'xmax', 'ymax'].map((t) => number(bndbox, t));
    if (name === undefined || x0 === undefined || y0 === undefined || x1 === undefined || y1 === undefined) {
      skipped++;
      continue;
    }
    objects.push({
      name,
      box: {
        x: Math.min(x0, x1) - 1,
        y: Math.min(y0, y1) - 1,
        width: Math.abs(x1 - x0) + 1,
        height: Math.abs(y1 - y0) + 1,
      },
      difficult: number(body, 'difficult') === 1,
    });
  }
  const size = inner(annotation, 'size') ?? '';
  return {
    filename: text(annotation, 'filename'),
    width: number(size, 'width'),
    height: number(size, 'height'),
    objects,
    skipped,
  };
}

/**
 * How the annotation's pixels map onto the decoded image's: 1 when `<size>` is absent or the same; the
 * factor when the annotation was drawn on a resized copy (same shape, within 1 %); otherwise why not.
 */
export function annotationScale(
  annotated: { width: number | undefined; height: number | undefined },
  image: { width: number; height: number },
): number | string {
  const { width, height } = annotated;
  if (width === undefined || height === undefined || width <= 0 || height <= 0) return 1;
  if (width === image.width && height === image.height) return 1;
  const sx = image.width / width;
  const sy = image.height / height;
  if (Math.abs(sx / sy - 1) <= 0.01) return sx;
  return (
    `drawn on a ${width}×${height} picture, but the image is ${image.width}×${image.height} ` +
    '(rotated, or another picture): its boxes would not fit'
  );
}
