import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseVoc } from '../../src/shared/voc.ts';

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
      { name: 'with_mask', box: { x: 10, y: 20, width: 100, height: 130.5 }, difficult: false },
    ]);
    expect(voc.skipped).toBe(1);
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
