import assert from 'node:assert/strict';
import { ReviewObservations } from '../../../src/review/observations';

describe('ReviewObservations', () => {
  it('averages robustness per model', () => {
    const o = new ReviewObservations();
    o.record('a', 'k1', 90);
    o.record('a', 'k2', 60);
    o.record('b', 'k1', 40);
    assert.deepEqual(o.snapshot(), { a: { reviews: { count: 2, meanRobustness: 75 } }, b: { reviews: { count: 1, meanRobustness: 40 } } });
  });

  it('counts the same code for the same model once', () => {
    const o = new ReviewObservations();
    assert.equal(o.record('a', 'k1', 90), true);
    assert.equal(o.record('a', 'k1', 90), false);
    assert.deepEqual(o.snapshot(), { a: { reviews: { count: 1, meanRobustness: 90 } } });
  });

  it('hands out snapshots that later reviews do not change', () => {
    const o = new ReviewObservations();
    o.record('a', 'k1', 90);
    const before = o.snapshot();
    o.record('a', 'k2', 10);
    assert.deepEqual(before, { a: { reviews: { count: 1, meanRobustness: 90 } } });
  });
});
