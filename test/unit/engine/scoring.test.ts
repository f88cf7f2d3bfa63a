import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeRequest } from '../../../src/engine';
import {
  convergence,
  dataSupport,
  estimateCostUsd,
  estimateLatencyMs,
  hardness,
  normalizeLowerIsBetter,
  observedQuality,
  patternMatch,
  PRIOR_STRENGTH,
  strengthBonus,
} from '../../../src/engine/scoring';
import { aProfile } from '../../support/builders';

describe('scoring', () => {
  describe('convergence curve', () => {
    it('returns the prior at the typical hardness', () => {
      for (const q of [0.3, 0.5, 0.744]) assert.ok(Math.abs(convergence(q, 0, 0.4) - q) < 1e-9);
    });

    it('puts every capable model near convergence on a trivial request', () => {
      const weak = convergence(0.44, 0, 0.01);
      const strong = convergence(0.744, 0, 0.01);
      assert.ok(weak >= 0.85, `weak ${weak}`);
      assert.ok(strong - weak < 0.05, `gap ${strong - weak}`);
    });

    it('widens the gap between models as hardness grows', () => {
      const gap = (h: number): number => convergence(0.744, 0, h) - convergence(0.6, 0, h);
      assert.ok(gap(0.1) < gap(0.4));
      assert.ok(gap(0.4) < gap(0.8));
      assert.ok(gap(0.8) > 0.2, `gap at 0.8 is ${gap(0.8)}`);
    });

    it('never rises with hardness and never falls with quality or strengths', () => {
      fc.assert(
        fc.property(
          fc.double({ min: 0.01, max: 0.99, noNaN: true }),
          fc.double({ min: 0, max: 0.2, noNaN: true }),
          fc.double({ min: 0, max: 0.6, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 0.3, noNaN: true }),
          (q, dq, bonus, h, dh) => {
            const base = convergence(q, bonus, h);
            return (
              convergence(Math.min(0.99, q + dq), bonus, h) >= base &&
              convergence(q, Math.min(0.6, bonus + dq), h) >= base &&
              convergence(q, bonus, Math.min(1, h + dh)) <= base
            );
          },
        ),
        { numRuns: 2000 },
      );
    });

    it('rises strictly with quality and falls strictly with hardness below the ceiling', () => {
      for (const h of [0, 0.4, 0.9]) assert.ok(convergence(0.7, 0, h) > convergence(0.6, 0, h));
      for (const q of [0.2, 0.6, 0.8]) assert.ok(convergence(q, 0, 0.9) < convergence(q, 0, 0.5));
    });

    it('gives a model at the 95% ceiling the same chance whatever the request', () => {
      assert.ok(Math.abs(convergence(0.95, 0, 0) - convergence(0.95, 0, 1)) < 1e-12);
      assert.ok(Math.abs(convergence(0.95, 0, 1) - 0.95) < 1e-12);
    });

    it('combines difficulty and criticality into hardness', () => {
      const plain = analyzeRequest({ text: 'write a parser for the log format' });
      const critical = analyzeRequest({ text: 'write a parser for the password reset tokens' });
      assert.ok(hardness(critical) > hardness(plain));
    });
  });

  describe('observed quality', () => {
    const p = aProfile('m', { baseConvergence: 0.6 });

    it('is the prior with no observations', () => {
      assert.equal(observedQuality(p, undefined), 0.6);
      assert.equal(observedQuality(p, { reviews: { count: 0, meanRobustness: 10 } }), 0.6);
    });

    it('blends reviewed robustness with the prior by the number of reviews', () => {
      const q = observedQuality(p, { reviews: { count: PRIOR_STRENGTH, meanRobustness: 90 } });
      assert.ok(Math.abs(q - (0.6 + 0.9) / 2) < 1e-12);
    });

    it('counts kept and reverted changes as successes and failures', () => {
      const good = observedQuality(p, { outcomes: { successes: 8, failures: 0 } });
      const bad = observedQuality(p, { outcomes: { successes: 0, failures: 8 } });
      assert.ok(Math.abs(good - (4 * 0.6 + 8) / 12) < 1e-12);
      assert.ok(Math.abs(bad - (4 * 0.6) / 12) < 1e-12);
    });
  });

  describe('strength bonus', () => {
    it('adds for each called-for strength the model has, capped', () => {
      const p = aProfile('m', { strengths: ['security', 'sql', 'architecture', 'reasoning'] });
      assert.equal(strengthBonus(p, {}), 0);
      assert.ok(Math.abs(strengthBonus(p, { security: 1 }) - 0.3) < 1e-12);
      assert.ok(Math.abs(strengthBonus(p, { security: 0.5 }) - 0.15) < 1e-12);
      assert.equal(strengthBonus(p, { security: 1, sql: 1, architecture: 1, reasoning: 1 }), 0.6);
    });
  });

  describe('pattern match', () => {
    const refactorer = aProfile('r', { strengths: ['refactoring', 'reasoning'] });
    const documenter = aProfile('d', { strengths: ['documentation'] });

    it('is undefined without a session profile or with an empty one', () => {
      assert.equal(patternMatch(refactorer, undefined), undefined);
      assert.equal(patternMatch(refactorer, { LOGIC_SPIRAL: 0 }), undefined);
    });

    it('favours models whose strengths counter the session anti-patterns', () => {
      const session = { LOGIC_SPIRAL: 6, REPEATED_SIMILAR_BLOCKS: 3 };
      assert.equal(patternMatch(refactorer, session), 1);
      assert.equal(patternMatch(documenter, session), 0);
    });

    it('weights patterns by intensity', () => {
      const m = patternMatch(documenter, { SELF_DOCUMENTING: 3, LOGIC_SPIRAL: 1 });
      assert.ok(Math.abs((m ?? -1) - 0.75) < 1e-12);
    });
  });

  describe('estimates', () => {
    const a = analyzeRequest({ text: 'add a retry loop to the HTTP client' });
    const p = aProfile('m', { pricing: { input: 2, output: 10 }, speed: { ttftMs: 500, outputTokensPerSec: 100 } });

    it('price a turn at list prices', () => {
      const expected = (a.estimatedInputTokens * 2 + a.estimatedOutputTokens * 10) / 1e6;
      assert.ok(Math.abs(estimateCostUsd(p, a) - expected) < 1e-12);
    });

    it('time a turn from first token plus output at the model pace', () => {
      assert.ok(Math.abs(estimateLatencyMs(p, a) - (500 + a.estimatedOutputTokens * 10)) < 1e-9);
    });

    it('move toward observed usage as it accrues', () => {
      const prior = estimateLatencyMs(p, a);
      const few = estimateLatencyMs(p, a, { usage: { count: 1, meanLatencyMs: 60_000 } });
      const many = estimateLatencyMs(p, a, { usage: { count: 100, meanLatencyMs: 60_000 } });
      assert.ok(prior < few && few < many && many < 60_000);
      const cost = estimateCostUsd(p, a, { usage: { count: PRIOR_STRENGTH, meanCostUsd: 1 } });
      assert.ok(Math.abs(cost - (estimateCostUsd(p, a) + 1) / 2) < 1e-12);
    });
  });

  describe('data support', () => {
    it('ranks measured over derived over estimated, and rises with observations', () => {
      const measured = dataSupport(aProfile('a', { evidence: 'measured' }), undefined);
      const derived = dataSupport(aProfile('b', { evidence: 'derived' }), undefined);
      const estimated = dataSupport(aProfile('c', { evidence: 'estimated' }), undefined);
      assert.ok(measured > derived && derived > estimated);
      const observed = dataSupport(aProfile('c', { evidence: 'estimated' }), { reviews: { count: 10, meanRobustness: 80 }, usage: { count: 10 } });
      assert.ok(observed > estimated && observed < 1);
    });
  });

  describe('normalisation', () => {
    it('maps the best to 1, the worst to 0, on a log scale', () => {
      assert.equal(normalizeLowerIsBetter(1, 1, 100), 1);
      assert.equal(normalizeLowerIsBetter(100, 1, 100), 0);
      assert.ok(Math.abs(normalizeLowerIsBetter(10, 1, 100) - 0.5) < 1e-12);
    });

    it('does not stretch a spread smaller than the minimum span to the full range', () => {
      assert.ok(Math.abs(normalizeLowerIsBetter(2, 1, 2, 4) - 0.5) < 1e-12);
      assert.equal(normalizeLowerIsBetter(1, 1, 2, 4), 1);
      assert.ok(Math.abs(normalizeLowerIsBetter(10, 1, 100, 4) - 0.5) < 1e-12, 'a wider spread than the floor is used as it is');
    });

    it('gives 1 when every candidate is the same or values are not positive', () => {
      assert.equal(normalizeLowerIsBetter(5, 5, 5), 1);
      assert.equal(normalizeLowerIsBetter(0, 0, 3), 1);
    });
  });
});
