import assert from 'node:assert/strict';
import {
  analyzeRequest,
  armFor,
  conditionalSuccess,
  Learner,
  PolicySettingsError,
  priorConvergence,
  readLearningSettings,
  route,
  RoutingError,
  RoutingPolicy,
  scorePlans,
  seededRandom,
} from '../../../src/engine';
import type { PolicyDecision, PolicySettings, RoutingConfig } from '../../../src/engine';
import { ESCALATION_MARGIN } from '../../../src/engine/policy';
import { aConfig, aProfile } from '../../support/builders';

const TEXT = 'fix the failing date parser in utils.ts';
const T0 = Date.UTC(2026, 10, 24);

// A ladder from cheap and weak to dear and strong, same speed, so only quality and cost differ.
const ladder = [
  aProfile('tiny', { baseConvergence: 0.45, pricing: { input: 0.05, output: 0.4 } }),
  aProfile('small', { baseConvergence: 0.6, pricing: { input: 0.25, output: 2 } }),
  aProfile('mid', { baseConvergence: 0.66, pricing: { input: 1.25, output: 10 } }),
  aProfile('large', { baseConvergence: 0.74, pricing: { input: 2, output: 12 } }),
  aProfile('huge', { baseConvergence: 0.8, pricing: { input: 5, output: 25 } }),
];
const costly = (w: Partial<RoutingConfig['weights']>): RoutingConfig =>
  aConfig(ladder, { weights: { convergence: 0.4, latency: 0, cost: 0.6, patternMatch: 0, ...w } });

function policyFor(config: RoutingConfig, settings: Partial<PolicySettings> = {}, seed = 1, learner = new Learner()): RoutingPolicy {
  let t = T0;
  return new RoutingPolicy(config, learner, { now: () => (t += 60_000), random: seededRandom(seed) }, { exploration: { maxRequestShare: 0, maxBudgetShare: 0 }, ...settings });
}

const strengthOf = (config: RoutingConfig, id: string): number => config.modelProfiles[id]?.baseConvergence ?? NaN;

describe('engine: routing policy', () => {
  describe('escalation', () => {
    it('goes to a stronger model after each failure, never back to one that failed', () => {
      const config = costly({});
      const policy = policyFor(config);
      const failed: string[] = [];
      const order: string[] = [];
      for (let i = 0; i < 4; i++) {
        const d = policy.decide({ requestId: 'task-1', request: { text: TEXT }, failed, attemptsLeft: 4 - i });
        assert.ok(!failed.includes(d.selected), `${d.selected} already failed`);
        assert.equal(d.escalated, i > 0);
        assert.equal(d.attempt, i + 1);
        order.push(d.selected);
        policy.recordOutcome(d.turnId, { signal: { kind: 'verified', passed: false } });
        failed.push(d.selected);
      }
      for (let i = 1; i < order.length; i++) {
        assert.ok(strengthOf(config, order[i] ?? '') > strengthOf(config, order[i - 1] ?? '') + ESCALATION_MARGIN - 1e-9, `escalation order ${order.join(' → ')}`);
      }
      assert.equal(order[0], 'tiny', `cheap first when the weights favour cost: ${order.join(' → ')}`);
    });

    it('starts with a strong model when the weights favour quality', () => {
      const config = costly({ convergence: 1, cost: 0 });
      const d = policyFor(config).decide({ requestId: 'r', request: { text: TEXT }, attemptsLeft: 2 });
      assert.ok(strengthOf(config, d.selected) >= 0.74, d.selected);
    });

    it('plans a cheap first attempt only when a retry is allowed', () => {
      const config = costly({ convergence: 0.6, cost: 0.4 });
      const single = policyFor(config).decide({ requestId: 'r', request: { text: TEXT }, attemptsLeft: 1 });
      const planned = policyFor(config).decide({ requestId: 'r', request: { text: TEXT }, attemptsLeft: 2 });
      assert.equal(single.plan, undefined);
      assert.ok(planned.plan);
      assert.equal(planned.plan.first, planned.selected);
      assert.ok(planned.plan.then && strengthOf(config, planned.plan.then) > strengthOf(config, planned.selected));
      assert.ok(strengthOf(config, planned.selected) < strengthOf(config, single.selected), `${planned.selected} vs ${single.selected}`);
      assert.match(planned.reason, /then .* if it fails/);
    });

    it('conditions the remaining models on the failure, so none looks safe after one', () => {
      const config = costly({});
      const policy = policyFor(config);
      const d = policy.decide({ requestId: 'r', request: { text: TEXT }, failed: ['small'] });
      const plain = route(config, { text: TEXT });
      for (const s of d.decision.scores) {
        const before = plain.scores.find((x) => x.modelId === s.modelId)?.breakdown.convergence ?? NaN;
        assert.ok(s.breakdown.convergence < before, `${s.modelId}: ${s.breakdown.convergence} after a failure, ${before} before`);
      }
      assert.match(d.reason, /after small failed, among \d stronger/);
    });

    it('judges an escalation against the prediction it was chosen on, and marks it a retry', () => {
      const config = costly({});
      const learner = new Learner();
      const d = policyFor(config, {}, 1, learner).decide({ requestId: 'r', request: { text: TEXT }, failed: ['small'] });
      const turn = learner.toJSON().turns.find((t) => t.turnId === d.turnId);
      const profile = config.modelProfiles[d.selected];
      assert.ok(turn && profile);
      assert.equal(turn.context.retry, true);
      const plain = priorConvergence(profile, analyzeRequest({ text: TEXT }));
      assert.ok(turn.priorConvergence < plain - 0.05, `judged against ${turn.priorConvergence}, the unconditioned prediction is ${plain}`);
      const first = policyFor(config, {}, 1, learner).decide({ requestId: 'q', request: { text: TEXT } });
      assert.equal(learner.toJSON().turns.find((t) => t.turnId === first.turnId)?.context.retry, false);
    });

    it('understands failed models named by their Kilo id', () => {
      const config = costly({});
      const d = policyFor(config).decide({ requestId: 'r', request: { text: TEXT }, failed: ['test/small'] });
      assert.notEqual(d.selected, 'small');
      assert.ok(strengthOf(config, d.selected) > 0.6 + ESCALATION_MARGIN);
      assert.match(d.reason, /after small failed/);
    });

    it('takes the rest when no stronger model is left', () => {
      const config = costly({});
      const d = policyFor(config).decide({ requestId: 'r', request: { text: TEXT }, failed: ['huge'] });
      assert.notEqual(d.selected, 'huge');
      assert.match(d.reason, /no stronger model is left/);
    });

    it('says so when every model has failed', () => {
      const config = costly({});
      assert.throws(() => policyFor(config).decide({ requestId: 'r', request: { text: TEXT }, failed: ladder.map((p) => p.id) }), RoutingError);
    });
  });

  describe('plans', () => {
    it('score a cheap-then-strong plan above the strong model alone when cost matters', () => {
      const config = costly({});
      const plans = scorePlans(config, route(config, { text: TEXT }), 2);
      assert.equal(plans[0]?.first, 'tiny');
      const huge = plans.find((p) => p.first === 'huge');
      assert.ok(huge && huge.then === undefined, 'the strongest model has nothing to escalate to');
      for (const p of plans) assert.ok(p.successProbability >= (route(config, { text: TEXT }).scores.find((s) => s.modelId === p.first)?.breakdown.convergence ?? 1) - 1e-9);
    });

    it('gate on the plan, not the first model alone', () => {
      const config = costly({});
      const plans = scorePlans(config, route(config, { text: TEXT }), 2);
      const tiny = plans.find((p) => p.first === 'tiny');
      assert.ok(tiny && tiny.clearsThresholds, 'a weak first model is fine when the plan clears minConvergence');
    });
  });

  describe('conditional success', () => {
    it('equals the plain rate with no spread or no failure', () => {
      assert.equal(conditionalSuccess([0.6], 0.74, 0), 0.74);
      assert.equal(conditionalSuccess([], 0.74, 2), 0.74);
    });

    it('falls as failures pile up, and rises with the next model strength', () => {
      const one = conditionalSuccess([0.6], 0.74, 2);
      const two = conditionalSuccess([0.6, 0.66], 0.74, 2);
      assert.ok(one < 0.74 && two < one, `${two} < ${one} < 0.74`);
      assert.ok(conditionalSuccess([0.6], 0.8, 2) > one);
      assert.ok(conditionalSuccess([0.6], 0.74, 3) < one, 'a wider spread says more about the task');
    });
  });

  describe('rollout', () => {
    it('assigns a request to the same arm every time, in about the stated share', () => {
      let convergence = 0;
      for (let i = 0; i < 2000; i++) {
        const arm = armFor(`req-${i}`, 30);
        assert.equal(armFor(`req-${i}`, 30), arm);
        if (arm === 'convergence') convergence++;
      }
      assert.ok(convergence > 520 && convergence < 680, `${convergence} of 2000`);
      assert.equal(armFor('x', 0), 'latency');
      assert.equal(armFor('x', 100), 'convergence');
    });

    it('routes the latency arm by the old rule and keeps outcomes per arm', () => {
      const fast = aProfile('fast', { baseConvergence: 0.4, speed: { ttftMs: 200, outputTokensPerSec: 300 } });
      const config = aConfig([...ladder, fast]);
      const policy = policyFor(config, { rolloutPercent: 50 });
      const byArm: Record<string, PolicyDecision[]> = { convergence: [], latency: [] };
      for (let i = 0; i < 40; i++) {
        const d = policy.decide({ requestId: `req-${i}`, request: { text: TEXT } });
        byArm[d.arm]?.push(d);
        policy.recordOutcome(d.turnId, { signal: { kind: 'verified', passed: d.arm === 'convergence' }, costUsd: 0.1, latencyMs: 1000 });
      }
      assert.ok((byArm['latency']?.length ?? 0) > 5 && (byArm['convergence']?.length ?? 0) > 5);
      for (const d of byArm['latency'] ?? []) {
        assert.equal(d.selected, 'fast');
        assert.equal(d.decision.mode, 'latency-fallback');
      }
      for (const d of byArm['convergence'] ?? []) assert.notEqual(d.selected, 'fast');
      const cmp = policy.armComparison();
      assert.equal(cmp.rolloutPercent, 50);
      assert.equal(cmp.arms.latency.requests, byArm['latency']?.length);
      assert.equal(cmp.arms.latency.successRate, 0);
      assert.equal(cmp.arms.convergence.successRate, 1);
      assert.ok(Math.abs((cmp.arms.convergence.meanCostUsd ?? 0) - 0.1) < 1e-12);
      assert.equal(cmp.arms.convergence.meanLatencyMs, 1000);
    });

    it('moves an arm figure when a later signal changes a verdict', () => {
      const policy = policyFor(costly({}));
      const d = policy.decide({ requestId: 'r', request: { text: TEXT } });
      policy.recordOutcome(d.turnId, { signal: { kind: 'kept' } });
      assert.equal(policy.armComparison().arms.convergence.successes, 0.4);
      policy.recordOutcome(d.turnId, { signal: { kind: 'reverted' } });
      const arm = policy.armComparison().arms.convergence;
      assert.equal(arm.successes, 0);
      assert.equal(arm.failures, 0.8);
      assert.equal(policy.recordOutcome('unknown', { signal: { kind: 'kept' } }), undefined);
    });
  });

  describe('exploration', () => {
    it('never explores more than its share of decisions or of spend', () => {
      const config = aConfig(ladder.map((p) => ({ ...p, evidence: 'estimated' as const })), { weights: { convergence: 0.7, latency: 0, cost: 0.3, patternMatch: 0 } });
      const share = 0.1;
      const policy = policyFor(config, { exploration: { maxRequestShare: share, maxBudgetShare: share } }, 3);
      let explored = 0;
      for (let i = 0; i < 300; i++) {
        const d = policy.decide({ requestId: `r${i}`, request: { text: TEXT } });
        if (d.explored) explored++;
        const stats = policy.explorationStats();
        assert.ok(stats.explored <= share * stats.decisions + 1e-9, `request share ${stats.explored}/${stats.decisions}`);
        assert.ok(stats.exploreSpendUsd <= share * stats.spendUsd + 1e-9, `budget share ${stats.exploreSpendUsd}/${stats.spendUsd}`);
        policy.recordOutcome(d.turnId, { signal: { kind: 'verified', passed: i % 3 !== 0 } });
      }
      assert.ok(explored > 5, `explored ${explored} times: the bound must be what limits it`);
      assert.match(
        (() => {
          const p = policyFor(config, { exploration: { maxRequestShare: 1, maxBudgetShare: 1 } }, 3);
          for (let i = 0; i < 50; i++) {
            const d = p.decide({ requestId: `r${i}`, request: { text: TEXT } });
            if (d.explored) return d.reason;
          }
          return '';
        })(),
        /Exploring: a draw from the learned posteriors preferred/,
      );
    });

    it('does not explore with a zero share, nor with learning off', () => {
      const config = costly({});
      for (const settings of [{ exploration: { maxRequestShare: 0, maxBudgetShare: 1 } }, { learning: false, exploration: { maxRequestShare: 1, maxBudgetShare: 1 } }]) {
        const policy = policyFor(config, settings, 9);
        for (let i = 0; i < 50; i++) assert.equal(policy.decide({ requestId: `r${i}`, request: { text: TEXT } }).explored, false);
      }
    });

    it('repeats the same decisions for the same seed', () => {
      const config = costly({ convergence: 0.7, cost: 0.3 });
      const run = (seed: number): string[] => {
        const policy = policyFor(config, { exploration: { maxRequestShare: 0.3, maxBudgetShare: 0.5 } }, seed);
        return Array.from({ length: 60 }, (_, i) => {
          const d = policy.decide({ requestId: `r${i}`, request: { text: TEXT } });
          policy.recordOutcome(d.turnId, { signal: { kind: 'verified', passed: i % 2 === 0 }, costUsd: 0.01 });
          return d.selected;
        });
      };
      assert.deepEqual(run(4), run(4));
    });
  });

  describe('scoring without recording', () => {
    it('scores an attempt as decide() does but starts no turn, moves no counter and never explores', () => {
      const config = costly({ convergence: 0.7, cost: 0.3 });
      const policy = policyFor(config, { exploration: { maxRequestShare: 1, maxBudgetShare: 1 } }, 5);
      const first = policy.decide({ requestId: 'r1', request: { text: TEXT } });
      policy.recordOutcome(first.turnId, { signal: { kind: 'verified', passed: false } });
      const arms = JSON.stringify(policy.armComparison());
      const stats = policy.explorationStats();
      for (let i = 0; i < 20; i++) {
        const dry = policy.decide({ requestId: 'r2', request: { text: TEXT }, failed: [first.selected] }, { record: false });
        assert.equal(dry.explored, false);
        assert.equal(dry.turnId, 'r2#2');
        assert.equal(dry.escalated, true);
        assert.notEqual(dry.selected, first.selected);
      }
      assert.equal(JSON.stringify(policy.armComparison()), arms);
      assert.deepEqual(policy.explorationStats(), stats);
      assert.equal(policy.learner.hasTurn('r2#2'), false);
      assert.equal(policy.recordOutcome('r2#2', { signal: { kind: 'thumbs', up: true } }), undefined, 'no turn to record against');
    });
  });

  describe('route context', () => {
    it('passes a failing reviewer and the environment through to the engine in the convergence arm', () => {
      const config = costly({ convergence: 0.7, cost: 0.3 });
      const plain = policyFor(config).decide({ requestId: 'r1', request: { text: TEXT } }, { record: false });
      const degraded = policyFor(config).decide({ requestId: 'r1', request: { text: TEXT }, reviewUnavailable: true }, { record: false });
      assert.deepEqual(degraded.decision, route(config, { text: TEXT }, { observations: {}, reviewUnavailable: true }));
      assert.notDeepEqual(degraded.decision.warnings, plain.decision.warnings);
      const off = policyFor(config).decide({ requestId: 'r1', request: { text: TEXT }, env: { CONVERGENCE_ROUTING_ENABLED: 'false' } }, { record: false });
      assert.equal(off.decision.mode, 'latency-fallback');
      assert.equal(off.arm, 'convergence');
    });
  });

  describe('learning', () => {
    it('routes on profiles alone when learning is off', () => {
      const config = costly({ convergence: 0.7, cost: 0.3 });
      const learner = new Learner();
      const policy = policyFor(config, { learning: false }, 1, learner);
      for (let i = 0; i < 10; i++) {
        const d = policy.decide({ requestId: `r${i}`, request: { text: TEXT } });
        assert.equal(d.selected, route(config, { text: TEXT }).selected);
        policy.recordOutcome(d.turnId, { signal: { kind: 'verified', passed: false }, costUsd: 5 });
      }
      assert.ok((learner.summary(config, T0).find((s) => s.observations > 0)?.observations ?? 0) > 0, 'it still records, for the statistics view');
    });

    it('moves away from a model that keeps failing when learning is on', () => {
      const config = costly({ convergence: 0.7, cost: 0.3 });
      const policy = policyFor(config);
      const first = policy.decide({ requestId: 'r0', request: { text: TEXT } }).selected;
      let last = first;
      for (let i = 0; i < 30; i++) {
        const d = policy.decide({ requestId: `r${i + 1}`, request: { text: TEXT } });
        last = d.selected;
        policy.recordOutcome(d.turnId, { signal: { kind: 'verified', passed: d.selected !== first } });
      }
      assert.notEqual(last, first);
    });
  });

  describe('other observations', () => {
    it('routes with the reviewer observations it is given, beside what it learned', () => {
      const config = costly({ convergence: 0.7, cost: 0.3 });
      const plain = policyFor(config).decide({ requestId: 'r', request: { text: TEXT } });
      const reviews = { [plain.selected]: { reviews: { count: 20, meanRobustness: 5 } } };
      const reviewed = policyFor(config).decide({ requestId: 'r', request: { text: TEXT }, observations: reviews });
      assert.notEqual(reviewed.selected, plain.selected, 'twenty poor reviews move the choice');
      const score = reviewed.decision.scores.find((s) => s.modelId === plain.selected);
      assert.equal(score?.breakdown.robustness, 5);
      const off = policyFor(config, { learning: false }).decide({ requestId: 'r', request: { text: TEXT }, observations: reviews });
      assert.equal(off.decision.scores.find((s) => s.modelId === plain.selected)?.breakdown.robustness, 5, 'reviews are not learning: they count with learning off');
    });
  });

  describe('persistence', () => {
    it('carries the arms, the exploration counters and open turns across a restart', () => {
      const config = costly({});
      const learner = new Learner();
      const policy = policyFor(config, { rolloutPercent: 50 }, 1, learner);
      const decisions = Array.from({ length: 10 }, (_, i) => policy.decide({ requestId: `r${i}`, request: { text: TEXT } }));
      for (const d of decisions.slice(0, 5)) policy.recordOutcome(d.turnId, { signal: { kind: 'kept' }, costUsd: 0.2 });
      const state = JSON.parse(JSON.stringify(policy.toJSON())) as unknown;
      const restoredLearner = Learner.fromJSON(JSON.parse(JSON.stringify(learner.toJSON())));
      const restored = new RoutingPolicy(config, restoredLearner, { now: () => T0 + 3_600_000, random: seededRandom(1) }, { rolloutPercent: 50 }, state as never);
      assert.deepEqual(restored.armComparison(), policy.armComparison());
      assert.deepEqual(restored.explorationStats(), policy.explorationStats());
      // A revert arriving after the restart still reaches the turn it belongs to.
      const late = decisions[0];
      assert.ok(late);
      const change = restored.recordOutcome(late.turnId, { signal: { kind: 'reverted' } });
      assert.equal(change?.before?.decidedBy, 'kept');
      const arm = restored.armComparison().arms[late.arm];
      assert.equal(arm.failures, policy.armComparison().arms[late.arm].failures + 0.8);
    });

    it('refuses a damaged state, naming the field', () => {
      const config = costly({});
      const good = JSON.parse(JSON.stringify(policyFor(config).toJSON())) as Record<string, unknown>;
      const make = (state: unknown): RoutingPolicy => new RoutingPolicy(config, new Learner(), { now: () => T0, random: seededRandom(1) }, {}, state as never);
      assert.throws(() => make({ ...good, version: 3 }), /policy state: \$\.version: unsupported version/);
      assert.throws(() => make({ ...good, arms: { convergence: {}, latency: {} } }), /\$\.arms\.convergence\.requests: expected a finite number/);
      assert.throws(() => make({ ...good, turns: [['t', { arm: 'fast', estimateUsd: 0 }]] }), /\$\.turns\[0\]\[1\]\.arm: expected convergence or latency/);
      assert.throws(() => make({ ...good, turns: [[1, 2]] }), /\$\.turns\[0\]: expected \[turnId, turn\]/);
      assert.throws(() => make({ ...good, exploration: null }), /\$\.exploration: expected an object/);
    });
  });

  describe('settings', () => {
    it('reads settings with defaults for what is missing', () => {
      const r = readLearningSettings({ rolloutPercent: 25, exploration: { maxRequestShare: 0.02 }, halfLifeDays: 7 });
      assert.equal(r.policy.rolloutPercent, 25);
      assert.equal(r.policy.exploration.maxRequestShare, 0.02);
      assert.equal(r.policy.exploration.maxBudgetShare, 0.05);
      assert.equal(r.policy.learning, true);
      assert.equal(r.learner.halfLifeMs, 7 * 86_400_000);
      assert.deepEqual(readLearningSettings(undefined).learner, {});
    });

    it('names the setting and the value it cannot use', () => {
      const bad: [unknown, RegExp][] = [
        [{ rolloutPercent: 150 }, /learning\.rolloutPercent: expected a number from 0 to 100 \(got 150\)/],
        [{ enabled: 'yes' }, /learning\.enabled: expected true or false \(got "yes"\)/],
        [{ exploration: { maxShare: 0.1 } }, /learning\.exploration\.maxShare: unknown setting/],
        [{ exploration: 3 }, /learning\.exploration: expected an object/],
        [{ rollout: 5 }, /learning\.rollout: unknown setting; known: enabled, rolloutPercent/],
        [[1], /learning: expected an object/],
        [{ taskSpread: -1 }, /learning\.taskSpread: expected a number from 0 to 10/],
      ];
      for (const [value, message] of bad) {
        assert.throws(() => readLearningSettings(value), (e: unknown) => e instanceof PolicySettingsError && message.test(e.message));
      }
    });
  });
});
