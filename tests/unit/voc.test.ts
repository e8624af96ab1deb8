import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { annotationScale, parseVoc } from '../../src/shared/voc.ts';

const DOOR = resolve(import.meta.dirname, '../../../shared/data/door-photos/annotations');

describe('parseVoc', () => {
  it('reads names and boxes, tolerating stray text, comments and attributes', () => {
    const xml = `<annotation><filename>a.jpg </filename><size><width>240</width><height> 200px</height></size>
      <object><name>with_mask
      </name><difficult>0</difficult><bndbox><xmin>10 </xmin><ymin>x20</ymin><xmax>110</xmax><ymax>150.5</ymax></bndbox></object>
      <object id="2"><name><!-- note -->without_mask</name><bndbox><xmin>5</xmin><ymin>6</ymin><xmax>7</xmax></bndbox></object>
      </annotation>`;
    const voc = parseVoc(xml);
    expect(voc.filename).toBe('a.jpg');
    expect([voc.width, voc.height]).toEqual([240, 200]);
    expect(voc.objects).toEqual([
      // VOC pixels are numbered from 1, max inclusive: 10..110 covers x 9 to 110.
      { name: 'with_mask', box: { x: 9, y: 19, width: 101, height: 131.5 }, difficult: false },
    ]);
    expect(voc.skipped).toBe(1);
  });

  it('reads a box covering the whole image as the whole image', () => {
    const voc = parseVoc(
      '<annotation><size><width>240</width><height>200</height></size><object><name>with_mask</name>' +
        '<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>240</xmax><ymax>200</ymax></bndbox></object></annotation>',
    );
    expect(voc.objects[0]!.box).toEqual({ x: 0, y: 0, width: 240, height: 200 });
  });

  it('drops comments and unwraps CDATA anywhere, reads any decimal number, and normalizes class names', () => {
    const object = (name: string, box: string) =>
      `<object><name>${name}</name><bndbox>${box}</bndbox></object>`;
    const xml = `<annotation><filename><![CDATA[my photo.jpg]]></filename>
      <!-- <object><name>with_mask</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>9</xmax><ymax>9</ymax></bndbox></object> -->
      ${object('<![CDATA[with_mask]]>', '<xmin><!-- was 12 -->51</xmin><ymin>.5</ymin><xmax>1.01e2</xmax><ymax>+61</ymax>')}
      ${object(' Without Mask ', '<xmin>1</xmin><ymin>1</ymin><xmax>10</xmax><ymax>10</ymax>')}
      ${object('without-mask', '<xmin>1</xmin><ymin>1</ymin><xmax>10</xmax><ymax>10</ymax>')}
      ${object('MASK_WEARED_INCORRECT', '<xmin>1</xmin><ymin>1</ymin><xmax>10</xmax><ymax>10</ymax>')}
      </annotation>`;
    const voc = parseVoc(xml);
    expect(voc.filename).toBe('my photo.jpg');
    expect(voc.objects.map((o) => o.name)).toEqual([
      'with_mask',
      'without_mask',
      'without_mask',
      'mask_weared_incorrect',
    ]);
    expect(voc.objects[0]!.box).toEqual({ x: 50, y: -0.5, width: 51, height: 61.5 });
    expect(voc.skipped).toBe(0);
  });

  it('rejects a file that is not a VOC annotation', () => {
    expect(() => parseVoc('<html><body>404</body></html>')).toThrow(/not a Pascal VOC/);
  });

  it('reads every door-photo annotation with at least one face', () => {
    const files = readdirSync(DOOR).filter((f) => f.endsWith('.xml'));
    expect(files.length).toBeGreaterThanOrEqual(60);
    for (const file of files) {
      const voc = parseVoc(readFileSync(join(DOOR, file), 'utf8'));
      expect(voc.objects.length, file).toBeGreaterThan(0);
      for (const o of voc.objects)
        expect(['with_mask', 'without_mask', 'mask_weared_incorrect']).toContain(o.name);
    }
  });
});

describe('annotationScale', () => {
  it('is 1 for the same size or none given, the factor for a resized copy, and a reason otherwise', () => {
    expect(annotationScale({ width: 240, height: 180 }, { width: 240, height: 180 })).toBe(1);
    expect(annotationScale({ width: undefined, height: undefined }, { width: 240, height: 180 })).toBe(1);
    expect(annotationScale({ width: 480, height: 360 }, { width: 240, height: 180 })).toBe(0.5);
    // Drawn on the picture as stored, decoded upright (EXIF rotation): the boxes would not fit.
    expect(annotationScale({ width: 240, height: 180 }, { width: 180, height: 240 })).toMatch(
      /drawn on a 240×180 picture, but the image is 180×240/,
    );
  });
});
