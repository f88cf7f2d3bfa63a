import assert from 'node:assert/strict';
import { loadDefaultConfig, route, seededRandom } from '../../../src/engine';
import type { ModelProfile, RoutingConfig } from '../../../src/engine';
import { DEFAULTS } from '../../../src/vscode/config';
import { LearningService } from '../../../src/vscode/learningService';
import type { Integrations, PatternSource, PriceSource } from '../../../src/vscode/seams';
import { RoutingSession } from '../../../src/vscode/session';
import { MemoryState } from '../../support/memory-state';

const REQUEST = { text: 'Build a production auth system with JWT, PostgreSQL, email verification', languages: ['typescript'] };

function make(config: { current: RoutingConfig }, integrations: Integrations = {}, state = new MemoryState()): { session: RoutingSession; state: MemoryState; changes: () => number } {
  const session = new RoutingSession(() => config.current, integrations, state, {});
  let n = 0;
  session.onDidChange(() => n++);
  return { session, state, changes: () => n };
}

describe('vscode/session', () => {
  const defaults = loadDefaultConfig({}).config;

  it('scores a request, remembers it and tells listeners', () => {
    const { session, state, changes } = make({ current: defaults });
    const d = session.route(REQUEST);
    assert.ok(d);
    assert.equal(session.chosenModel, d.selected);
    assert.deepEqual(state.get('convergence.lastRequest'), REQUEST);
    assert.equal(changes(), 1);
  });

  it('re-scores the last request with the config in force', () => {
    const config = { current: defaults };
    const { session } = make(config);
    const before = session.route(REQUEST);
    assert.ok(before);
    config.current = { ...defaults, weights: { convergence: 0.2, latency: 0.1, cost: 0.7, patternMatch: 0 } };
    const after = session.rescore();
    assert.ok(after);
    assert.notDeepEqual(after.scores.map((s) => s.totalScore), before.scores.map((s) => s.totalScore));
  });

  it('does nothing on re-score before the first request', () => {
    const { session, changes } = make({ current: defaults });
    assert.equal(session.rescore(), undefined);
    assert.equal(changes(), 0);
  });

  it('keeps an override until the recommendation is picked again', () => {
    const { session, state } = make({ current: defaults });
    const d = session.route(REQUEST);
    assert.ok(d);
    const other = d.scores.find((s) => s.modelId !== d.selected)?.modelId ?? '';
    session.useModel(other);
    assert.equal(session.chosenModel, other);
    assert.equal(state.get('convergence.override'), other);
    session.useModel(d.selected);
    assert.equal(session.overrideModel, undefined);
  });

  it('accepts a Kilo model id for an override and rejects an unknown model', () => {
    const { session } = make({ current: defaults });
    session.route(REQUEST);
    session.useModel('anthropic/claude-haiku-4.5');
    assert.equal(session.overrideModel, 'claude-haiku-4.5');
    assert.throws(() => session.useModel('no-such-model'), /unknown model "no-such-model"/);
  });

  it('restores the last request and override from the workspace state', () => {
    const first = make({ current: defaults });
    first.session.route(REQUEST);
    first.session.useModel('gpt-5.1');
    const second = make({ current: defaults }, {}, first.state);
    assert.deepEqual(second.session.lastRequest, REQUEST);
    const d = second.session.rescore();
    assert.ok(d);
    assert.equal(second.session.chosenModel, 'gpt-5.1');
  });

  it('builds a full snapshot with display names, weights and no patterns without a tracker', () => {
    const { session } = make({ current: defaults });
    session.route(REQUEST);
    const snap = session.snapshot();
    assert.ok(snap.decision);
    assert.equal(snap.decision.rows.length, session.lastDecision?.scores.length);
    assert.ok(snap.decision.rows.length >= Object.keys(defaults.modelProfiles).length - defaults.selection.deny.length);
    assert.equal(snap.decision.rows.find((r) => r.score.modelId === 'claude-opus-4.5')?.displayName, 'Claude Opus 4.5');
    assert.equal(snap.decision.patternWeightShared, true);
    assert.deepEqual(snap.weights, defaults.weights);
    assert.equal(snap.patterns, undefined);
    assert.equal(snap.models.length, Object.keys(defaults.modelProfiles).length);
  });

  it("routes with the pattern tracker's profile and shows its summary", () => {
    const patterns: PatternSource = {
      update: () => undefined,
      profile: () => ({ ERROR_SWALLOWING: 6 }),
      summary: () => [{ pattern: 'ERROR_SWALLOWING', count: 3, places: [{ uri: 'file:///a.ts', line: 4, label: 'a.ts:5' }] }],
      findingsIn: () => [],
    };
    const { session } = make({ current: defaults }, { patterns });
    const d = session.route(REQUEST);
    assert.ok(d?.scores.every((s) => s.breakdown.patternMatch !== undefined));
    const snap = session.snapshot();
    assert.equal(snap.decision?.patternWeightShared, false);
    assert.equal(snap.patterns?.[0]?.count, 3);
  });

  it('uses observations from the learning seam', () => {
    const observations = { observations: () => ({ 'gpt-5-mini': { reviews: { count: 20, meanRobustness: 20 } } }) };
    const { session } = make({ current: defaults }, { observations });
    const d = session.route(REQUEST);
    assert.equal(d?.scores.find((s) => s.modelId === 'gpt-5-mini')?.breakdown.robustness, 20);
  });

  it('shows a routing error instead of a decision when no model is left', () => {
    const { session } = make({ current: { ...defaults, selection: { ...defaults.selection, deny: ['*'] } } });
    assert.equal(session.route(REQUEST), undefined);
    const snap = session.snapshot();
    assert.equal(snap.decision, undefined);
    assert.match(snap.error ?? '', /no candidate model is left/);
  });
});

describe('vscode/session with a failing reviewer', () => {
  it('routes with lower confidence and says review is unavailable', () => {
    const defaults = loadDefaultConfig({}).config;
    const reviewer = { review: () => Promise.reject(new Error('unused')), cached: () => undefined, unavailable: () => true };
    const { session } = make({ current: defaults }, { reviewer });
    const d = session.route(REQUEST);
    assert.ok(d?.warnings.some((w) => w.startsWith('code review unavailable')));
  });
});

describe('vscode/session with learning and live prices', () => {
  const defaults = loadDefaultConfig({}).config;
  const learningSettings = { ...DEFAULTS.learning, exploration: { maxRequestShare: 0, maxBudgetShare: 0 } };
  const withLearning = (state = new MemoryState(), extra: Integrations = {}): { session: RoutingSession; learning: LearningService; state: MemoryState } => {
    const learning = new LearningService({
      config: () => defaults,
      settings: () => learningSettings,
      store: state,
      now: () => Date.UTC(2026, 10, 24, 12),
      random: seededRandom(1),
      workspace: 'ws',
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    const { session } = make({ current: defaults }, { ...extra, learning }, state);
    return { session, learning, state };
  };

  it('routes a new request through the policy and shows the turn, its thumbs target and the statistics', () => {
    const { session } = withLearning();
    const d = session.route(REQUEST);
    assert.ok(d);
    const snap = session.snapshot();
    assert.equal(snap.decision?.turn?.attempt, 1);
    assert.equal(snap.decision?.turn?.arm, 'convergence');
    assert.equal(snap.learning?.arms.convergence.requests, 1);
    assert.equal(snap.learning?.recent[0]?.modelId, d.selected);
    // The same decision as routing without learning: nothing was learned yet.
    assert.deepEqual(d.scores, route(defaults, { text: REQUEST.text, languages: REQUEST.languages }, { observations: {}, reviewUnavailable: false, env: {} }).scores);
  });

  it('escalates when the same request is asked again, and re-scores without starting a turn', () => {
    const { session, learning } = withLearning();
    const first = session.route(REQUEST);
    assert.ok(first);
    assert.deepEqual(session.route({ ...REQUEST })?.selected, first.selected, 'routing it again before it was used only re-scores');
    assert.equal(session.lastTurn?.attempt, 1);
    learning.markUsed(session.lastTurn.turnId);
    const again = session.route({ ...REQUEST });
    assert.ok(again);
    assert.notEqual(again.selected, first.selected);
    assert.deepEqual(session.lastTurn?.failed, [first.selected]);
    const requests = session.snapshot().learning?.arms.convergence.attempts;
    session.rescore();
    assert.equal(session.snapshot().learning?.arms.convergence.attempts, requests);
    assert.equal(session.lastTurn?.attempt, 2);
  });

  it("moves the thumbs to the user's choice and learns from them", () => {
    const { session } = withLearning();
    const d = session.route(REQUEST);
    assert.ok(d);
    const other = d.scores.find((s) => s.modelId !== d.selected)?.modelId;
    assert.ok(other);
    session.useModel(other);
    const turnId = session.snapshot().decision?.turn?.turnId;
    assert.equal(turnId, `${session.lastTurn?.turnId.split('~')[0] ?? ''}~${other}`);
    assert.ok(turnId);
    assert.equal(session.thumbs(turnId, false), true);
    const row = session.snapshot().learning?.models.find((m) => m.modelId === other);
    assert.ok(row && row.failures > 0.99);
    session.clearOverride();
    assert.equal(session.snapshot().decision?.turn?.turnId.includes('~'), false, 'back on the pick');
  });

  it('routes among the models the gateway serves, at its prices', () => {
    const cheapId = Object.keys(defaults.modelProfiles)[0] ?? '';
    const prices: PriceSource = {
      apply: (c) => ({ ...c, modelProfiles: { ...c.modelProfiles, [cheapId]: { ...(c.modelProfiles[cheapId] as ModelProfile), pricing: { input: 0.001, output: 0.001 } } } }),
      candidates: (c) => Object.keys(c.modelProfiles).slice(0, 3),
      overlay: () => undefined,
      status: () => ({ state: 'live', text: 'Prices from the Kilo gateway, fetched just now.', missing: ['x'] }),
    };
    const { session } = make({ current: defaults }, { prices });
    const d = session.route(REQUEST);
    assert.equal(d?.scores.length, 3);
    assert.equal(session.routing.modelProfiles[cheapId]?.pricing.input, 0.001);
    assert.deepEqual(session.snapshot().prices?.missing, ['x']);
    assert.equal(session.preview({ text: 'rename x' }).scores.length, 3, 'the hover routes among them too');
  });
});
