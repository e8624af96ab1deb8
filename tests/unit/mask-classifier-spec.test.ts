import { describe, expect, it } from 'vitest';
import {
  checkedProbabilities,
  CLASS_NAMES,
  INPUT_SIZE,
  MODEL_URL_PATH,
  WITHOUT_MASK_INDEX,
  decideMaskClass,
  toModelInput,
} from '../../src/shared/mask-classifier-spec.ts';

describe('mask classifier spec', () => {
  it('fixes class order, input size and model path', () => {
    expect(CLASS_NAMES).toEqual(['with_mask', 'without_mask']);
    expect(CLASS_NAMES[WITHOUT_MASK_INDEX]).toBe('without_mask');
    expect(INPUT_SIZE).toBe(224);
    expect(MODEL_URL_PATH).toBe('models/mask-classifier/model.json');
  });

  it('normalizes pixels as (pixel − 128) / 128 and drops alpha', () => {
    const rgb = new Uint8Array([0, 128, 255, 64]);
    expect([...toModelInput(rgb.subarray(0, 3), 1)]).toEqual([-1, 0, 127 / 128]);
    expect([...toModelInput(new Uint8Array([0, 128, 255, 7]), 1)]).toEqual([-1, 0, 127 / 128]);
    expect(toModelInput(new Uint8Array(INPUT_SIZE * INPUT_SIZE * 3))).toHaveLength(
      INPUT_SIZE * INPUT_SIZE * 3,
    );
    expect(() => toModelInput(new Uint8Array(5), 1)).toThrow(/expected 3 RGB or 4 RGBA values/);
  });

  it('calls without_mask at or above the threshold', () => {
    expect(decideMaskClass([0.6, 0.4], 0.5)).toBe('with_mask');
    expect(decideMaskClass([0.5, 0.5], 0.5)).toBe('without_mask');
    expect(decideMaskClass([0.7, 0.3], 0.25)).toBe('without_mask');
    expect(decideMaskClass([0.8, 0.2])).toBe('with_mask');
    expect(decideMaskClass([0.7, 0.3])).toBe('without_mask');
  });
});

describe('checkedProbabilities', () => {
  it('gives P(without_mask) of each row of softmax output', () => {
    expect(checkedProbabilities(new Float32Array([0.9, 0.1, 0.25, 0.75]), 2)).toEqual([
      expect.closeTo(0.1, 6),
      expect.closeTo(0.75, 6),
    ]);
  });

  it('refuses what a backend that lost its GPU context reads back, instead of calling everyone masked', () => {
    expect(() => checkedProbabilities(new Float32Array(4), 2)).toThrow('gave no probabilities');
    expect(() => checkedProbabilities([NaN, NaN], 1)).toThrow('gave no probabilities');
    expect(() => checkedProbabilities([1.5, -0.5], 1)).toThrow('gave no probabilities');
    expect(() => checkedProbabilities([0.5, 0.5], 2)).toThrow('gave 2 numbers for 2 faces');
  });
});
