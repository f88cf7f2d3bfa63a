import { describeDifficulty } from './analysis';
import { sampleNormal } from './random';
import type { RandomSource } from './random';
import { convergence, estimateCostUsd, estimateLatencyMs, hardness, PRIOR_STRENGTH, strengthBonus } from './scoring';
import { verdictOf } from './signals';
import type { OutcomeSignal, Verdict } from './signals';
import type { Evidence, ModelObservations, ModelProfile, Observations, RequestAnalysis, RoutingConfig } from './types';

/**
 * Online learning of each model's success, cost and latency in this workspace, seeded from the
 * engine's own prediction.
 *
 * Success: the log-odds that a model's attempt succeeds are the engine's prior prediction for
 * that request (profile quality, strengths, hardness) plus additive effects with Gaussian
 * posteriors: one per model (how much better or worse it does here than its profile says), one
 * per workspace and one per workspace task class (how much harder or easier the work there is,
 * for every model). Separating the two matters: a run of failures in a hard repository must
 * lower that repository's figure, not the figure of whichever model happened to work there.
 * Updates are the usual one-step Laplace (assumed-density) update of online Bayesian logistic
 * regression, weighted by the signal's weight.
 *
 * Cost and latency: the log of observed over predicted, as a bias shared by all models plus a
 * per-model and a per-workspace effect (a Kalman update of a Gaussian linear model).
 *
 * Decay: every effect's evidence (its precision above the prior, and the precision-weighted
 * mean) halves every `halfLifeMs`, so old evidence fades back to the prior.
 *
 * The learner answers with the engine's own {@link Observations}, which `route()` consumes:
 * outcome and usage figures chosen so that the engine's prior blend reproduces the learned
 * prediction exactly.
 */

/** How the learner weighs and keeps evidence. */
export interface LearnerSettings {
  /** Evidence loses half its weight after this many milliseconds. */
  halfLifeMs: number;
  /** Recent turns kept so late signals (a revert, a thumbs down) can still be attributed. */
  maxTurns: number;
}

export const DEFAULT_LEARNER_SETTINGS: Readonly<LearnerSettings> = {
  halfLifeMs: 30 * 86_400_000,
  maxTurns: 512,
};

/**
 * Prior standard deviations, in log-odds (success) or natural-log units (cost, latency). They
 * say how far reality may plausibly stray from the prediction before any observation.
 */
export const LEARNING_PRIORS = {
  /** A model's departure from its profile, by how much data stands behind the profile. */
  model: { measured: 0.5, derived: 0.7, estimated: 1 } satisfies Record<Evidence, number>,
  /** A model's departure within one task class, on top of its overall departure. */
  modelClass: 0.5,
  /** A workspace's difficulty for every model (repositories differ a lot). */
  workspace: 1,
  /** A task class within a workspace, or anywhere when there is no workspace. */
  taskClass: 0.5,
  /**
   * A retry: work that has already beaten a model, for every model. How much harder it is than
   * the escalation's own conditioning says is not known beforehand; one logit either way.
   */
  retry: 1,
  /** Shared bias of observed cost or latency against the profile's per-turn prediction. */
  usageBias: 2,
  /** A model's own cost or latency departure (e.g. a verbose model that takes many steps). */
  usageModel: 1,
  /** A workspace's cost or latency departure (large files, slow tests). */
  usageWorkspace: 0.5,
  /** A retry's cost or latency departure, for every model (work that beat one model takes longer). */
  usageRetry: 1,
  /** Turn-to-turn spread of log cost and log latency around their mean. */
  usageNoise: 1,
} as const;

/** Where a turn's work happened, which picks the effects its outcome teaches. */
export interface TaskContext {
  /** The workspace (repository) the request was made in; absent: no workspace effect. */
  workspace?: string | undefined;
  /** The task class; see {@link taskClassOf}. */
  taskClass: string;
  /** True when the attempt follows a failed attempt at the same request (an escalation). */
  retry?: boolean | undefined;
}

/**
 * The class a request falls in: its difficulty band as the request analysis reads it
 * (trivial, routine, moderate, hard, very hard). The band corrects the engine's hardness curve
 * where this workspace's work turns out easier or harder than the text suggests.
 */
export function taskClassOf(analysis: RequestAnalysis): string {
  return describeDifficulty(analysis.difficulty);
}

/** The effect shared by every escalation (see {@link contextKeys}). */
const RETRY = 'retry';

/**
 * Context effect keys for a task context: `ws:<w>`, `ws:<w>|<class>`, or `class:<class>`, and
 * `retry` for an escalation. Retries are kept apart because they are selected: each one is work
 * that has already beaten a model, so its outcomes, costs and times must not be read as the
 * usual for whichever models escalation tends to pick.
 */
export function contextKeys(context: TaskContext): string[] {
  const keys =
    context.workspace === undefined || context.workspace === ''
      ? [`class:${context.taskClass}`]
      : [`ws:${context.workspace}`, `ws:${context.workspace}|${context.taskClass}`];
  if (context.retry === true) keys.push(RETRY);
  return keys;
}

/** The shared effects (besides the bias) a turn's cost and latency carry: its workspace, and `retry`. */
function usageKeys(context: TaskContext): string[] {
  const keys = context.workspace ? [`ws:${context.workspace}`] : [];
  if (context.retry === true) keys.push(RETRY);
  return keys;
}

/** How {@link Learner.observations} answers. */
export interface ObservationOptions {
  /** False: leave out everything learned (profiles only); `adjust` still applies. Default true. */
  learned?: boolean | undefined;
  /** Draw each model's effects from their posteriors instead of taking the means (Thompson sampling). */
  sample?: RandomSource | undefined;
  /** Maps each model's success prediction before it is handed to the engine (e.g. conditioning on a failure). */
  adjust?: ((convergence: number) => number) | undefined;
}

/** One turn the learner knows about, so later signals can be attributed to it. */
export interface TurnStart {
  turnId: string;
  modelId: string;
  context: TaskContext;
  /** The engine's success prediction for this model on this request, before learning. */
  priorConvergence: number;
  /** How much data stands behind the model's profile (sets the prior of its own effect). */
  evidence: Evidence;
  /** The profile's cost and latency prediction for this request, before learning. */
  predictedCostUsd: number;
  predictedLatencyMs: number;
}

/** What a new signal did to its turn's verdict; the policy keeps per-arm figures with it. */
export interface VerdictChange {
  turnId: string;
  modelId: string;
  before: Verdict | undefined;
  after: Verdict | undefined;
}

/** The learned figures for one model, for the panel's statistics view. */
export interface ModelStatsSummary {
  modelId: string;
  displayName: string;
  /** The profile's success rate on its benchmark's typical task (baseConvergence). */
  prior: number;
  /** The learned rate on the same typical task: the prior moved by the model's own effect. */
  successRate: number;
  /** 90% credible interval of `successRate`. */
  interval: [number, number];
  /** Outcome weight observed (decayed): successes + failures. */
  observations: number;
  successes: number;
  failures: number;
  /** Attempts whose cost was observed (decayed count). */
  costObservations: number;
  /** Mean observed USD per attempt; undefined before any. */
  meanCostUsd: number | undefined;
  /** Learned cost over the profile's prediction (shared bias and own effect); 1 = as listed. */
  costRatio: number | undefined;
  latencyObservations: number;
  meanLatencyMs: number | undefined;
  latencyRatio: number | undefined;
  /** Milliseconds since the epoch of the last observation. */
  lastObservedAt: number | undefined;
}

/** A workspace's or task class's learned difficulty, for every model alike. */
export interface ContextSummary {
  key: string;
  /** Log-odds added to every model's prediction there (negative: harder than predicted). */
  offset: number;
  /** Outcome weight observed there (decayed). */
  observations: number;
  successes: number;
  failures: number;
}

/** A Gaussian effect with its prior variance; `at` is when mean and variance were last brought up to date. */
interface Effect {
  m: number;
  v: number;
  v0: number;
  at: number;
}

/** Decayed tallies for display: outcome weight, and usage count and sum. */
interface Tally {
  s: number;
  f: number;
  costN: number;
  costSum: number;
  latencyN: number;
  latencySum: number;
  at: number;
}

/** What one turn's verdict added to each effect, in natural parameters, to be taken back if the verdict changes. */
interface Applied {
  success: boolean;
  weight: number;
  at: number;
  deltas: Record<string, [number, number]>;
}

interface TurnState extends TurnStart {
  at: number;
  signals: OutcomeSignal[];
  applied: Applied | undefined;
  costSeen: boolean;
  latencySeen: boolean;
}

/** The learner's whole state as plain JSON, for the extension to persist per workspace. */
export interface LearnerState {
  version: 1;
  quality: Record<string, Effect>;
  cost: Record<string, Effect>;
  latency: Record<string, Effect>;
  tallies: Record<string, Tally>;
  turns: TurnState[];
}

/** A persisted learner state that cannot be read; names where and what. */
export class LearnerStateError extends Error {
  override readonly name = 'LearnerStateError';
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const logit = (p: number): number => Math.log(p / (1 - p));
const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);
const emptyTally = (): Tally => ({ s: 0, f: 0, costN: 0, costSum: 0, latencyN: 0, latencySum: 0, at: 0 });
const BIAS = 'bias';
const modelKey = (id: string): string => `model:${id}`;
/** A model's effect within one task class (e.g. better at hard work than its profile says). */
const modelClassKey = (id: string, taskClass: string): string => `model:${id}|${taskClass}`;

/** The engine's success prediction for a model on a request, before any observation. */
export function priorConvergence(profile: ModelProfile, analysis: RequestAnalysis): number {
  return convergence(profile.baseConvergence, strengthBonus(profile, analysis.strengthsCalledFor), hardness(analysis));
}

/**
 * The start of a turn on any model, with the same prior figures `RoutingPolicy.decide` records
 * for its own picks: for turns the policy did not decide (the user's override, another router
 * such as the Kilo plugin), so their outcomes teach the learner the same way.
 */
export function turnStartFor(profile: ModelProfile, analysis: RequestAnalysis, turnId: string, context: TaskContext): TurnStart {
  return {
    turnId,
    modelId: profile.id,
    context: { ...context },
    priorConvergence: priorConvergence(profile, analysis),
    evidence: profile.evidence,
    predictedCostUsd: estimateCostUsd(profile, analysis),
    predictedLatencyMs: estimateLatencyMs(profile, analysis),
  };
}

/**
 * The quality (0.01–0.99, the engine's clamp) at which the engine's convergence curve gives
 * `target` for this request; the nearest end when the target lies beyond the curve's reach.
 */
export function qualityForConvergence(profile: ModelProfile, analysis: RequestAnalysis, target: number): number {
  const bonus = strengthBonus(profile, analysis.strengthsCalledFor);
  const h = hardness(analysis);
  const curve = (q: number): number => convergence(q, bonus, h);
  let lo = 0.01;
  let hi = 0.99;
  if (curve(lo) >= target) return lo;
  if (curve(hi) <= target) return hi;
  // The engine's curve is logistic in the quality's log-odds, so two points solve it; the
  // bisection below stays as the fallback should the curve ever change shape.
  const x1 = logit(0.25);
  const x2 = logit(0.75);
  const y1 = logit(curve(0.25));
  const slope = (logit(curve(0.75)) - y1) / (x2 - x1);
  if (slope > 0) {
    const q = clamp(sigmoid(x1 + (logit(target) - y1) / slope), lo, hi);
    if (Math.abs(curve(q) - target) < 1e-9) return q;
  }
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (curve(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Outcome counts that make the engine's own prior blend (`observedQuality`: PRIOR_STRENGTH
 * pseudo-outcomes at the profile's baseConvergence, plus successes over outcomes) land exactly
 * on `quality`. They carry at least `evidence` outcomes; more only when the quality lies so far
 * from the prior that fewer cannot reach it.
 */
export function outcomesFor(quality: number, evidence: number, base: number): { successes: number; failures: number } {
  const P = PRIOR_STRENGTH;
  const m = clamp(quality, 1e-6, 1 - 1e-6);
  const n = Math.max(evidence, (P * (base - m)) / m, (P * (m - base)) / (1 - m), 0);
  const successes = clamp(m * (P + n) - P * base, 0, n);
  return { successes, failures: n - successes };
}

/**
 * A usage figure and count that make the engine's prior blend (`PRIOR_STRENGTH` uses at the
 * profile's prediction) land exactly on `target`.
 */
export function usageFor(prior: number, target: number, count: number): { count: number; mean: number } {
  const P = PRIOR_STRENGTH;
  let c = Math.max(count, 1e-6);
  // A target far below the prior needs more weight than the count to be reached with a positive mean.
  if ((P + c) * target <= P * prior) c = Math.max(c, 2 * P * (prior / target - 1));
  return { count: c, mean: ((P + c) * target - P * prior) / c };
}

/**
 * The learner. Pure: time comes in as `now` arguments (milliseconds), randomness as a source.
 */
export class Learner {
  readonly settings: LearnerSettings;
  private readonly quality = new Map<string, Effect>();
  private readonly cost = new Map<string, Effect>();
  private readonly latency = new Map<string, Effect>();
  private readonly tallies = new Map<string, Tally>();
  private readonly turns = new Map<string, TurnState>();

  constructor(settings: Partial<LearnerSettings> = {}, state?: LearnerState) {
    this.settings = { ...DEFAULT_LEARNER_SETTINGS, ...settings };
    if (state) {
      for (const [k, e] of Object.entries(state.quality)) this.quality.set(k, { ...e });
      for (const [k, e] of Object.entries(state.cost)) this.cost.set(k, { ...e });
      for (const [k, e] of Object.entries(state.latency)) this.latency.set(k, { ...e });
      for (const [k, t] of Object.entries(state.tallies)) this.tallies.set(k, { ...t });
      for (const t of state.turns) this.turns.set(t.turnId, structuredClone(t));
    }
  }

  private decayFactor(at: number, now: number): number {
    return now > at ? Math.pow(0.5, (now - at) / this.settings.halfLifeMs) : 1;
  }

  /** The effect as of `now`: the evidence part of its precision and precision-weighted mean decayed. */
  private effectAt(map: Map<string, Effect>, key: string, now: number): Effect | undefined {
    const e = map.get(key);
    if (!e) return undefined;
    const k = this.decayFactor(e.at, now);
    if (k === 1) return e;
    const tau0 = 1 / e.v0;
    const tau = tau0 + k * (1 / e.v - tau0);
    const eta = (k * e.m) / e.v;
    const d = { m: eta / tau, v: 1 / tau, v0: e.v0, at: now };
    map.set(key, d);
    return d;
  }

  private effectOrPrior(map: Map<string, Effect>, key: string, v0: number, now: number): Effect {
    return this.effectAt(map, key, now) ?? { m: 0, v: v0, v0, at: now };
  }

  private tally(key: string, now: number): Tally {
    const t = this.tallies.get(key) ?? emptyTally();
    const k = this.decayFactor(t.at, now);
    const d: Tally = { s: t.s * k, f: t.f * k, costN: t.costN * k, costSum: t.costSum * k, latencyN: t.latencyN * k, latencySum: t.latencySum * k, at: now };
    this.tallies.set(key, d);
    return d;
  }

  private peekTally(key: string, now: number): Tally {
    const t = this.tallies.get(key);
    if (!t) return emptyTally();
    const k = this.decayFactor(t.at, now);
    return { s: t.s * k, f: t.f * k, costN: t.costN * k, costSum: t.costSum * k, latencyN: t.latencyN * k, latencySum: t.latencySum * k, at: now };
  }

  private qualityPriorVar(key: string, evidence: Evidence | undefined): number {
    if (key.startsWith('model:') && key.includes('|')) return LEARNING_PRIORS.modelClass ** 2;
    if (key.startsWith('model:')) return LEARNING_PRIORS.model[evidence ?? 'estimated'] ** 2;
    if (key.startsWith('ws:') && !key.includes('|')) return LEARNING_PRIORS.workspace ** 2;
    if (key === RETRY) return LEARNING_PRIORS.retry ** 2;
    return LEARNING_PRIORS.taskClass ** 2;
  }

  private usagePriorVar(key: string): number {
    if (key === BIAS) return LEARNING_PRIORS.usageBias ** 2;
    if (key.startsWith('model:')) return LEARNING_PRIORS.usageModel ** 2;
    if (key === RETRY) return LEARNING_PRIORS.usageRetry ** 2;
    return LEARNING_PRIORS.usageWorkspace ** 2;
  }

  /**
   * The learned log-odds of success for a model in a context, around the engine's prior
   * prediction: mean and variance of the sum of the model's and the context's effects.
   */
  effects(profile: ModelProfile, context: TaskContext, now: number): { model: Effect[]; context: Effect[] } {
    const model = [modelKey(profile.id), modelClassKey(profile.id, context.taskClass)].map((k) =>
      this.effectOrPrior(this.quality, k, this.qualityPriorVar(k, profile.evidence), now),
    );
    const ctx = contextKeys(context).map((k) => this.effectOrPrior(this.quality, k, this.qualityPriorVar(k, undefined), now));
    return { model, context: ctx };
  }

  /**
   * The learned success prediction for a model on a request, as `route()` will see it: the
   * engine's prior prediction moved by the model's own effects (posterior means). Workspace and
   * class effects are left out, for the reason given at {@link Learner.observations}.
   */
  predict(profile: ModelProfile, analysis: RequestAnalysis, context: TaskContext, now: number): number {
    const { model } = this.effects(profile, context, now);
    const shift = model.reduce((s, e) => s + e.m, 0);
    return sigmoid(logit(clamp(priorConvergence(profile, analysis), 1e-6, 1 - 1e-6)) + shift);
  }

  /**
   * What this workspace has learned about each profile, for this request, as the engine's
   * {@link Observations}: outcome and usage figures that make `route()` see the learned
   * success prediction, cost and latency.
   *
   * Only the models' own effects (overall and in this task class) move the success figure the
   * engine sees. Workspace and class effects are shared by every model: they keep each model's
   * own effect clean (a hard repository is not blamed on whoever worked there) and are shown in
   * the panel, but a shared shift says nothing about which model to choose, and would silently
   * make the thresholds stricter in one repository and looser in the next.
   */
  observations(config: RoutingConfig, analysis: RequestAnalysis, context: TaskContext, now: number, options: ObservationOptions = {}): Observations {
    const out: Observations = {};
    const learned = options.learned ?? true;
    const sample = learned ? options.sample : undefined;
    const bias = learned ? this.effectAt(this.cost, BIAS, now) : undefined;
    const latencyBias = learned ? this.effectAt(this.latency, BIAS, now) : undefined;
    const allTally = this.peekTally('*', now);
    for (const profile of Object.values(config.modelProfiles)) {
      const entry: ModelObservations = {};
      const key = modelKey(profile.id);
      const tally = learned ? this.peekTally(key, now) : emptyTally();
      let shift = 0;
      if (learned) {
        for (const k of [key, modelClassKey(profile.id, context.taskClass)]) {
          const own = this.effectAt(this.quality, k, now);
          shift += sample ? (own?.m ?? 0) + Math.sqrt(own?.v ?? this.qualityPriorVar(k, profile.evidence)) * sampleNormal(sample) : (own?.m ?? 0);
        }
      }
      if (shift !== 0 || tally.s + tally.f > 0 || options.adjust) {
        const c0 = priorConvergence(profile, analysis);
        let target = sigmoid(logit(clamp(c0, 1e-6, 1 - 1e-6)) + shift);
        if (options.adjust) target = options.adjust(target);
        const q = qualityForConvergence(profile, analysis, target);
        entry.outcomes = outcomesFor(q, tally.s + tally.f, profile.baseConvergence);
      }
      const usage = this.usageFor(profile, analysis, context, now, bias, latencyBias, tally, allTally);
      if (usage) entry.usage = usage;
      if (entry.outcomes || entry.usage) out[profile.id] = entry;
    }
    return out;
  }

  private usageFor(
    profile: ModelProfile,
    analysis: RequestAnalysis,
    context: TaskContext,
    now: number,
    costBias: Effect | undefined,
    latencyBias: Effect | undefined,
    tally: Tally,
    allTally: Tally,
  ): ModelObservations['usage'] {
    if (!costBias && !latencyBias) return undefined;
    const shared = usageKeys(context);
    const logShift = (map: Map<string, Effect>, bias: Effect): number =>
      bias.m + (this.effectAt(map, modelKey(profile.id), now)?.m ?? 0) + shared.reduce((sum, k) => sum + (this.effectAt(map, k, now)?.m ?? 0), 0);
    const costPrior = estimateCostUsd(profile, analysis);
    const latencyPrior = estimateLatencyMs(profile, analysis);
    const costTarget = costBias ? costPrior * Math.exp(logShift(this.cost, costBias)) : undefined;
    const latencyTarget = latencyBias ? latencyPrior * Math.exp(logShift(this.latency, latencyBias)) : undefined;
    // The engine blends cost and latency with one usage count: find a count both targets can be
    // reached with, then solve each mean at it. Pooled evidence (the shared bias) counts for at
    // most the engine's prior strength.
    let count = Math.max(tally.costN + Math.min(allTally.costN, PRIOR_STRENGTH), tally.latencyN + Math.min(allTally.latencyN, PRIOR_STRENGTH));
    if (costTarget !== undefined) count = usageFor(costPrior, costTarget, count).count;
    if (latencyTarget !== undefined) count = usageFor(latencyPrior, latencyTarget, count).count;
    return {
      count,
      ...(costTarget !== undefined ? { meanCostUsd: usageFor(costPrior, costTarget, count).mean } : {}),
      ...(latencyTarget !== undefined ? { meanLatencyMs: usageFor(latencyPrior, latencyTarget, count).mean } : {}),
    };
  }

  /** Starts a turn: later signals and usage for `turnId` are attributed to its model and context. */
  startTurn(turn: TurnStart, now: number): void {
    this.turns.delete(turn.turnId);
    this.turns.set(turn.turnId, { ...turn, context: { ...turn.context }, at: now, signals: [], applied: undefined, costSeen: false, latencySeen: false });
    while (this.turns.size > this.settings.maxTurns) {
      const oldest = this.turns.keys().next().value;
      if (oldest === undefined) break;
      this.turns.delete(oldest);
    }
  }

  /** True while the turn is still remembered (signals for it can be attributed). */
  hasTurn(turnId: string): boolean {
    return this.turns.has(turnId);
  }

  /** Kalman update of a Gaussian linear model: y = sum of the effects + noise. */
  private linearUpdate(map: Map<string, Effect>, keys: readonly string[], y: number, now: number): void {
    const effects = keys.map((k) => this.effectOrPrior(map, k, this.usagePriorVar(k), now));
    const s = effects.reduce((acc, e) => acc + e.v, 0) + LEARNING_PRIORS.usageNoise ** 2;
    const r = y - effects.reduce((acc, e) => acc + e.m, 0);
    keys.forEach((k, i) => {
      const e = effects[i] as Effect;
      map.set(k, { m: e.m + (e.v * r) / s, v: e.v - (e.v * e.v) / s, v0: e.v0, at: now });
    });
  }

  /**
   * Records what a turn cost and how long it took. Each is taken once per turn; the learner
   * keeps the log ratio to the profile's prediction, which carries over to requests of other sizes.
   */
  recordUsage(turnId: string, usage: { costUsd?: number | undefined; latencyMs?: number | undefined }, now: number): boolean {
    const turn = this.turns.get(turnId);
    if (!turn) return false;
    const keys = [BIAS, modelKey(turn.modelId), ...usageKeys(turn.context)];
    const tally = this.tally(modelKey(turn.modelId), now);
    const all = this.tally('*', now);
    if (usage.costUsd !== undefined && !turn.costSeen && usage.costUsd > 0 && turn.predictedCostUsd > 0) {
      this.linearUpdate(this.cost, keys, Math.log(usage.costUsd / turn.predictedCostUsd), now);
      for (const t of [tally, all]) {
        t.costN += 1;
        t.costSum += usage.costUsd;
      }
      turn.costSeen = true;
    }
    if (usage.latencyMs !== undefined && !turn.latencySeen && usage.latencyMs > 0 && turn.predictedLatencyMs > 0) {
      this.linearUpdate(this.latency, keys, Math.log(usage.latencyMs / turn.predictedLatencyMs), now);
      for (const t of [tally, all]) {
        t.latencyN += 1;
        t.latencySum += usage.latencyMs;
      }
      turn.latencySeen = true;
    }
    this.tallies.set(modelKey(turn.modelId), tally);
    this.tallies.set('*', all);
    return true;
  }

  /**
   * One weighted Laplace step of Bayesian logistic regression on the turn's effects. Returns
   * what it added to each effect in natural parameters, so that it can be taken back.
   */
  private qualityUpdate(turn: TurnState, success: boolean, weight: number, now: number): Record<string, [number, number]> {
    const keys = [modelKey(turn.modelId), modelClassKey(turn.modelId, turn.context.taskClass), ...contextKeys(turn.context)];
    const effects = keys.map((k) => {
      const e = this.effectAt(this.quality, k, now);
      if (e) return e;
      const v0 = this.qualityPriorVar(k, turn.evidence);
      return { m: 0, v: v0, v0, at: now };
    });
    const z = logit(clamp(turn.priorConvergence, 1e-6, 1 - 1e-6)) + effects.reduce((acc, e) => acc + e.m, 0);
    const s = effects.reduce((acc, e) => acc + e.v, 0);
    const p = sigmoid(z);
    const y = success ? 1 : 0;
    const denom = 1 + weight * s * p * (1 - p);
    const deltas: Record<string, [number, number]> = {};
    keys.forEach((k, i) => {
      const e = effects[i] as Effect;
      const m = e.m + (e.v * weight * (y - p)) / denom;
      const v = e.v - (e.v * e.v * weight * p * (1 - p)) / denom;
      deltas[k] = [1 / v - 1 / e.v, m / v - e.m / e.v];
      this.quality.set(k, { m, v, v0: e.v0, at: now });
    });
    return deltas;
  }

  /** Takes back an earlier update (decayed by its age), in natural parameters. */
  private retract(applied: Applied, now: number): void {
    const k = this.decayFactor(applied.at, now);
    for (const [key, [dTau, dEta]] of Object.entries(applied.deltas)) {
      const e = this.effectAt(this.quality, key, now);
      if (!e) continue;
      const tau = Math.max(1 / e.v0, 1 / e.v - k * dTau);
      const eta = e.m / e.v - k * dEta;
      this.quality.set(key, { m: eta / tau, v: 1 / tau, v0: e.v0, at: now });
    }
  }

  private bumpTallies(turn: TurnState, success: boolean, weight: number, now: number): void {
    for (const key of [modelKey(turn.modelId), ...contextKeys(turn.context)]) {
      const t = this.tally(key, now);
      if (success) t.s = Math.max(0, t.s + weight);
      else t.f = Math.max(0, t.f + weight);
    }
  }

  /**
   * Adds a signal to a turn and updates the effects by the change in the turn's verdict: what
   * the previous verdict had added is taken back (decayed to now) and the new one applied.
   * Undefined when the turn is unknown (never started, or too old to be remembered).
   */
  signal(turnId: string, signal: OutcomeSignal, now: number): VerdictChange | undefined {
    const turn = this.turns.get(turnId);
    if (!turn) return undefined;
    const before = verdictOf(turn.signals);
    turn.signals.push(signal);
    const after = verdictOf(turn.signals);
    if (turn.applied) {
      this.retract(turn.applied, now);
      this.bumpTallies(turn, turn.applied.success, -turn.applied.weight * this.decayFactor(turn.applied.at, now), now);
      turn.applied = undefined;
    }
    if (after) {
      const deltas = this.qualityUpdate(turn, after.success, after.weight, now);
      this.bumpTallies(turn, after.success, after.weight, now);
      turn.applied = { success: after.success, weight: after.weight, at: now, deltas };
    }
    return { turnId, modelId: turn.modelId, before, after };
  }

  /** Learned figures per profile, with observation counts, for the panel's statistics view. */
  summary(config: RoutingConfig, now: number): ModelStatsSummary[] {
    const costBias = this.effectAt(this.cost, BIAS, now);
    const latencyBias = this.effectAt(this.latency, BIAS, now);
    return Object.values(config.modelProfiles).map((profile) => {
      const key = modelKey(profile.id);
      const own = this.effectOrPrior(this.quality, key, this.qualityPriorVar(key, profile.evidence), now);
      const t = this.peekTally(key, now);
      const base = logit(clamp(profile.baseConvergence, 1e-6, 1 - 1e-6));
      const sd = Math.sqrt(own.v);
      const ratio = (map: Map<string, Effect>, bias: Effect | undefined): number | undefined =>
        bias ? Math.exp(bias.m + (this.effectAt(map, key, now)?.m ?? 0)) : undefined;
      return {
        modelId: profile.id,
        displayName: profile.displayName ?? profile.id,
        prior: profile.baseConvergence,
        successRate: sigmoid(base + own.m),
        interval: [sigmoid(base + own.m - 1.645 * sd), sigmoid(base + own.m + 1.645 * sd)],
        observations: t.s + t.f,
        successes: t.s,
        failures: t.f,
        costObservations: t.costN,
        meanCostUsd: t.costN > 0 ? t.costSum / t.costN : undefined,
        costRatio: ratio(this.cost, costBias),
        latencyObservations: t.latencyN,
        meanLatencyMs: t.latencyN > 0 ? t.latencySum / t.latencyN : undefined,
        latencyRatio: ratio(this.latency, latencyBias),
        lastObservedAt: this.tallies.get(key)?.at,
      };
    });
  }

  /** Learned difficulty of each workspace and task class seen, most observed first. */
  contexts(now: number): ContextSummary[] {
    const out: ContextSummary[] = [];
    for (const key of this.quality.keys()) {
      if (key.startsWith('model:')) continue;
      const e = this.effectAt(this.quality, key, now);
      const t = this.peekTally(key, now);
      if (!e) continue;
      out.push({ key, offset: e.m, observations: t.s + t.f, successes: t.s, failures: t.f });
    }
    return out.sort((a, b) => b.observations - a.observations || (a.key < b.key ? -1 : 1));
  }

  /** The whole state as plain JSON (see {@link Learner.fromJSON}). */
  toJSON(): LearnerState {
    const plain = (m: Map<string, Effect>): Record<string, Effect> => Object.fromEntries([...m].map(([k, e]) => [k, { ...e }]));
    return {
      version: 1,
      quality: plain(this.quality),
      cost: plain(this.cost),
      latency: plain(this.latency),
      tallies: Object.fromEntries([...this.tallies].map(([k, t]) => [k, { ...t }])),
      turns: [...this.turns.values()].map((t) => structuredClone(t)),
    };
  }

  /** Reads a persisted state; throws {@link LearnerStateError} naming the bad field. */
  static fromJSON(value: unknown, settings: Partial<LearnerSettings> = {}): Learner {
    return new Learner(settings, readState(value));
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (path: string, message: string, value: unknown): never => {
  throw new LearnerStateError(`learner state: ${path}: ${message} (got ${JSON.stringify(value) ?? String(value)})`);
};
const num = (o: Obj, key: string, path: string): number => {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) return fail(`${path}.${key}`, 'expected a finite number', v);
  return v;
};
const positive = (o: Obj, key: string, path: string): number => {
  const v = num(o, key, path);
  return v > 0 ? v : fail(`${path}.${key}`, 'expected a number > 0', v);
};
const nonNeg = (o: Obj, key: string, path: string): number => {
  const v = num(o, key, path);
  return v < 0 ? fail(`${path}.${key}`, 'expected a number >= 0', v) : v;
};
const obj = (v: unknown, path: string): Obj => (isObj(v) ? v : fail(path, 'expected an object', v));
const str = (o: Obj, key: string, path: string): string => {
  const v = o[key];
  return typeof v === 'string' ? v : fail(`${path}.${key}`, 'expected a string', v);
};

function readEffects(v: unknown, path: string): Record<string, Effect> {
  const out: Record<string, Effect> = {};
  for (const [key, ev] of Object.entries(obj(v, path))) {
    const p = `${path}[${JSON.stringify(key)}]`;
    const e = obj(ev, p);
    out[key] = { m: num(e, 'm', p), v: positive(e, 'v', p), v0: positive(e, 'v0', p), at: num(e, 'at', p) };
  }
  return out;
}

function readEvidence(v: unknown, path: string): Evidence {
  return v === 'measured' || v === 'derived' || v === 'estimated' ? v : fail(path, 'expected measured, derived or estimated', v);
}

function readSignal(v: unknown, path: string): OutcomeSignal {
  const o = obj(v, path);
  const kind = o['kind'];
  switch (kind) {
    case 'kept':
    case 'reverted':
    case 'reasked':
    case 'diagnostics-worse':
      return { kind };
    case 'thumbs':
      return typeof o['up'] === 'boolean' ? { kind, up: o['up'] } : fail(`${path}.up`, 'expected true or false', o['up']);
    case 'verified':
      return typeof o['passed'] === 'boolean' ? { kind, passed: o['passed'] } : fail(`${path}.passed`, 'expected true or false', o['passed']);
    default:
      return fail(`${path}.kind`, 'unknown signal kind', kind);
  }
}

function readState(value: unknown): LearnerState {
  const root = obj(value, '$');
  if (root['version'] !== 1) fail('$.version', 'unsupported version; expected 1', root['version']);
  const tallies: Record<string, Tally> = {};
  for (const [key, tv] of Object.entries(obj(root['tallies'], '$.tallies'))) {
    const p = `$.tallies[${JSON.stringify(key)}]`;
    const t = obj(tv, p);
    tallies[key] = {
      s: nonNeg(t, 's', p),
      f: nonNeg(t, 'f', p),
      costN: nonNeg(t, 'costN', p),
      costSum: nonNeg(t, 'costSum', p),
      latencyN: nonNeg(t, 'latencyN', p),
      latencySum: nonNeg(t, 'latencySum', p),
      at: num(t, 'at', p),
    };
  }
  const turnsValue = root['turns'];
  if (!Array.isArray(turnsValue)) fail('$.turns', 'expected an array', turnsValue);
  const turns = (turnsValue as unknown[]).map((tv, i): TurnState => {
    const path = `$.turns[${i}]`;
    const t = obj(tv, path);
    const ctx = obj(t['context'], `${path}.context`);
    const workspace = ctx['workspace'];
    if (workspace !== undefined && typeof workspace !== 'string') fail(`${path}.context.workspace`, 'expected a string', workspace);
    const signalsValue = t['signals'];
    if (!Array.isArray(signalsValue)) fail(`${path}.signals`, 'expected an array', signalsValue);
    const appliedValue = t['applied'];
    let applied: Applied | undefined;
    if (appliedValue !== undefined && appliedValue !== null) {
      const ap = `${path}.applied`;
      const a = obj(appliedValue, ap);
      if (typeof a['success'] !== 'boolean') fail(`${ap}.success`, 'expected true or false', a['success']);
      const deltas: Record<string, [number, number]> = {};
      for (const [key, dv] of Object.entries(obj(a['deltas'], `${ap}.deltas`))) {
        if (!Array.isArray(dv) || dv.length !== 2 || !dv.every((x) => typeof x === 'number' && Number.isFinite(x))) {
          fail(`${ap}.deltas[${JSON.stringify(key)}]`, 'expected two finite numbers', dv);
        }
        deltas[key] = [(dv as number[])[0] as number, (dv as number[])[1] as number];
      }
      applied = { success: a['success'] as boolean, weight: nonNeg(a, 'weight', ap), at: num(a, 'at', ap), deltas };
    }
    return {
      turnId: str(t, 'turnId', path),
      modelId: str(t, 'modelId', path),
      context: {
        taskClass: str(ctx, 'taskClass', `${path}.context`),
        ...(typeof workspace === 'string' ? { workspace } : {}),
        ...(ctx['retry'] === true ? { retry: true } : {}),
      },
      priorConvergence: nonNeg(t, 'priorConvergence', path),
      predictedCostUsd: nonNeg(t, 'predictedCostUsd', path),
      predictedLatencyMs: nonNeg(t, 'predictedLatencyMs', path),
      evidence: readEvidence(t['evidence'], `${path}.evidence`),
      at: num(t, 'at', path),
      signals: (signalsValue as unknown[]).map((s, j) => readSignal(s, `${path}.signals[${j}]`)),
      applied,
      costSeen: t['costSeen'] === true,
      latencySeen: t['latencySeen'] === true,
    };
  });
  return {
    version: 1,
    quality: readEffects(root['quality'], '$.quality'),
    cost: readEffects(root['cost'], '$.cost'),
    latency: readEffects(root['latency'], '$.latency'),
    tallies,
    turns,
  };
}
