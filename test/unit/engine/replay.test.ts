import assert from 'node:assert/strict';
import { Learner, replayBaselines, replayClock, ReplaySession, RoutingPolicy, seededRandom } from '../../../src/engine';
import type { ReplayEvent, ReplayTask, RevealedOutcome, RoutingConfig } from '../../../src/engine';
import { aConfig, aProfile } from '../../support/builders';

const profiles = [
  aProfile('cheap', { baseConvergence: 0.6, pricing: { input: 0.25, output: 2 } }),
  aProfile('mid', { baseConvergence: 0.68, pricing: { input: 1.25, output: 10 } }),
  aProfile('strong', { baseConvergence: 0.75, pricing: { input: 3, output: 15 } }),
];
const config = aConfig(profiles, { weights: { convergence: 0.5, latency: 0, cost: 0.5, patternMatch: 0 } });
const models = profiles.map((p) => p.id);

const tasks: ReplayTask[] = Array.from({ length: 30 }, (_, i) => ({
  instanceId: `task-${i}`,
  repo: i % 2 === 0 ? 'org/a' : 'org/b',
  problemStatement: `fix the failing parser case ${i} in utils.py`,
}));

/** A deterministic record: each model solves a pattern of tasks at a fixed cost. */
function table(flip?: { task: string; model: string }[]): Map<string, RevealedOutcome> {
  const t = new Map<string, RevealedOutcome>();
  tasks.forEach((task, i) => {
    t.set(`${task.instanceId}|cheap`, { resolved: i % 3 === 0, costUsd: 0.03 });
    t.set(`${task.instanceId}|mid`, { resolved: i % 2 === 0, costUsd: 0.3 });
    t.set(`${task.instanceId}|strong`, { resolved: i % 5 !== 4, costUsd: 0.7 });
  });
  for (const f of flip ?? []) {
    const key = `${f.task}|${f.model}`;
    const o = t.get(key);
    if (o) t.set(key, { ...o, resolved: !o.resolved });
  }
  return t;
}

function run(
  records: Map<string, RevealedOutcome>,
  opts: { maxAttempts?: number; seed?: number; config?: RoutingConfig; upTo?: number } = {},
): { events: ReplayEvent[]; results: ReturnType<ReplaySession['run']>[] } {
  const events: ReplayEvent[] = [];
  const clock = replayClock();
  const policy = new RoutingPolicy(opts.config ?? config, new Learner(), { now: clock.now, random: seededRandom(opts.seed ?? 1) });
  const session = new ReplaySession(policy, clock, { models, maxAttempts: opts.maxAttempts ?? 2, onEvent: (e) => events.push(e) });
  const results = tasks.slice(0, opts.upTo ?? tasks.length).map((task) =>
    session.run(task, (id, model) => {
      // The reveal must answer a decision that is already in the log, and only that one.
      const last = events[events.length - 1];
      assert.ok(last && last.kind === 'decision', `reveal of ${id}/${model} before its decision was logged`);
      assert.equal(last.instanceId, id);
      assert.equal(last.modelId, model);
      const o = records.get(`${id}|${model}`);
      assert.ok(o);
      return o;
    }),
  );
  return { events, results };
}

describe('engine: replay', () => {
  it('logs every decision before the outcome it reveals', () => {
    const { events, results } = run(table());
    const decisions = events.filter((e) => e.kind === 'decision');
    const reveals = events.filter((e) => e.kind === 'reveal');
    assert.equal(decisions.length, reveals.length);
    assert.equal(decisions.length, results.reduce((s, r) => s + r.attempts.length, 0));
    events.forEach((e, i) => {
      if (e.kind !== 'reveal') return;
      const before = events[i - 1];
      assert.ok(before?.kind === 'decision' && before.instanceId === e.instanceId && before.attempt === e.attempt && before.modelId === e.modelId);
    });
  });

  it('decides the same whatever the records hold for attempts not yet revealed', () => {
    const base = run(table());
    // Flip every outcome the replay never looked at, and every outcome of the last task.
    const revealed = new Set(base.events.filter((e) => e.kind === 'reveal').map((e) => `${e.instanceId}|${e.modelId}`));
    const flips: { task: string; model: string }[] = [];
    for (const t of tasks) for (const m of models) if (!revealed.has(`${t.instanceId}|${m}`)) flips.push({ task: t.instanceId, model: m });
    const last = tasks[tasks.length - 1]?.instanceId ?? '';
    for (const m of models) flips.push({ task: last, model: m });
    const other = run(table(flips));
    const decisions = (r: typeof base): string[] =>
      r.events.filter((e) => e.kind === 'decision' && e.instanceId !== last).map((e) => (e.kind === 'decision' ? `${e.instanceId}#${e.attempt}:${e.modelId}` : ''));
    assert.deepEqual(decisions(other), decisions(base));
    const firstOfLast = (r: typeof base): ReplayEvent | undefined => r.events.find((e) => e.kind === 'decision' && e.instanceId === last);
    assert.deepEqual(firstOfLast(other), firstOfLast(base), 'the last task is decided before its own outcome is known');
  });

  it('retries a failed task with another model, up to the attempts allowed, and stops at a success', () => {
    const { results } = run(table(), { maxAttempts: 3 });
    for (const r of results) {
      assert.ok(r.attempts.length >= 1 && r.attempts.length <= 3);
      const ids = r.attempts.map((a) => a.modelId);
      assert.equal(new Set(ids).size, ids.length, 'no model twice on one task');
      r.attempts.slice(0, -1).forEach((a) => assert.equal(a.resolved, false));
      assert.equal(r.solved, r.attempts.some((a) => a.resolved));
      assert.ok(Math.abs(r.costUsd - r.attempts.reduce((s, a) => s + a.costUsd, 0)) < 1e-12);
    }
    const single = run(table(), { maxAttempts: 1 });
    for (const r of single.results) assert.equal(r.attempts.length, 1);
    assert.throws(() => new ReplaySession(new RoutingPolicy(config, new Learner(), { now: () => 0, random: seededRandom(1) }), replayClock(), { models, maxAttempts: 0 }), /maxAttempts must be at least 1/);
  });

  it('is reproducible for a seed', () => {
    const a = run(table(), { seed: 7 });
    const b = run(table(), { seed: 7 });
    assert.deepEqual(a.results, b.results);
  });

  it('computes the baselines on the counted tasks', () => {
    const records = table();
    const outcome = (id: string, m: string): RevealedOutcome => records.get(`${id}|${m}`) ?? assert.fail(`${id}|${m}`);
    const counted = tasks.slice(0, 10);
    const b = replayBaselines(config, counted, models, outcome);
    // strong solves i % 5 != 4: 8 of the first 10, at 0.7 each.
    assert.equal(b.bestSingle.modelId, 'strong');
    assert.equal(b.bestSingle.solved, 8);
    assert.equal(b.bestSingle.attempts, 10);
    assert.ok(Math.abs(b.bestSingle.costUsd - 7) < 1e-9);
    assert.equal(b.cheapestSingle.modelId, 'cheap');
    assert.equal(b.cheapestSingle.solved, 4);
    assert.ok(Math.abs(b.cheapestSingle.costUsd - 0.3) < 1e-9);
    assert.equal(b.bestSingleInHindsight.modelId, 'strong');
    // Oracle over tasks 0..9: cheap is cheapest where it solves (0, 3, 6, 9), then mid (2, 4, 8), then strong (1, 5, 7).
    assert.equal(b.oracle.solved, 10);
    assert.ok(Math.abs(b.oracle.costUsd - (4 * 0.03 + 3 * 0.3 + 3 * 0.7)) < 1e-9, `oracle cost ${b.oracle.costUsd}`);
    assert.equal(b.oracle.attempts, 10);
  });

  it('prefers the cheaper model in hindsight when two solve as many', () => {
    const records = new Map<string, RevealedOutcome>();
    for (const t of tasks) {
      records.set(`${t.instanceId}|cheap`, { resolved: true, costUsd: 0.01 });
      records.set(`${t.instanceId}|mid`, { resolved: true, costUsd: 0.5 });
      records.set(`${t.instanceId}|strong`, { resolved: false, costUsd: 1 });
    }
    const b = replayBaselines(config, tasks, models, (id, m) => records.get(`${id}|${m}`) ?? assert.fail());
    assert.equal(b.bestSingleInHindsight.modelId, 'cheap');
    assert.throws(() => replayBaselines(config, tasks, ['nope'], () => ({ resolved: true, costUsd: 0 })), /unknown profile "nope"/);
  });
});
