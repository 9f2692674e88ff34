import { describe, expect, it } from 'vitest';
import { cosineSchedule } from './lrSchedule.js';

describe('cosineSchedule', () => {
  const lr = cosineSchedule({ maxLr: 1e-3, warmupSteps: 4, totalSteps: 14, minLrRatio: 0.1 });

  it('warms up linearly, never starting at zero', () => {
    expect([0, 1, 2, 3].map(lr)).toEqual([0.25e-3, 0.5e-3, 0.75e-3, 1e-3]);
  });

  it('decays along a cosine from maxLr to maxLr·minLrRatio', () => {
    expect(lr(4)).toBeCloseTo(1e-3, 15);
    // Halfway through the decay the cosine term is ½: min + ½(max − min).
    expect(lr(9)).toBeCloseTo(1e-4 + 0.5 * 9e-4, 15);
    expect(lr(13)).toBeCloseTo(1e-4 + 0.5 * (1 + Math.cos((Math.PI * 9) / 10)) * 9e-4, 15);
    for (let s = 4; s < 13; s++) expect(lr(s + 1)).toBeLessThan(lr(s));
  });

  it('stays at the floor after totalSteps', () => {
    expect(lr(14)).toBeCloseTo(1e-4, 15);
    expect(lr(1000)).toBeCloseTo(1e-4, 15);
  });

  it('without warmup starts at maxLr', () => {
    expect(cosineSchedule({ maxLr: 2e-3, warmupSteps: 0, totalSteps: 10 })(0)).toBe(2e-3);
  });

  it('rejects inconsistent settings', () => {
    expect(() => cosineSchedule({ maxLr: 1, warmupSteps: 5, totalSteps: 4 })).toThrow(/totalSteps/);
    expect(() => cosineSchedule({ maxLr: -1, warmupSteps: 0, totalSteps: 4 })).toThrow(/maxLr/);
    expect(() => cosineSchedule({ maxLr: 1, warmupSteps: 0, totalSteps: 4, minLrRatio: 2 })).toThrow(/minLrRatio/);
    expect(() => lr(-1)).toThrow();
  });
});
