import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  analyzeRequest,
  Learner,
  LearnerStateError,
  outcomesFor,
  priorConvergence,
  qualityForConvergence,
  route,
  seededRandom,
  taskClassOf,
  turnStartFor,
  usageFor,
} from '../../../src/engine';
import type { OutcomeSignal, RequestAnalysis, TaskContext } from '../../../src/engine';
import { convergence, estimateCostUsd, hardness, observedQuality, PRIOR_STRENGTH, strengthBonus } from '../../../src/engine/scoring';
import { aConfig, aProfile } from '../../support/builders';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 24);
const TEXT = 'fix the failing date parser in utils.ts';

const strong = aProfile('strong', { baseConvergence: 0.74, pricing: { input: 3, output: 15 } });
const cheap = aProfile('cheap', { baseConvergence: 0.6, pricing: { input: 0.25, output: 2 } });
const guess = aProfile('guess', { baseConvergence: 0.6, evidence: 'estimated' });
const config = aConfig([strong, cheap, guess]);
const analysis: RequestAnalysis = analyzeRequest({ text: TEXT });
const ctx = (workspace?: string, retry = false): TaskContext => ({ workspace, taskClass: taskClassOf(analysis), retry });

let turnNo = 0;
/** Starts a turn for a model and gives it one signal (and optionally a cost). */
function observe(
  learner: Learner,
  modelId: string,
  signal: OutcomeSignal,
  opts: { now?: number; workspace?: string; costUsd?: number; latencyMs?: number; retry?: boolean } = {},
): string {
  const profile = config.modelProfiles[modelId];
  assert.ok(profile);
  const turnId = `t${++turnNo}`;
  const now = opts.now ?? T0;
  learner.startTurn(
    {
      turnId,
      modelId,
      context: ctx(opts.workspace, opts.retry),
      priorConvergence: priorConvergence(profile, analysis),
      evidence: profile.evidence,
      predictedCostUsd: estimateCostUsd(profile, analysis),
      predictedLatencyMs: 10_000,
    },
    now,
  );
  if (opts.costUsd !== undefined || opts.latencyMs !== undefined) learner.recordUsage(turnId, { costUsd: opts.costUsd, latencyMs: opts.latencyMs }, now);
  learner.signal(turnId, signal, now);
  return turnId;
}

const verified = (passed: boolean): OutcomeSignal => ({ kind: 'verified', passed });
const conv = (l: Learner, id: string, now = T0, workspace?: string): number => {
  const d = route(config, { text: TEXT }, { observations: l.observations(config, analysis, ctx(workspace), now) });
  const s = d.scores.find((x) => x.modelId === id);
  assert.ok(s);
  return s.breakdown.convergence;
};

describe('engine: learner', () => {
  beforeEach(() => {
    turnNo = 0;
  });

  it('changes nothing before it has seen anything', () => {
    const l = new Learner();
    assert.deepEqual(l.observations(config, analysis, ctx('repo'), T0), {});
    const plain = route(config, { text: TEXT });
    const withLearner = route(config, { text: TEXT }, { observations: l.observations(config, analysis, ctx('repo'), T0) });
    assert.deepEqual(withLearner.scores, plain.scores);
  });

  it('raises a model after successes and lowers it after failures, by the signal weight', () => {
    const up = new Learner();
    const down = new Learner();
    const weak = new Learner();
    for (let i = 0; i < 5; i++) {
      observe(up, 'cheap', verified(true));
      observe(down, 'cheap', verified(false));
      observe(weak, 'cheap', { kind: 'kept' });
    }
    const prior = priorConvergence(cheap, analysis);
    assert.ok(up.predict(cheap, analysis, ctx(), T0) > prior);
    assert.ok(down.predict(cheap, analysis, ctx(), T0) < prior);
    const kept = weak.predict(cheap, analysis, ctx(), T0);
    assert.ok(kept > prior && kept < up.predict(cheap, analysis, ctx(), T0), 'a kept change counts less than a verified one');
  });

  it('hands route() exactly the learned prediction through its observations', () => {
    const l = new Learner();
    for (let i = 0; i < 6; i++) observe(l, 'cheap', verified(i % 3 !== 0));
    for (let i = 0; i < 4; i++) observe(l, 'strong', verified(false));
    for (const p of [cheap, strong, guess]) {
      assert.ok(Math.abs(conv(l, p.id) - l.predict(p, analysis, ctx(), T0)) < 0.0015, p.id);
    }
  });

  it('blames a hard workspace on the workspace, not on the model that worked there', () => {
    const l = new Learner();
    for (let i = 0; i < 12; i++) observe(l, 'cheap', verified(false), { workspace: 'hard-repo' });
    const contexts = l.contexts(T0);
    const ws = contexts.find((c) => c.key === 'ws:hard-repo');
    assert.ok(ws && ws.offset < 0);
    const [stats] = l.summary(config, T0).filter((s) => s.modelId === 'cheap');
    assert.ok(stats);
    // The model's own figure moves less than the workspace's: both explain the failures.
    assert.ok(Math.abs(Math.log(stats.successRate / (1 - stats.successRate)) - Math.log(0.6 / 0.4)) < Math.abs(ws.offset));
    assert.equal(ws.observations, 12);
    assert.equal(stats.failures, 12);
  });

  it('keeps escalations apart: their failures move a shared retry effect and blame the model less than first attempts would', () => {
    const asRetries = new Learner();
    const asFirsts = new Learner();
    for (let i = 0; i < 10; i++) {
      observe(asRetries, 'strong', verified(false), { workspace: 'w', retry: true });
      observe(asFirsts, 'strong', verified(false), { workspace: 'w' });
    }
    const retry = asRetries.contexts(T0).find((c) => c.key === 'retry');
    assert.ok(retry && retry.offset < 0 && retry.observations === 10, JSON.stringify(retry));
    assert.equal(asFirsts.contexts(T0).find((c) => c.key === 'retry'), undefined);
    const own = (l: Learner): number => l.predict(strong, analysis, ctx('w'), T0);
    assert.ok(own(asRetries) > own(asFirsts), `after retries ${own(asRetries)}, after first attempts ${own(asFirsts)}`);
    assert.ok(own(asRetries) < priorConvergence(strong, analysis), 'the model still takes its share');
  });

  it('learns what retries cost apart from what the models that took them cost', () => {
    const l = new Learner();
    const predicted = estimateCostUsd(strong, analysis);
    for (let i = 0; i < 12; i++) {
      observe(l, 'strong', verified(true), { costUsd: predicted * 2 });
      observe(l, 'strong', verified(true), { costUsd: predicted * 8, retry: true });
    }
    const estimate = (retry: boolean): number =>
      route(config, { text: TEXT }, { observations: l.observations(config, analysis, ctx(undefined, retry), T0) }).scores.find((x) => x.modelId === 'strong')?.estimate.costUsd ?? NaN;
    const first = estimate(false) / predicted;
    const again = estimate(true) / predicted;
    assert.ok(first > 1.5 && first < 3, `first attempts cost ${first}x the prediction`);
    assert.ok(again > 2 * first, `retries ${again}x against first attempts ${first}x`);
  });

  it('learns a model per task class on top of its overall figure', () => {
    const l = new Learner();
    for (let i = 0; i < 8; i++) observe(l, 'cheap', verified(true));
    const other: RequestAnalysis = { ...analysis, difficulty: 0.9 };
    assert.notEqual(taskClassOf(other), taskClassOf(analysis));
    const here = l.predict(cheap, analysis, ctx(), T0) - priorConvergence(cheap, analysis);
    const there = l.predict(cheap, other, { taskClass: taskClassOf(other) }, T0) - priorConvergence(cheap, other);
    assert.ok(there > 0, 'the overall effect carries over to other classes');
    const lo = (p: number): number => Math.log(p / (1 - p));
    const shiftHere = lo(l.predict(cheap, analysis, ctx(), T0)) - lo(priorConvergence(cheap, analysis));
    const shiftThere = lo(l.predict(cheap, other, { taskClass: taskClassOf(other) }, T0)) - lo(priorConvergence(cheap, other));
    assert.ok(shiftHere > shiftThere, 'the class where it succeeded gains more');
    assert.ok(here > 0);
  });

  it('moves a model with an estimated profile faster than a measured one', () => {
    const l = new Learner();
    for (let i = 0; i < 4; i++) {
      observe(l, 'guess', verified(true));
      observe(l, 'cheap', verified(true));
    }
    assert.ok(l.predict(guess, analysis, ctx(), T0) > l.predict(cheap, analysis, ctx(), T0));
  });

  it('lets evidence decay: its precision halves every half-life and fades back to the prior', () => {
    const l = new Learner({ halfLifeMs: 10 * DAY });
    for (let i = 0; i < 10; i++) observe(l, 'cheap', verified(false));
    const prior = priorConvergence(cheap, analysis);
    const now = l.predict(cheap, analysis, ctx(), T0);
    const later = l.predict(cheap, analysis, ctx(), T0 + 10 * DAY);
    const muchLater = l.predict(cheap, analysis, ctx(), T0 + 400 * DAY);
    assert.ok(now < later && later < prior, `${now} < ${later} < ${prior}`);
    assert.ok(Math.abs(muchLater - prior) < 1e-6);
    const counts = l.summary(config, T0 + 10 * DAY).find((s) => s.modelId === 'cheap');
    assert.ok(counts && Math.abs(counts.observations - 5) < 1e-9, `observations after one half-life: ${counts?.observations}`);
  });

  it('takes back a kept change when it is reverted later', () => {
    const l = new Learner();
    const turn = observe(l, 'cheap', { kind: 'kept' });
    assert.ok(l.predict(cheap, analysis, ctx(), T0) > priorConvergence(cheap, analysis));
    const change = l.signal(turn, { kind: 'reverted' }, T0 + 60_000);
    assert.equal(change?.before?.success, true);
    assert.equal(change?.after?.success, false);
    const onlyReverted = new Learner();
    observe(onlyReverted, 'cheap', { kind: 'reverted' }, { now: T0 + 60_000 });
    const a = l.predict(cheap, analysis, ctx(), T0 + 60_000);
    const b = onlyReverted.predict(cheap, analysis, ctx(), T0 + 60_000);
    assert.ok(a < priorConvergence(cheap, analysis));
    assert.ok(Math.abs(a - b) < 0.01, `kept-then-reverted ${a} against reverted ${b}`);
    const stats = l.summary(config, T0 + 60_000).find((s) => s.modelId === 'cheap');
    assert.ok(stats && Math.abs(stats.successes) < 1e-9 && Math.abs(stats.failures - 0.8) < 1e-9);
  });

  it('learns what a model really costs and carries the shared part to models not yet seen', () => {
    const l = new Learner();
    const predicted = estimateCostUsd(cheap, analysis);
    for (let i = 0; i < 12; i++) observe(l, 'cheap', verified(true), { costUsd: predicted * 10 });
    const d = route(config, { text: TEXT }, { observations: l.observations(config, analysis, ctx(), T0) });
    const est = (id: string): number => d.scores.find((s) => s.modelId === id)?.estimate.costUsd ?? NaN;
    const ratio = est('cheap') / predicted;
    assert.ok(ratio > 7 && ratio < 10.5, `learned ratio ${ratio}`);
    const unseen = est('strong') / estimateCostUsd(strong, analysis);
    assert.ok(unseen > 2 && unseen < ratio, `unseen model ratio ${unseen}`);
    const stats = l.summary(config, T0).find((s) => s.modelId === 'cheap');
    assert.ok(stats && Math.abs((stats.meanCostUsd ?? 0) - predicted * 10) < 1e-12);
    assert.equal(stats.costObservations, 12);
  });

  it('learns latency the same way', () => {
    const l = new Learner();
    for (let i = 0; i < 10; i++) observe(l, 'strong', verified(true), { latencyMs: 40_000 });
    const stats = l.summary(config, T0).find((s) => s.modelId === 'strong');
    assert.ok(stats?.latencyRatio !== undefined && stats.latencyRatio > 3 && stats.latencyRatio < 4.1, `ratio ${stats?.latencyRatio}`);
    assert.equal(stats.meanLatencyMs, 40_000);
  });

  it('takes usage once per turn', () => {
    const l = new Learner();
    const turn = observe(l, 'cheap', verified(true), { costUsd: 1 });
    assert.equal(l.recordUsage(turn, { costUsd: 5 }, T0), true);
    assert.equal(l.summary(config, T0).find((s) => s.modelId === 'cheap')?.costObservations, 1);
  });

  it('forgets the oldest turns beyond maxTurns, and ignores signals for them', () => {
    const l = new Learner({ maxTurns: 3 });
    const first = observe(l, 'cheap', verified(true));
    for (let i = 0; i < 3; i++) observe(l, 'cheap', verified(true));
    assert.equal(l.hasTurn(first), false);
    assert.equal(l.signal(first, { kind: 'reverted' }, T0), undefined);
    assert.equal(l.signal('never-started', { kind: 'kept' }, T0), undefined);
    assert.equal(l.recordUsage('never-started', { costUsd: 1 }, T0), false);
  });

  it('draws effects from the posterior when sampling, reproducibly for a seed', () => {
    const l = new Learner();
    observe(l, 'cheap', verified(true));
    const mean = l.observations(config, analysis, ctx(), T0);
    const a = l.observations(config, analysis, ctx(), T0, { sample: seededRandom(5) });
    const b = l.observations(config, analysis, ctx(), T0, { sample: seededRandom(5) });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, mean);
    assert.ok(a['strong']?.outcomes, 'models never observed are sampled too');
  });

  it('leaves out what it learned when asked, and still applies an adjustment', () => {
    const l = new Learner();
    for (let i = 0; i < 5; i++) observe(l, 'cheap', verified(true), { costUsd: 3 });
    const plain = l.observations(config, analysis, ctx(), T0, { learned: false });
    assert.deepEqual(plain, {});
    const halved = l.observations(config, analysis, ctx(), T0, { learned: false, adjust: (c) => c / 2 });
    const d = route(config, { text: TEXT }, { observations: halved });
    const s = d.scores.find((x) => x.modelId === 'strong');
    assert.ok(s && Math.abs(s.breakdown.convergence - priorConvergence(strong, analysis) / 2) < 0.0015);
  });

  it('survives a JSON round trip', () => {
    const l = new Learner();
    for (let i = 0; i < 4; i++) observe(l, 'cheap', verified(i > 0), { workspace: 'w', costUsd: 0.1 });
    observe(l, 'strong', verified(true), { workspace: 'w', costUsd: 0.3, retry: true });
    const copy = Learner.fromJSON(JSON.parse(JSON.stringify(l.toJSON())));
    assert.deepEqual(copy.contexts(T0), l.contexts(T0));
    assert.equal(copy.toJSON().turns.find((t) => t.turnId === 't5')?.context.retry, true);
    assert.deepEqual(copy.observations(config, analysis, ctx('w'), T0 + DAY), l.observations(config, analysis, ctx('w'), T0 + DAY));
    assert.deepEqual(copy.summary(config, T0), l.summary(config, T0));
    // Turns come back too: a late revert still reaches the restored learner.
    assert.ok(copy.signal('t4', { kind: 'reverted' }, T0));
  });

  it('refuses a damaged state, naming the field', () => {
    const good = (): Record<string, unknown> => JSON.parse(JSON.stringify(new Learner().toJSON())) as Record<string, unknown>;
    assert.throws(() => Learner.fromJSON(null), /learner state: \$: expected an object/);
    assert.throws(() => Learner.fromJSON({ ...good(), version: 2 }), /\$\.version: unsupported version/);
    assert.throws(() => Learner.fromJSON({ ...good(), quality: { 'model:x': { m: 0, v: -1, v0: 1, at: 0 } } }), (e: unknown) => {
      assert.ok(e instanceof LearnerStateError);
      assert.match(e.message, /\$\.quality\["model:x"\]\.v: expected a number > 0 \(got -1\)/);
      return true;
    });
    assert.throws(() => Learner.fromJSON({ ...good(), turns: 'x' }), /\$\.turns: expected an array/);
    const l = new Learner();
    observe(l, 'cheap', verified(true));
    const state = JSON.parse(JSON.stringify(l.toJSON())) as { turns: { signals: unknown[]; evidence: unknown }[] };
    state.turns[0]!.signals = [{ kind: 'maybe' }];
    assert.throws(() => Learner.fromJSON(state), /\$\.turns\[0\]\.signals\[0\]\.kind: unknown signal kind \(got "maybe"\)/);
    state.turns[0]!.signals = [];
    state.turns[0]!.evidence = 'rumour';
    assert.throws(() => Learner.fromJSON(state), /\$\.turns\[0\]\.evidence: expected measured, derived or estimated/);
  });

  it('reports every profile in the summary, with a credible interval around the rate', () => {
    const l = new Learner();
    for (let i = 0; i < 3; i++) observe(l, 'strong', verified(true));
    const s = l.summary(config, T0);
    assert.deepEqual(
      s.map((x) => x.modelId),
      ['strong', 'cheap', 'guess'],
    );
    for (const x of s) assert.ok(x.interval[0] <= x.successRate && x.successRate <= x.interval[1]);
    const unseen = s.find((x) => x.modelId === 'guess');
    assert.ok(unseen && unseen.observations === 0 && unseen.successRate === 0.6 && unseen.meanCostUsd === undefined);
    assert.ok(s[0] && s[0].lastObservedAt === T0);
  });
});

describe('engine: turns the policy did not decide', () => {
  it('turnStartFor records the same prior figures as a policy decision would', () => {
    const turn = turnStartFor(cheap, analysis, 'kilo:s1:1', ctx('repo'));
    assert.deepEqual(turn, {
      turnId: 'kilo:s1:1',
      modelId: 'cheap',
      context: ctx('repo'),
      priorConvergence: priorConvergence(cheap, analysis),
      evidence: cheap.evidence,
      predictedCostUsd: estimateCostUsd(cheap, analysis),
      predictedLatencyMs: turn.predictedLatencyMs,
    });
    assert.ok(turn.predictedLatencyMs > 0);
  });

  it('a turn started from turnStartFor learns from its signals like any other', () => {
    const learner = new Learner();
    learner.startTurn(turnStartFor(cheap, analysis, 't1', ctx()), T0);
    const change = learner.signal('t1', { kind: 'thumbs', up: false }, T0 + 1000);
    assert.equal(change?.after?.success, false);
    const row = learner.summary(config, T0 + 2000).find((r) => r.modelId === 'cheap');
    assert.ok(Math.abs((row?.failures ?? 0) - 1) < 1e-3, 'one full failure (decayed by a second)');
    assert.ok((row?.successRate ?? 1) < cheap.baseConvergence);
  });
});

describe('engine: learner arithmetic', () => {
  it('outcomesFor makes the engine prior blend land on the asked quality', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.double({ min: 0, max: 500, noNaN: true }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (q, n, base) => {
        const o = outcomesFor(q, n, base);
        assert.ok(o.successes >= 0 && o.failures >= -1e-9);
        assert.ok(o.successes + o.failures >= n - 1e-9);
        const got = observedQuality(aProfile('p', { baseConvergence: base }), { outcomes: o });
        assert.ok(Math.abs(got - q) < 1e-9, `${got} vs ${q}`);
      }),
    );
  });

  it('usageFor makes the engine usage blend land on the target', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-4, max: 10, noNaN: true }), fc.double({ min: 1e-4, max: 10, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), (prior, target, count) => {
        const u = usageFor(prior, target, count);
        assert.ok(u.mean > 0 && u.count >= count);
        const blended = (PRIOR_STRENGTH * prior + u.count * u.mean) / (PRIOR_STRENGTH + u.count);
        assert.ok(Math.abs(blended - target) / target < 1e-9);
      }),
    );
  });

  it('qualityForConvergence inverts the engine curve within its reach', () => {
    for (const target of [0.2, 0.5, 0.7, 0.9]) {
      const q = qualityForConvergence(cheap, analysis, target);
      const back = convergence(q, strengthBonus(cheap, analysis.strengthsCalledFor), hardness(analysis));
      assert.ok(Math.abs(back - target) < 1e-6, `${target} -> ${q} -> ${back}`);
    }
    assert.equal(qualityForConvergence(cheap, analysis, 0.9999999), 0.99);
    assert.equal(qualityForConvergence(cheap, analysis, 0), 0.01);
  });
});
