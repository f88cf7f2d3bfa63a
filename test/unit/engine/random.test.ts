import assert from 'node:assert/strict';
import { sampleBeta, sampleGamma, sampleNormal, seededRandom, stableHash } from '../../../src/engine';

describe('engine: random', () => {
  it('yields the same sequence for the same seed and a different one for another seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const xs = Array.from({ length: 5 }, () => a());
    assert.deepEqual(
      Array.from({ length: 5 }, () => b()),
      xs,
    );
    assert.notDeepEqual(
      Array.from({ length: 5 }, () => c()),
      xs,
    );
    for (const x of xs) assert.ok(x >= 0 && x < 1);
  });

  it('is roughly uniform', () => {
    const r = seededRandom(7);
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) bins[Math.floor(r() * 10)]! += 1;
    for (const b of bins) assert.ok(b > 900 && b < 1100, `bin count ${b}`);
  });

  it('draws normals, gammas and betas with the right means', () => {
    const r = seededRandom(1);
    const n = 4000;
    let normal = 0;
    let gamma = 0;
    let smallGamma = 0;
    let beta = 0;
    for (let i = 0; i < n; i++) {
      normal += sampleNormal(r);
      gamma += sampleGamma(3, r);
      smallGamma += sampleGamma(0.5, r);
      beta += sampleBeta(2, 6, r);
    }
    assert.ok(Math.abs(normal / n) < 0.06, `normal mean ${normal / n}`);
    assert.ok(Math.abs(gamma / n - 3) < 0.12, `gamma mean ${gamma / n}`);
    assert.ok(Math.abs(smallGamma / n - 0.5) < 0.05, `gamma(0.5) mean ${smallGamma / n}`);
    assert.ok(Math.abs(beta / n - 0.25) < 0.015, `beta mean ${beta / n}`);
  });

  it('hashes strings stably', () => {
    assert.equal(stableHash('django__django-11099'), stableHash('django__django-11099'));
    assert.notEqual(stableHash('a'), stableHash('b'));
    assert.equal(stableHash(''), 0x811c9dc5);
  });
});
