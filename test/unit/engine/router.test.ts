import assert from 'node:assert/strict';
import { findProfile, route, routingEnabled, RoutingError } from '../../../src/engine';
import type { ModelProfile, RoutingConfig, RoutingDecision } from '../../../src/engine';
import { aConfig, aProfile, AUTH_REQUEST, defaultConfig, RENAME_REQUEST } from '../../support/builders';

const scoreOf = (d: RoutingDecision, id: string) => {
  const s = d.scores.find((x) => x.modelId === id);
  assert.ok(s, `no score for ${id}`);
  return s;
};

/** Three clearly different models: a strong slow dear one, a middling one, a weak fast cheap one. */
function trio(): ModelProfile[] {
  return [
    aProfile('strong', { baseConvergence: 0.75, strengths: ['security', 'architecture', 'reasoning'], pricing: { input: 5, output: 25 }, speed: { ttftMs: 2500, outputTokensPerSec: 50 }, kiloModel: 'anthropic/strong' }),
    aProfile('middle', { baseConvergence: 0.66, pricing: { input: 1.25, output: 10 }, speed: { ttftMs: 2000, outputTokensPerSec: 80 }, kiloModel: 'openai/middle' }),
    aProfile('quick', { baseConvergence: 0.55, strengths: ['speed'], pricing: { input: 0.2, output: 1.5 }, speed: { ttftMs: 500, outputTokensPerSec: 190 }, kiloModel: 'x-ai/quick' }),
  ];
}

describe('router', () => {
  describe('the design examples, on the embedded defaults', () => {
    const config = defaultConfig();

    it('sends the auth-system request to a top-quality (Opus-class) model', () => {
      const d = route(config, { text: AUTH_REQUEST });
      const best = Math.max(...Object.values(config.modelProfiles).map((p) => p.baseConvergence));
      const chosen = config.modelProfiles[d.selected];
      assert.ok(chosen);
      assert.ok(best - chosen.baseConvergence <= 0.01, `${d.selected} (${chosen.baseConvergence}) is not within 0.01 of the best (${best})`);
      assert.ok(scoreOf(d, d.selected).clearsThresholds);
      assert.equal(d.mode, 'convergence');
    });

    it('sends "rename variable x to count in utils.ts" to a cheap, fast model', () => {
      const d = route(config, { text: RENAME_REQUEST });
      const s = scoreOf(d, d.selected);
      assert.ok(s.breakdown.costNormalized >= 0.8, `cost ${s.breakdown.costNormalized}`);
      assert.ok(s.breakdown.latencyNormalized >= 0.8, `latency ${s.breakdown.latencyNormalized}`);
      const opus = scoreOf(d, 'claude-opus-4.5');
      assert.ok(s.estimate.costUsd * 5 < opus.estimate.costUsd);
    });

    it('sends the auth-system request to Claude Opus 4.5 when only Claude models are allowed', () => {
      const claude = { ...config, selection: { ...config.selection, allow: ['anthropic/*'] } };
      assert.equal(route(claude, { text: AUTH_REQUEST }).selected, 'claude-opus-4.5');
    });

    it('scores every profile with a full breakdown and words', () => {
      const d = route(config, { text: AUTH_REQUEST });
      // Every profile the default deny list leaves in the pool (see config/convergence-routing.yaml).
      const pool = Object.values(config.modelProfiles).filter((p) => !config.selection.deny.some((g) => g === p.id || g === p.kiloModel));
      assert.equal(d.scores.length, pool.length);
      for (const s of d.scores) {
        for (const v of [s.totalScore, s.breakdown.convergence, s.breakdown.latencyNormalized, s.breakdown.costNormalized]) {
          assert.ok(v >= 0 && v <= 1, `${s.modelId}: ${v}`);
        }
        assert.ok(s.recommendation.length > 0);
        assert.ok(['HIGH', 'MEDIUM', 'LOW'].includes(s.confidenceLevel));
      }
      assert.match(d.recommendation, new RegExp(`Use .*\\(${d.selected.replace('.', '\\.')}\\)`));
    });
  });

  describe('totals', () => {
    it('are the weighted sum of the breakdown, re-weighted when no pattern profile exists', () => {
      const config = aConfig(trio());
      const w = config.weights;
      const d = route(config, { text: 'add a retry loop to the client' });
      for (const s of d.scores) {
        const b = s.breakdown;
        const expected = (w.convergence * b.convergence + w.latency * b.latencyNormalized + w.cost * b.costNormalized) / (w.convergence + w.latency + w.cost);
        assert.ok(Math.abs(s.totalScore - expected) < 0.002, `${s.modelId}: ${s.totalScore} vs ${expected}`);
        assert.equal(b.patternMatch, undefined);
      }
    });

    it('include pattern match when the session has a pattern profile', () => {
      const config = aConfig(trio());
      const d = route(config, { text: 'add a retry loop to the client', patternProfile: { TIGHT_COUPLING: 4 } });
      const strong = scoreOf(d, 'strong');
      assert.equal(strong.breakdown.patternMatch, 0.5);
      assert.equal(scoreOf(d, 'quick').breakdown.patternMatch, 0);
    });

    it('let heavier cost weight move the choice to a cheaper model', () => {
      const config = aConfig(trio());
      const quality: RoutingConfig = { ...config, weights: { convergence: 0.9, latency: 0.05, cost: 0.05, patternMatch: 0 } };
      const thrift: RoutingConfig = { ...config, weights: { convergence: 0.2, latency: 0.1, cost: 0.7, patternMatch: 0 } };
      const text = 'write unit tests for the date parser';
      assert.ok(route(quality, { text }).scores.every((s) => s.clearsThresholds), 'all models clear the gate on this request');
      assert.equal(route(quality, { text }).selected, 'strong');
      assert.equal(route(thrift, { text }).selected, 'quick');
    });
  });

  describe('thresholds', () => {
    it('act as gates: a model below minConvergence ranks after every model that clears it', () => {
      const config = aConfig(trio());
      const d = route(config, { text: AUTH_REQUEST });
      const firstRisky = d.scores.findIndex((s) => !s.clearsThresholds);
      assert.ok(firstRisky > 0);
      assert.ok(d.scores.slice(firstRisky).every((s) => !s.clearsThresholds));
      const risky = d.scores[firstRisky];
      assert.ok(risky);
      assert.match(risky.warnings.join(' '), /below minConvergence 0\.65/);
      assert.match(risky.recommendation, /^Risky/);
    });

    it('warn of a risky choice when no model clears them', () => {
      const config = aConfig(trio(), { ...defaultConfig(), thresholds: { minConvergence: 0.99, minRobustness: 70 } });
      const d = route(config, { text: AUTH_REQUEST });
      assert.match(d.warnings.join('\n'), /risky choice: no candidate clears the thresholds/);
      assert.equal(d.confidenceLevel, 'LOW');
    });

    it('gate on reviewed robustness below minRobustness', () => {
      const config = aConfig(trio());
      const text = 'add a retry loop to the client';
      const before = route(config, { text });
      const d = route(config, { text }, { observations: { [before.selected]: { reviews: { count: 1, meanRobustness: 40 } } } });
      const s = scoreOf(d, before.selected);
      assert.equal(s.breakdown.robustness, 40);
      assert.equal(s.clearsThresholds, false);
      assert.match(s.warnings.join(' '), /robustness 40 is below minRobustness 70/);
      assert.notEqual(d.selected, before.selected);
    });

    it('let good reviews raise a model convergence', () => {
      const config = aConfig(trio());
      const plain = route(config, { text: AUTH_REQUEST });
      const reviewed = route(config, { text: AUTH_REQUEST }, { observations: { middle: { reviews: { count: 6, meanRobustness: 95 } } } });
      assert.ok(scoreOf(reviewed, 'middle').breakdown.convergence > scoreOf(plain, 'middle').breakdown.convergence);
      assert.equal(scoreOf(reviewed, 'middle').breakdown.robustness, 95);
    });
  });

  describe('latency fallback', () => {
    it('applies when the config disables convergence routing', () => {
      const config = aConfig(trio(), { ...defaultConfig(), enabled: false });
      const d = route(config, { text: AUTH_REQUEST });
      assert.equal(d.mode, 'latency-fallback');
      assert.equal(d.selected, 'quick');
      assert.match(d.recommendation, /latency fallback/);
      const strong = scoreOf(d, 'strong');
      assert.ok(strong.breakdown.convergence > scoreOf(d, 'quick').breakdown.convergence, 'breakdown is still reported');
      assert.equal(strong.totalScore, strong.breakdown.latencyNormalized);
    });

    it('applies when CONVERGENCE_ROUTING_ENABLED=false', () => {
      const config = aConfig(trio());
      assert.equal(route(config, { text: AUTH_REQUEST }, { env: { CONVERGENCE_ROUTING_ENABLED: 'false' } }).mode, 'latency-fallback');
      assert.equal(route(config, { text: AUTH_REQUEST }, { env: { CONVERGENCE_ROUTING_ENABLED: 'true' } }).mode, 'convergence');
      assert.equal(routingEnabled(config, { CONVERGENCE_ROUTING_ENABLED: '0' }), false);
      assert.equal(routingEnabled(config, {}), true);
    });
  });

  describe('allow and deny lists', () => {
    it('deny with a wildcard over Kilo ids', () => {
      const base = aConfig(trio());
      const config: RoutingConfig = { ...base, selection: { ...base.selection, deny: ['anthropic/*'] } };
      const d = route(config, { text: AUTH_REQUEST });
      assert.ok(!d.scores.some((s) => s.modelId === 'strong'));
    });

    it('allow only what matches, by profile id or Kilo id', () => {
      const base = aConfig(trio());
      const config: RoutingConfig = { ...base, selection: { ...base.selection, allow: ['quick', 'openai/*'] } };
      assert.deepEqual(route(config, { text: AUTH_REQUEST }).scores.map((s) => s.modelId).sort(), ['middle', 'quick']);
    });

    it('fail clearly when nothing is left', () => {
      const base = aConfig(trio());
      const config: RoutingConfig = { ...base, selection: { ...base.selection, deny: ['*'] } };
      assert.throws(() => route(config, { text: 'x' }), (e: unknown) => e instanceof RoutingError && /no candidate model is left/.test(e.message));
    });
  });

  describe('candidates', () => {
    it('can be limited to named models, by profile or Kilo id', () => {
      const d = route(aConfig(trio()), { text: AUTH_REQUEST, models: ['strong', 'x-ai/quick'] });
      assert.deepEqual(d.scores.map((s) => s.modelId).sort(), ['quick', 'strong']);
    });

    it('reject an unknown model with the list of known ones', () => {
      assert.throws(() => route(aConfig(trio()), { text: 'x', models: ['gpt-9'] }), /unknown model "gpt-9"; known: strong, middle, quick/);
    });

    it('leave out excluded models for this request', () => {
      const d = route(aConfig(trio()), { text: AUTH_REQUEST, exclude: ['strong'] });
      assert.ok(!d.scores.some((s) => s.modelId === 'strong'));
    });

    it('are found by profile id or Kilo id, case-insensitively', () => {
      const config = aConfig(trio());
      assert.equal(findProfile(config, 'ANTHROPIC/STRONG')?.id, 'strong');
      assert.equal(findProfile(config, 'Middle')?.id, 'middle');
      assert.equal(findProfile(config, 'nope'), undefined);
    });
  });

  describe('cost cap', () => {
    it('leaves out models whose estimate exceeds maxCostPerRequest', () => {
      const base = aConfig(trio());
      const config: RoutingConfig = { ...base, selection: { ...base.selection, maxCostPerRequest: 0.05 } };
      const d = route(config, { text: AUTH_REQUEST });
      const strong = scoreOf(d, 'strong');
      assert.equal(strong.eligible, false);
      assert.match(strong.warnings.join(' '), /exceeds maxCostPerRequest \$0\.05/);
      assert.notEqual(d.selected, 'strong');
      assert.ok(scoreOf(d, d.selected).estimate.costUsd <= 0.05);
      assert.match(d.warnings.join('\n'), /left out: over the cost cap/);
    });

    it('picks the cheapest and says so when every model is over the cap', () => {
      const base = aConfig(trio());
      const config: RoutingConfig = { ...base, selection: { ...base.selection, maxCostPerRequest: 0.000001 } };
      const d = route(config, { text: AUTH_REQUEST });
      assert.equal(d.selected, 'quick');
      assert.match(d.warnings.join('\n'), /every candidate exceeds maxCostPerRequest/);
    });
  });

  describe('free models', () => {
    it('score best on cost without flattening the cost scores of paid models', () => {
      const free = aProfile('free', { pricing: { input: 0, output: 0 } });
      const d = route(aConfig([...trio(), free]), { text: 'add a retry loop to the client' });
      assert.equal(scoreOf(d, 'free').breakdown.costNormalized, 1);
      const paid = ['quick', 'middle', 'strong'].map((id) => scoreOf(d, id).breakdown.costNormalized);
      assert.ok(paid[0]! > paid[1]! && paid[1]! > paid[2]!, `paid cost scores ${paid.join(', ')}`);
    });

    it('all free: every model scores 1 on cost', () => {
      const d = route(aConfig(trio().map((p) => ({ ...p, pricing: { input: 0, output: 0 } }))), { text: 'x' });
      assert.ok(d.scores.every((s) => s.breakdown.costNormalized === 1));
    });
  });

  describe('context window', () => {
    it('leaves out a model whose window cannot hold the request', () => {
      const tiny = aProfile('tiny', { baseConvergence: 0.9, contextWindow: 4000, pricing: { input: 0.01, output: 0.01 }, speed: { ttftMs: 10, outputTokensPerSec: 1000 } });
      const d = route(aConfig([...trio(), tiny]), { text: 'summarise this module', selectionLines: 3000 });
      assert.equal(scoreOf(d, 'tiny').eligible, false);
      assert.notEqual(d.selected, 'tiny');
    });
  });

  describe('stickiness', () => {
    const config = aConfig(trio());
    const text = 'add a retry loop to the client';

    it('keeps the current model when the best beats it by no more than the margin', () => {
      const free = route(config, { text });
      const second = free.scores.find((s) => s.modelId !== free.selected && s.clearsThresholds);
      assert.ok(second);
      const gap = scoreOf(free, free.selected).totalScore - second.totalScore;
      const sticky: RoutingConfig = { ...config, selection: { ...config.selection, stickiness: gap + 0.001 } };
      const d = route(sticky, { text, currentModel: second.modelId });
      assert.equal(d.selected, second.modelId);
      assert.match(d.recommendation, /Kept the current model/);
    });

    it('switches when the best beats the current model by more than the margin', () => {
      const free = route(config, { text });
      const last = free.scores.at(-1);
      assert.ok(last);
      const d = route({ ...config, selection: { ...config.selection, stickiness: 0 } }, { text, currentModel: last.modelId });
      assert.equal(d.selected, free.selected);
    });

    it('ignores a current model the router does not know', () => {
      assert.equal(route(config, { text, currentModel: 'local/unknown' }).selected, route(config, { text }).selected);
    });
  });

  describe('ties', () => {
    it('are broken by model id, so the same input always gives the same order', () => {
      const twins = [aProfile('b-twin'), aProfile('a-twin'), aProfile('c-twin')];
      const d = route(aConfig(twins), { text: 'add a log line' });
      assert.deepEqual(d.scores.map((s) => s.modelId), ['a-twin', 'b-twin', 'c-twin']);
      assert.equal(d.selected, 'a-twin');
    });

    it('same input, same output', () => {
      const config = defaultConfig();
      assert.deepEqual(route(config, { text: AUTH_REQUEST }), route(config, { text: AUTH_REQUEST }));
    });
  });

  describe('confidence', () => {
    it('is HIGH for a measured model well ahead of the runner-up', () => {
      const d = route(aConfig(trio()), { text: RENAME_REQUEST });
      const margin = (d.scores[0]?.totalScore ?? 0) - (d.scores[1]?.totalScore ?? 0);
      assert.ok(margin >= 0.03, `margin ${margin}`);
      assert.equal(d.confidenceLevel, 'HIGH');
    });

    it('is lower when the chosen model figures are only estimated', () => {
      const profiles = trio().map((p) => ({ ...p, evidence: 'estimated' as const }));
      const d = route(aConfig(profiles), { text: RENAME_REQUEST });
      assert.equal(d.confidenceLevel, 'LOW');
      assert.match(d.warnings.join('\n'), /quality figure is estimated/);
      assert.equal(scoreOf(d, d.selected).confidenceLevel, 'LOW');
    });

    it('drops one level, and only that, when the reviewer is unavailable', () => {
      const config = aConfig(trio());
      const ok = route(config, { text: RENAME_REQUEST });
      const down = route(config, { text: RENAME_REQUEST }, { reviewUnavailable: true });
      assert.equal(ok.confidenceLevel, 'HIGH');
      assert.equal(down.confidenceLevel, 'MEDIUM');
      assert.equal(down.selected, ok.selected);
      assert.deepEqual(down.scores, ok.scores);
      assert.match(down.warnings.join('\n'), /review unavailable/);
    });

    it('is LOW when two models are practically tied', () => {
      const twins = [aProfile('a-twin'), aProfile('b-twin')];
      assert.equal(route(aConfig(twins), { text: 'add a log line' }).confidenceLevel, 'LOW');
    });
  });

  describe('recommendations', () => {
    it('describe alternatives relative to the choice', () => {
      const d = route(aConfig(trio()), { text: 'add a retry loop to the client' });
      const alt = d.scores.find((s) => s.modelId !== d.selected && s.clearsThresholds);
      assert.ok(alt);
      assert.match(alt.recommendation, /^Alternative: convergence [+-]\d\.\d\d, .*(cost|cheaper), .*(slower|faster|speed)\.$/);
      assert.match(scoreOf(d, d.selected).recommendation, /^Recommended for this/);
    });
  });
});
