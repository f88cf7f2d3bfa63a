import assert from 'node:assert/strict';
import { seededRandom } from '../../../src/engine';
import type { RouteContext, RoutingConfig } from '../../../src/engine';
import type { DecisionRecord, OutcomeRecord } from '../../../src/kilo/logs';
import { DEFAULTS } from '../../../src/vscode/config';
import type { LearningConfig } from '../../../src/vscode/config';
import { KILO_COMPLETE_QUIET_MS, LEARNING_STATE_KEY, LearningService, requestKey, UNREADABLE_STATE_KEY } from '../../../src/vscode/learningService';
import type { TurnStarted } from '../../../src/vscode/learningService';
import { aConfig, aProfile } from '../../support/builders';
import { MemoryState } from '../../support/memory-state';

const T0 = Date.UTC(2026, 10, 24, 9);
const TEXT = 'fix the failing date parser in utils.ts';
const CTX: RouteContext = { observations: undefined, reviewUnavailable: false, env: {} };

// A ladder from cheap and weak to dear and strong, so escalation has somewhere to go.
const config: RoutingConfig = aConfig(
  [
    aProfile('tiny', { baseConvergence: 0.5, pricing: { input: 0.05, output: 0.4 } }),
    aProfile('mid', { baseConvergence: 0.66, pricing: { input: 1, output: 5 } }),
    aProfile('huge', { baseConvergence: 0.8, pricing: { input: 5, output: 25 } }),
  ],
  { weights: { convergence: 0.4, latency: 0, cost: 0.6, patternMatch: 0 } },
);

interface Harness {
  service: LearningService;
  store: MemoryState;
  clock: { t: number };
  settings: { current: LearningConfig };
  logs: string[];
  started: TurnStarted[];
  completed: string[];
}

function make(store = new MemoryState(), learning: Partial<LearningConfig> = {}): Harness {
  const clock = { t: T0 };
  const settings = { current: { ...DEFAULTS.learning, exploration: { maxRequestShare: 0, maxBudgetShare: 0 }, ...learning } };
  const logs: string[] = [];
  const service = new LearningService({
    config: () => config,
    settings: () => settings.current,
    store,
    now: () => clock.t,
    random: seededRandom(7),
    workspace: 'repo',
    log: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) },
  });
  const started: TurnStarted[] = [];
  const completed: string[] = [];
  service.onDidStartTurn((t) => started.push(t));
  service.onDidCompleteTurn((id) => completed.push(id));
  return { service, store, clock, settings, logs, started, completed };
}

const stats = (h: Harness, id: string) => h.service.view().models.find((m) => m.modelId === id);

describe('vscode/learningService', () => {
  it('decides a new request through the policy and starts a turn for the editor to watch', () => {
    const h = make();
    const { decision, turn } = h.service.decide({ text: TEXT }, CTX);
    assert.ok(turn);
    assert.equal(turn.attempt, 1);
    assert.equal(turn.arm, 'convergence');
    assert.deepEqual(turn.failed, []);
    assert.deepEqual(h.started, [{ turnId: turn.turnId, keptWithoutEdits: false, supersedes: undefined }]);
    assert.equal(h.service.view().arms.convergence.requests, 1);
    assert.equal(h.service.view().recent[0]?.modelId, decision.selected);
  });

  it('learns from a thumbs down: the model is observed, its rate drops and the arm counts a failure', () => {
    const h = make();
    const { decision, turn } = h.service.decide({ text: TEXT }, CTX);
    assert.ok(turn);
    assert.equal(stats(h, decision.selected), undefined, 'nothing observed before');
    h.clock.t += 60_000;
    assert.equal(h.service.thumbs(turn.turnId, false), true);
    const row = stats(h, decision.selected);
    assert.ok(row);
    assert.ok(Math.abs(row.observations - 1) < 1e-3 && Math.abs(row.failures - 1) < 1e-3);
    assert.ok(row.successRate < row.prior);
    assert.equal(h.service.view().arms.convergence.failures, 1);
    assert.deepEqual(h.service.view().recent[0]?.verdict, { success: false, decidedBy: 'thumbs', weight: 1 });
    assert.equal(h.service.view().recent[0]?.thumbs, false);
    assert.equal(h.service.thumbs('nope#1', true), false, 'an unknown turn');
  });

  it('treats the same request asked again as a failure of the last answer and escalates to a stronger model', () => {
    const h = make();
    const first = h.service.decide({ text: TEXT }, CTX);
    assert.ok(first.turn);
    h.service.markUsed(first.turn.turnId);
    h.clock.t += 5 * 60_000;
    const again = h.service.decide({ text: `  ${TEXT.toUpperCase()} ` }, CTX);
    assert.ok(again.turn);
    assert.equal(again.turn.attempt, 2);
    assert.deepEqual(again.turn.failed, [first.decision.selected]);
    assert.notEqual(again.decision.selected, first.decision.selected);
    const strength = (id: string): number => config.modelProfiles[id]?.baseConvergence ?? 0;
    assert.ok(strength(again.decision.selected) > strength(first.decision.selected), 'stronger where it failed');
    assert.match(again.turn.note ?? '', /Escalation after .* failed/);
    const firstView = h.service.view().recent.find((r) => r.turnId === first.turn?.turnId);
    assert.deepEqual(firstView?.verdict, { success: false, decidedBy: 'reasked', weight: 0.6 });
  });

  it('only re-scores when the same request is routed again before anything came of the first answer', () => {
    const h = make();
    const first = h.service.decide({ text: TEXT }, CTX);
    const again = h.service.decide({ text: TEXT }, CTX);
    assert.deepEqual(again.turn, first.turn);
    assert.equal(again.decision.selected, first.decision.selected);
    assert.equal(h.service.view().arms.convergence.attempts, 1);
    assert.equal(h.started.length, 1, 'no new turn');
    assert.equal(h.service.view().recent[0]?.verdict, undefined, 'no failure recorded');
  });

  it('escalates after a failure signal such as a thumbs down, even before the answer was used', () => {
    const h = make();
    const first = h.service.decide({ text: TEXT }, CTX);
    assert.ok(first.turn);
    h.service.thumbs(first.turn.turnId, false);
    const again = h.service.decide({ text: TEXT }, CTX);
    assert.equal(again.turn?.attempt, 2);
    assert.deepEqual(again.turn?.failed, [first.decision.selected]);
    const view = h.service.view().recent.find((r) => r.turnId === first.turn?.turnId);
    assert.equal(view?.verdict?.decidedBy, 'thumbs', 'the thumbs still decide that turn');
  });

  it('takes a re-ask after a thumbs up as a new request, without escalating', () => {
    const h = make();
    const first = h.service.decide({ text: TEXT }, CTX);
    assert.ok(first.turn);
    h.service.thumbs(first.turn.turnId, true);
    const again = h.service.decide({ text: TEXT }, CTX);
    assert.equal(again.turn?.attempt, 1);
    assert.deepEqual(again.turn?.failed, []);
    assert.equal(h.service.view().arms.convergence.requests, 2);
  });

  it('forgets a request after the re-ask window', () => {
    const h = make();
    h.service.decide({ text: TEXT }, CTX);
    h.clock.t += 2 * 60 * 60_000;
    assert.equal(h.service.decide({ text: TEXT }, CTX).turn?.attempt, 1);
  });

  it('re-scores the current attempt without recording anything', () => {
    const h = make();
    const first = h.service.decide({ text: TEXT }, CTX);
    const before = JSON.stringify(h.service.view().arms);
    const again = h.service.rescore({ text: TEXT }, CTX);
    assert.deepEqual(again.turn, first.turn);
    assert.equal(again.decision.selected, first.decision.selected);
    assert.equal(JSON.stringify(h.service.view().arms), before);
    assert.equal(h.started.length, 1);
    assert.equal(h.service.rescore({ text: 'another request' }, CTX).turn, undefined, 'another request is only previewed');
    h.service.preview({ text: 'a third one' }, CTX);
    assert.equal(JSON.stringify(h.service.view().arms), before);
  });

  it("gives later signals to the model in use when the user picks another one, outside the rollout's arms", () => {
    const h = make();
    const first = h.service.decide({ text: TEXT }, CTX);
    assert.ok(first.turn);
    const other = first.decision.selected === 'huge' ? 'tiny' : 'huge';
    const info = h.service.inUse(other);
    assert.ok(info);
    assert.equal(info.turnId, `${first.turn.turnId}~${other}`);
    assert.deepEqual(h.started.at(-1), { turnId: info.turnId, keptWithoutEdits: false, supersedes: first.turn.turnId });
    assert.equal(h.service.inUse(other)?.turnId, info.turnId, 'the same model again changes nothing');
    assert.equal(h.started.length, 2);
    h.service.thumbs(info.turnId, true);
    assert.ok(Math.abs((stats(h, other)?.successes ?? 0) - 1) < 1e-3);
    assert.equal(stats(h, first.decision.selected), undefined);
    assert.equal(h.service.view().arms.convergence.successes, 0, "the user's choice is not the arm's pick");
    assert.equal(h.service.view().recent[0]?.override, true);
    assert.equal(h.service.inUse(first.decision.selected)?.turnId, first.turn.turnId, 'back to the pick');
  });

  it('routes by the latency rule in the control arm and keeps the arms when the settings change', () => {
    const h = make(new MemoryState(), { rolloutPercent: 0 });
    const d = h.service.decide({ text: TEXT }, CTX);
    assert.equal(d.turn?.arm, 'latency');
    assert.equal(d.decision.mode, 'latency-fallback');
    assert.match(d.turn?.note ?? '', /^Latency arm of the rollout/);
    assert.equal(h.service.view().rolloutPercent, 0);
    h.settings.current = { ...h.settings.current, rolloutPercent: 100 };
    const view = h.service.view();
    assert.equal(view.rolloutPercent, 100);
    assert.equal(view.arms.latency.requests, 1, 'the experiment keeps its figures');
    assert.equal(h.service.decide({ text: 'another request' }, CTX).turn?.arm, 'convergence');
  });

  it('persists per workspace and restores what it learned', () => {
    const h = make();
    const d = h.service.decide({ text: TEXT }, CTX);
    assert.ok(d.turn);
    h.service.thumbs(d.turn.turnId, false);
    const again = make(h.store);
    assert.ok(Math.abs((stats(again, d.decision.selected)?.failures ?? 0) - 1) < 1e-3);
    assert.equal(again.service.view().arms.convergence.requests, 1);
    assert.equal(again.service.view().recent[0]?.turnId, d.turn.turnId);
    // A re-ask after a restart still escalates.
    assert.equal(again.service.decide({ text: TEXT }, CTX).turn?.attempt, 2);
    assert.deepEqual(again.logs.filter((l) => l.startsWith('error')), []);
  });

  it('logs an unreadable state, keeps it aside and starts afresh instead of failing', () => {
    const store = new MemoryState();
    const bad = { version: 1, learner: { version: 1, quality: { 'model:x': { m: 0, v: -1, v0: 1, at: 0 } }, cost: {}, latency: {}, tallies: {}, turns: [] }, policy: {} };
    store.values.set(LEARNING_STATE_KEY, bad);
    const h = make(store);
    assert.equal(h.logs.length, 1);
    assert.match(h.logs[0] ?? '', /^error the learned statistics of this workspace could not be read \(learner state: \$\.quality\["model:x"\]\.v: expected a number > 0/);
    assert.deepEqual(store.get(UNREADABLE_STATE_KEY), bad);
    assert.equal(h.service.view().models.length, 0);
    assert.ok(h.service.decide({ text: TEXT }, CTX).turn, 'routing goes on');
  });

  it('drops an unreadable part of its own bookkeeping and keeps the rest', () => {
    const h = make();
    const d = h.service.decide({ text: TEXT }, CTX);
    assert.ok(d.turn);
    h.service.thumbs(d.turn.turnId, false);
    const saved = h.store.get<Record<string, unknown>>(LEARNING_STATE_KEY);
    assert.ok(saved);
    h.store.values.set(LEARNING_STATE_KEY, { ...saved, chains: [{ key: 'x' }], kilo: 'broken' });
    const again = make(h.store);
    assert.match(again.logs.join('\n'), /warn learned statistics: dropped unreadable parts \(a request, the Kilo log position\)/);
    assert.ok(Math.abs((stats(again, d.decision.selected)?.failures ?? 0) - 1) < 1e-3);
  });

  it('hands the learned figures to the Kilo plugin only while learning is on', () => {
    const h = make();
    const d = h.service.decide({ text: TEXT }, CTX);
    assert.ok(d.turn);
    h.service.thumbs(d.turn.turnId, false);
    const base = { [d.decision.selected]: { reviews: { count: 2, meanRobustness: 80 } } };
    const learned = h.service.observations({ text: TEXT }, base);
    assert.ok(learned?.[d.decision.selected]?.outcomes, 'learned outcomes');
    assert.deepEqual(learned?.[d.decision.selected]?.reviews, base[d.decision.selected]?.reviews, 'reviews kept');
    h.settings.current = { ...h.settings.current, enabled: false };
    assert.equal(h.service.observations({ text: TEXT }, base), base);
  });

  describe('Kilo turns from the plugin logs', () => {
    const decision = (sessionID: string, at: number, model: string, text = TEXT, hash = 'h1'): DecisionRecord => ({
      ts: new Date(at).toISOString(),
      sessionID,
      requestHash: hash,
      requestPreview: text,
      selected: model,
      previous: null,
      applied: true,
      confidenceLevel: 'HIGH',
      scores: [{ modelId: model, totalScore: 0.7 }],
    });
    const outcome = (sessionID: string, at: number, model: string, costUsd: number): OutcomeRecord => ({
      ts: new Date(at).toISOString(),
      sessionID,
      modelId: model,
      costUsd,
      tokens: { input: 1000, output: 200, cacheRead: 0 },
      durationMs: 4000,
    });

    it('learns cost and latency from a completed turn, once', () => {
      const h = make();
      h.clock.t = T0 + 60 * 60_000;
      const decisions = [decision('s1', T0, 'test/mid')];
      const outcomes = [outcome('s1', T0 + 5000, 'test/mid', 0.02), outcome('s1', T0 + 9000, 'test/mid', 0.03)];
      h.service.ingestKilo(decisions, outcomes);
      const row = stats(h, 'mid');
      assert.ok(row);
      assert.ok(Math.abs(row.costObservations - 1) < 1e-3, 'one turn, not two steps');
      assert.ok(Math.abs((row.meanCostUsd ?? 0) - 0.05) < 1e-9);
      assert.ok(Math.abs((row.meanLatencyMs ?? 0) - 9000) < 1e-6);
      assert.deepEqual(h.started, [], 'an old turn is not watched in the editor');
      assert.deepEqual(h.completed, ['kilo:s1:' + String(T0)]);
      h.service.ingestKilo(decisions, outcomes);
      assert.ok(Math.abs((stats(h, 'mid')?.costObservations ?? 0) - 1) < 1e-3, 'reading the logs again adds nothing');
      assert.equal(h.service.view().recent[0]?.source, 'kilo');
      assert.equal(h.service.view().recent[0]?.costUsd, 0.05);
    });

    it('watches a live turn, completes it after a quiet minute, and counts a re-ask against the earlier turn', () => {
      const h = make();
      h.clock.t = T0 + 1000;
      const decisions = [decision('s1', T0, 'test/tiny')];
      const outcomes = [outcome('s1', T0 + 3000, 'test/tiny', 0.001)];
      h.service.ingestKilo(decisions, outcomes);
      const turnId = `kilo:s1:${T0}`;
      assert.deepEqual(h.started, [{ turnId, keptWithoutEdits: true, supersedes: undefined }]);
      assert.deepEqual(h.completed, [], 'its last step may not be in yet');
      assert.equal(h.service.pendingKiloTurns, 1);
      h.clock.t = T0 + 3000 + KILO_COMPLETE_QUIET_MS;
      h.service.ingestKilo(decisions, outcomes);
      assert.deepEqual(h.completed, [turnId]);
      assert.equal(h.service.pendingKiloTurns, 0);
      // The same request routed again ten minutes later: the first answer did not do it.
      h.clock.t = T0 + 10 * 60_000;
      h.service.ingestKilo([...decisions, decision('s1', h.clock.t - 1000, 'test/tiny')], outcomes);
      const first = h.service.view().recent.find((r) => r.turnId === turnId);
      assert.deepEqual(first?.verdict, { success: false, decidedBy: 'reasked', weight: 0.6 });
      assert.ok(Math.abs((stats(h, 'tiny')?.failures ?? 0) - 0.6) < 1e-3);
    });

    it('learns a kept live turn through the signal the editor reports', () => {
      const h = make();
      h.clock.t = T0 + 1000;
      h.service.ingestKilo([decision('s1', T0, 'test/huge')], []);
      assert.ok(h.service.record(`kilo:s1:${T0}`, { kind: 'kept' }));
      assert.ok(Math.abs((stats(h, 'huge')?.successes ?? 0) - 0.4) < 1e-3);
    });

    it('skips decisions for models no profile maps to', () => {
      const h = make();
      h.service.ingestKilo([decision('s1', T0, 'other/unknown')], []);
      assert.deepEqual(h.service.view().recent, []);
    });
  });

  it('compares requests by their words, not case or spacing', () => {
    assert.equal(requestKey('  Fix   the Parser\n'), 'fix the parser');
  });
});
