import { analyzeRequest } from './analysis';
import { priorConvergence, taskClassOf } from './learning';
import type { Learner, LearnerSettings, TaskContext, VerdictChange } from './learning';
import type { RandomSource } from './random';
import { stableHash } from './random';
import { findProfile, route } from './router';
import { COST_MIN_SPAN, estimateCostUsd, estimateLatencyMs, LATENCY_MIN_SPAN, normalizeLowerIsBetter } from './scoring';
import type { OutcomeSignal } from './signals';
import type { ConvergenceScore, Observations, RouteRequest, RoutingConfig, RoutingDecision } from './types';

/**
 * The routing policy around `route()`: which arm of the rollout experiment a request belongs
 * to, what the learner has observed, escalation after a failed attempt, the cheap-first plan
 * when a retry is allowed, and bounded exploration. Pure: time and randomness are passed in.
 */

/** Never more than these shares of decisions and of spend go to exploring. */
export interface ExplorationSettings {
  /** Share (0–1) of decisions that may be exploratory. 0 turns exploration off. */
  maxRequestShare: number;
  /** Share (0–1) of all spend (estimated at decision time) that may go to exploratory picks. */
  maxBudgetShare: number;
}

export interface PolicySettings {
  /** False: route on profiles alone (the learner still records, for the statistics view). */
  learning: boolean;
  /**
   * Percent (0–100) of requests routed by convergence; the rest use the latency rule that was
   * in force before (the fastest model). Assignment is a stable hash of the request id.
   */
  rolloutPercent: number;
  exploration: ExplorationSettings;
  /**
   * Spread (standard deviation, in logits) of task difficulty assumed when judging how likely
   * a stronger model is to succeed where a weaker one failed. 0 would treat attempts as
   * independent; larger values say failures cluster on hard tasks. An assumption, not fitted.
   */
  taskSpread: number;
}

export const DEFAULT_POLICY_SETTINGS: Readonly<PolicySettings> = {
  learning: true,
  rolloutPercent: 100,
  exploration: { maxRequestShare: 0.05, maxBudgetShare: 0.05 },
  taskSpread: 2,
};

export type Arm = 'convergence' | 'latency';

/** One attempt to route. */
export interface PolicyRequest {
  /** Stable id of the request: the same for every attempt at it (escalations keep the arm). */
  requestId: string;
  request: RouteRequest;
  /** The workspace (repository) the request comes from; learning is kept per workspace too. */
  workspace?: string | undefined;
  /** Profile ids that already failed on this request, in order. */
  failed?: readonly string[] | undefined;
  /** Attempts still allowed, this one included (default 1). From 2 on, plans count the retry. */
  attemptsLeft?: number | undefined;
  /**
   * Other observations to route with, such as the reviewer's `reviews`; the learner's outcomes
   * and usage take the place of any given here (the engine blends reviews in as further evidence).
   */
  observations?: Observations | undefined;
  /** Set when the reviewer is failing: the engine lowers confidence (see `RouteContext`). */
  reviewUnavailable?: boolean | undefined;
  /** Environment for the convergence arm, for `CONVERGENCE_ROUTING_ENABLED` (see `RouteContext`). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** A first attempt together with the model that would take over if it fails. */
export interface Plan {
  first: string;
  then: string | undefined;
  /** Chance that the plan succeeds within its two attempts. */
  successProbability: number;
  expectedCostUsd: number;
  expectedLatencyMs: number;
  totalScore: number;
  /** True when the plan's success chance (and the first model's robustness) clear the thresholds. */
  clearsThresholds: boolean;
}

export interface PolicyDecision {
  /** `${requestId}#${attempt}`: pass it back with the outcome. */
  turnId: string;
  requestId: string;
  /** 1 for the first attempt at the request. */
  attempt: number;
  arm: Arm;
  selected: string;
  /** True when the pick came from a posterior draw rather than the best estimate. */
  explored: boolean;
  /** True when this attempt follows a failure on the same request. */
  escalated: boolean;
  /** The plan behind a cheap-first pick (convergence arm, a retry allowed). */
  plan: Plan | undefined;
  /** Estimated cost and latency of this attempt, after learning. */
  estimate: { costUsd: number; latencyMs: number };
  /** Why, in a sentence or two. */
  reason: string;
  /** The engine's scores for every candidate (its own `selected` is the single-attempt pick). */
  decision: RoutingDecision;
}

/** Outcome figures for one arm of the rollout experiment. */
export interface ArmStats {
  requests: number;
  attempts: number;
  /** Verdict weight of successful and failed attempts (see docs/learning.md for weights). */
  successes: number;
  failures: number;
  costUsd: number;
  costCount: number;
  latencyMs: number;
  latencyCount: number;
}

/** The two arms side by side, for the panel. */
export interface ArmComparison {
  rolloutPercent: number;
  arms: Record<Arm, ArmStats & { successRate: number | undefined; meanCostUsd: number | undefined; meanLatencyMs: number | undefined }>;
}

/** How much exploring has been done against its bounds. */
export interface ExplorationStats {
  decisions: number;
  explored: number;
  spendUsd: number;
  exploreSpendUsd: number;
}

interface PolicyTurn {
  arm: Arm;
  explored: boolean;
  estimateUsd: number;
  costUsd: number | undefined;
}

/** The policy's own state (the learner keeps its own); see {@link RoutingPolicy.toJSON}. */
export interface PolicyState {
  version: 1;
  arms: Record<Arm, ArmStats>;
  exploration: ExplorationStats;
  turns: [string, { arm: Arm; explored: boolean; estimateUsd: number; costUsd: number | undefined }][];
}

/** Policy settings that cannot be used; names the field and the value. */
export class PolicySettingsError extends Error {
  override readonly name = 'PolicySettingsError';
}

const emptyArm = (): ArmStats => ({ requests: 0, attempts: 0, successes: 0, failures: 0, costUsd: 0, costCount: 0, latencyMs: 0, latencyCount: 0 });

const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * Chance that a model with success rate `pb` succeeds on a task that models with the rates in
 * `failed` all failed, when task difficulty varies with standard deviation `spread` logits around each model's
 * ability (a one-parameter item-response model, integrated numerically). With no spread the
 * attempts are independent; the wider it is, the more a failure says the task is hard.
 */
export function conditionalSuccess(failed: readonly number[], pb: number, spread: number): number {
  if (!(spread > 0) || failed.length === 0) return pb;
  // Abilities that give the stated average rates once difficulty is integrated out (the usual
  // probit approximation of a logistic-normal mean).
  const k = Math.sqrt(1 + (Math.PI * spread * spread) / 8);
  const abilities = failed.map((p) => logit(clamp(p, 1e-4, 1 - 1e-4)) * k);
  const tb = logit(clamp(pb, 1e-4, 1 - 1e-4)) * k;
  let joint = 0;
  let allFailed = 0;
  for (let i = -40; i <= 40; i++) {
    const z = (i / 40) * 5;
    const b = z * spread;
    let w = Math.exp(-0.5 * z * z);
    for (const ta of abilities) w *= 1 - sigmoid(ta - b);
    allFailed += w;
    joint += w * sigmoid(tb - b);
  }
  return allFailed > 0 ? joint / allFailed : pb;
}

/**
 * Every eligible first attempt scored as a plan: it, then (if it fails) the best-ranked model
 * that is stronger on this request. The plan's success chance, expected cost and expected
 * latency take the place of the single model's figures; normalisation and weights are the
 * engine's own, and the minConvergence gate applies to the plan, since a verified failure is
 * recovered by the retry. Best first.
 */
export function scorePlans(config: RoutingConfig, decision: RoutingDecision, spread: number): Plan[] {
  const eligible = decision.scores.filter((s) => s.eligible);
  const raw = eligible.map((a) => {
    const ca = a.breakdown.convergence;
    const b = decision.scores.find((s) => s.eligible && s.modelId !== a.modelId && s.breakdown.convergence > ca + ESCALATION_MARGIN);
    if (!b) return { a, b, p: ca, cost: a.estimate.costUsd, latency: a.estimate.latencyMs };
    const q = conditionalSuccess([ca], b.breakdown.convergence, spread);
    return {
      a,
      b,
      p: ca + (1 - ca) * q,
      cost: a.estimate.costUsd + (1 - ca) * b.estimate.costUsd,
      latency: a.estimate.latencyMs + (1 - ca) * b.estimate.latencyMs,
    };
  });
  // Normalised as the engine does: log scale, a floor on the span, a free plan at half the cheapest paid one.
  let minPaid = Infinity;
  let maxC = 0;
  let minL = Infinity;
  let maxL = 0;
  for (const r of raw) {
    if (r.cost > 0) minPaid = Math.min(minPaid, r.cost);
    maxC = Math.max(maxC, r.cost);
    minL = Math.min(minL, r.latency);
    maxL = Math.max(maxL, r.latency);
  }
  const costFloor = minPaid === Infinity ? 0 : raw.some((r) => r.cost <= 0) ? minPaid / 2 : minPaid;
  const w = config.weights;
  const { minConvergence, minRobustness } = config.thresholds;
  const plans = raw.map((r): Plan => {
    const pm = r.a.breakdown.patternMatch;
    const pmWeight = pm === undefined ? 0 : w.patternMatch;
    const norm = w.convergence + w.latency + w.cost + pmWeight || 1;
    const total =
      (w.convergence * r.p +
        w.latency * normalizeLowerIsBetter(r.latency, minL, maxL, LATENCY_MIN_SPAN) +
        w.cost * normalizeLowerIsBetter(Math.max(r.cost, costFloor), costFloor, maxC, COST_MIN_SPAN) +
        pmWeight * (pm ?? 0)) /
      norm;
    const robust = r.a.breakdown.robustness;
    return {
      first: r.a.modelId,
      then: r.b?.modelId,
      successProbability: r.p,
      expectedCostUsd: r.cost,
      expectedLatencyMs: r.latency,
      totalScore: total,
      clearsThresholds: r.p >= minConvergence && (robust === undefined || robust >= minRobustness),
    };
  });
  plans.sort(
    (x, y) =>
      Number(y.clearsThresholds) - Number(x.clearsThresholds) ||
      y.totalScore - x.totalScore ||
      (x.first < y.first ? -1 : x.first > y.first ? 1 : 0),
  );
  return plans;
}

/** The arm a request belongs to: stable for a request id and a rollout percentage. */
export function armFor(requestId: string, rolloutPercent: number): Arm {
  return stableHash(requestId) % 100 < rolloutPercent ? 'convergence' : 'latency';
}

/**
 * How much higher a model's success prediction must be to count as stronger than one that
 * failed: about the sampling noise of two rates measured on a 500-task benchmark (a 60% rate
 * has a standard error of 2.2 points; the difference of two, about 3). Smaller gaps are noise.
 */
export const ESCALATION_MARGIN = 0.03;

const LATENCY_RULE_ENV = { CONVERGENCE_ROUTING_ENABLED: 'false' } as const;

/** Reads a settings object (e.g. from VS Code settings); throws {@link PolicySettingsError}. */
export function readLearningSettings(value: unknown, label = 'learning'): { policy: PolicySettings; learner: Partial<LearnerSettings> } {
  if (value === undefined || value === null) return { policy: { ...DEFAULT_POLICY_SETTINGS, exploration: { ...DEFAULT_POLICY_SETTINGS.exploration } }, learner: {} };
  if (typeof value !== 'object' || Array.isArray(value)) throw new PolicySettingsError(`${label}: expected an object (got ${JSON.stringify(value)})`);
  const o = value as Record<string, unknown>;
  const known = ['enabled', 'rolloutPercent', 'exploration', 'taskSpread', 'halfLifeDays'];
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) throw new PolicySettingsError(`${label}.${key}: unknown setting; known: ${known.join(', ')}`);
  }
  const numberIn = (v: unknown, path: string, lo: number, hi: number, fallback: number): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
      throw new PolicySettingsError(`${path}: expected a number from ${lo} to ${hi} (got ${JSON.stringify(v)})`);
    }
    return v;
  };
  const enabled = o['enabled'];
  if (enabled !== undefined && typeof enabled !== 'boolean') throw new PolicySettingsError(`${label}.enabled: expected true or false (got ${JSON.stringify(enabled)})`);
  const ex = o['exploration'];
  if (ex !== undefined && (typeof ex !== 'object' || ex === null || Array.isArray(ex))) {
    throw new PolicySettingsError(`${label}.exploration: expected an object (got ${JSON.stringify(ex)})`);
  }
  const exo = (ex ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(exo)) {
    if (key !== 'maxRequestShare' && key !== 'maxBudgetShare') {
      throw new PolicySettingsError(`${label}.exploration.${key}: unknown setting; known: maxRequestShare, maxBudgetShare`);
    }
  }
  const d = DEFAULT_POLICY_SETTINGS;
  const halfLifeDays = o['halfLifeDays'] === undefined ? undefined : numberIn(o['halfLifeDays'], `${label}.halfLifeDays`, 0.01, 3650, 30);
  return {
    policy: {
      learning: enabled ?? d.learning,
      rolloutPercent: numberIn(o['rolloutPercent'], `${label}.rolloutPercent`, 0, 100, d.rolloutPercent),
      exploration: {
        maxRequestShare: numberIn(exo['maxRequestShare'], `${label}.exploration.maxRequestShare`, 0, 1, d.exploration.maxRequestShare),
        maxBudgetShare: numberIn(exo['maxBudgetShare'], `${label}.exploration.maxBudgetShare`, 0, 1, d.exploration.maxBudgetShare),
      },
      taskSpread: numberIn(o['taskSpread'], `${label}.taskSpread`, 0, 10, d.taskSpread),
    },
    learner: halfLifeDays === undefined ? {} : { halfLifeMs: halfLifeDays * 86_400_000 },
  };
}

/** Clock and randomness, passed in. */
export interface PolicyDeps {
  now: () => number;
  random: RandomSource;
}

/**
 * Routes requests with what the learner knows, runs the rollout experiment and keeps its
 * per-arm figures. One instance per workspace session (or per replay).
 */
export class RoutingPolicy {
  readonly settings: PolicySettings;
  readonly learner: Learner;
  private config: RoutingConfig;
  private readonly deps: PolicyDeps;
  private arms: Record<Arm, ArmStats> = { convergence: emptyArm(), latency: emptyArm() };
  private exploration: ExplorationStats = { decisions: 0, explored: 0, spendUsd: 0, exploreSpendUsd: 0 };
  private readonly turns = new Map<string, PolicyTurn>();

  constructor(config: RoutingConfig, learner: Learner, deps: PolicyDeps, settings: Partial<PolicySettings> = {}, state?: PolicyState) {
    this.config = config;
    this.learner = learner;
    this.deps = deps;
    this.settings = {
      ...DEFAULT_POLICY_SETTINGS,
      ...settings,
      exploration: { ...DEFAULT_POLICY_SETTINGS.exploration, ...settings.exploration },
    };
    if (state) {
      const s = readPolicyState(state);
      this.arms = s.arms;
      this.exploration = s.exploration;
      for (const [id, t] of s.turns) this.turns.set(id, t);
    }
  }

  /**
   * The experiment's figures and exploration counters as plain JSON, for the extension to
   * persist beside the learner's state; pass it back as the constructor's `state`.
   */
  toJSON(): PolicyState {
    return {
      version: 1,
      arms: { convergence: { ...this.arms.convergence }, latency: { ...this.arms.latency } },
      exploration: { ...this.exploration },
      turns: [...this.turns].map(([id, t]) => [id, { ...t }]),
    };
  }

  /** Takes a reloaded config (the learner keeps what it learned; profiles are matched by id). */
  setConfig(config: RoutingConfig): void {
    this.config = config;
  }

  /**
   * Decides one attempt. Throws the engine's `RoutingError` when no candidate is left.
   * `record: false` only scores: no exploration, no turn started, no counter moved (an editor
   * showing the same attempt again after a settings change).
   */
  decide(input: PolicyRequest, options: { record?: boolean } = {}): PolicyDecision {
    const record = options.record ?? true;
    const now = this.deps.now();
    // Failed models may be named by Kilo id (`anthropic/...`); compare by profile id.
    const failed = (input.failed ?? []).map((name) => findProfile(this.config, name)?.id ?? name);
    const attempt = failed.length + 1;
    const arm = armFor(input.requestId, this.settings.rolloutPercent);
    const analysis = analyzeRequest(input.request);
    const context: TaskContext = { workspace: input.workspace, taskClass: taskClassOf(analysis), retry: failed.length > 0 };
    const learning = this.settings.learning && arm === 'convergence';
    const spread = this.settings.taskSpread;
    const observe = (options: { sample?: RandomSource; failedConvergence?: number[] } = {}): Observations => {
      const learned = this.learner.observations(this.config, analysis, context, now, {
        learned: learning,
        sample: options.sample,
        adjust: options.failedConvergence ? (c) => conditionalSuccess(options.failedConvergence ?? [], c, spread) : undefined,
      });
      const extra = input.observations;
      if (!extra) return learned;
      const merged: Observations = { ...extra };
      for (const [id, o] of Object.entries(learned)) merged[id] = { ...extra[id], ...o };
      return merged;
    };

    let request: RouteRequest = input.request;
    let observations: Observations | undefined = learning || input.observations ? observe() : undefined;
    let failedConvergence: number[] | undefined;
    let strongerNote = '';
    if (failed.length > 0) {
      request = { ...request, exclude: [...(request.exclude ?? []), ...failed] };
      if (arm === 'convergence') {
        // "Stronger where it failed": stronger on this request, as learned for its class.
        const all = route(this.config, input.request, { observations, reviewUnavailable: input.reviewUnavailable, env: input.env });
        failedConvergence = all.scores.filter((s) => failed.includes(s.modelId)).map((s) => s.breakdown.convergence);
        const bar = Math.max(...failedConvergence) + ESCALATION_MARGIN;
        const stronger = all.scores.filter((s) => !failed.includes(s.modelId) && s.breakdown.convergence > bar).map((s) => s.modelId);
        if (stronger.length > 0) request = { ...request, models: stronger };
        strongerNote = stronger.length > 0 ? `after ${failed.join(', ')} failed, among ${stronger.length} stronger model(s)` : `after ${failed.join(', ')} failed; no stronger model is left, so among the rest`;
        // The task has beaten those models: every remaining model's chance is conditioned on that.
        observations = observe({ failedConvergence });
      }
    }

    const planning = arm === 'convergence' && (input.attemptsLeft ?? 1) >= 2;
    const greedy = this.pick(request, observations, arm, planning, input);
    let chosen = greedy;
    let explored = false;

    const ex = this.settings.exploration;
    if (record && learning && ex.maxRequestShare > 0 && ex.maxBudgetShare > 0 && this.exploration.explored + 1 <= ex.maxRequestShare * (this.exploration.decisions + 1)) {
      const sampled = observe({ sample: this.deps.random, ...(failedConvergence ? { failedConvergence } : {}) });
      const draw = this.pick(request, sampled, arm, planning, input);
      if (draw.selected !== greedy.selected) {
        const estimate = greedy.decision.scores.find((s) => s.modelId === draw.selected)?.estimate.costUsd ?? 0;
        const spend = this.exploration.spendUsd + estimate;
        if (this.exploration.exploreSpendUsd + estimate <= ex.maxBudgetShare * spend) {
          chosen = { ...draw, decision: greedy.decision };
          explored = true;
        }
      }
    }

    const score = chosen.decision.scores.find((s) => s.modelId === chosen.selected) as ConvergenceScore;
    // The learner judges an escalation against the prediction it was chosen on: the profile's,
    // conditioned on the failures before it. Judged against the unconditioned figure, every
    // escalation target would be blamed for failing on work that had already beaten a cheaper
    // model, and the learner would drift away from exactly the models escalation needs.
    const turnPrior = (c: number): number => (failedConvergence ? conditionalSuccess(failedConvergence, c, spread) : c);
    const profile = this.config.modelProfiles[chosen.selected];
    const turnId = `${input.requestId}#${attempt}`;
    if (record) {
      this.learner.startTurn(
        {
          turnId,
          modelId: chosen.selected,
          context,
          priorConvergence: profile ? turnPrior(priorConvergence(profile, analysis)) : score.breakdown.convergence,
          evidence: profile?.evidence ?? 'estimated',
          predictedCostUsd: profile ? estimateCostUsd(profile, analysis) : score.estimate.costUsd,
          predictedLatencyMs: profile ? estimateLatencyMs(profile, analysis) : score.estimate.latencyMs,
        },
        now,
      );
      this.rememberTurn(turnId, { arm, explored, estimateUsd: score.estimate.costUsd, costUsd: undefined });
      this.exploration.decisions += 1;
      this.exploration.spendUsd += score.estimate.costUsd;
      if (explored) {
        this.exploration.explored += 1;
        this.exploration.exploreSpendUsd += score.estimate.costUsd;
      }
      const armStats = this.arms[arm];
      if (attempt === 1) armStats.requests += 1;
      armStats.attempts += 1;
    }

    const reasons = [chosen.reason];
    if (strongerNote) reasons.unshift(`Escalation ${strongerNote}.`);
    if (explored) reasons.push(`Exploring: a draw from the learned posteriors preferred ${chosen.selected} over ${greedy.selected} (within the exploration bounds).`);
    return {
      turnId,
      requestId: input.requestId,
      attempt,
      arm,
      selected: chosen.selected,
      explored,
      escalated: failed.length > 0,
      plan: chosen.plan,
      estimate: { costUsd: score.estimate.costUsd, latencyMs: score.estimate.latencyMs },
      reason: reasons.join(' '),
      decision: chosen.decision,
    };
  }

  private pick(
    request: RouteRequest,
    observations: Observations | undefined,
    arm: Arm,
    planning: boolean,
    context: Pick<PolicyRequest, 'reviewUnavailable' | 'env'>,
  ): { selected: string; plan: Plan | undefined; reason: string; decision: RoutingDecision } {
    if (arm === 'latency') {
      const decision = route(this.config, request, { env: LATENCY_RULE_ENV });
      return { selected: decision.selected, plan: undefined, reason: `Latency arm of the rollout: ${decision.recommendation}`, decision };
    }
    const decision = route(this.config, request, { observations, reviewUnavailable: context.reviewUnavailable, env: context.env });
    if (!planning) return { selected: decision.selected, plan: undefined, reason: decision.recommendation, decision };
    const plan = scorePlans(this.config, decision, this.settings.taskSpread)[0];
    if (!plan) return { selected: decision.selected, plan: undefined, reason: decision.recommendation, decision };
    const pct = (p: number): string => `${Math.round(p * 100)}%`;
    const reason = plan.then
      ? `Plan ${plan.first}, then ${plan.then} if it fails: ${pct(plan.successProbability)} to succeed within two attempts, expected $${plan.expectedCostUsd.toFixed(4)} and ${(plan.expectedLatencyMs / 1000).toFixed(1)} s.`
      : `${plan.first}: no stronger model to escalate to; ${pct(plan.successProbability)} to succeed.`;
    return { selected: plan.first, plan, reason, decision };
  }

  private rememberTurn(turnId: string, turn: PolicyTurn): void {
    this.turns.delete(turnId);
    this.turns.set(turnId, turn);
    while (this.turns.size > this.learner.settings.maxTurns) {
      const oldest = this.turns.keys().next().value;
      if (oldest === undefined) break;
      this.turns.delete(oldest);
    }
  }

  /**
   * Records what happened to a turn: a signal, what it cost, how long it took. Any part may
   * come alone and later (a revert arrives minutes after the cost). Returns the verdict change
   * when there was a signal, undefined when the turn is no longer remembered.
   */
  recordOutcome(
    turnId: string,
    outcome: { signal?: OutcomeSignal | undefined; costUsd?: number | undefined; latencyMs?: number | undefined },
  ): VerdictChange | undefined {
    const now = this.deps.now();
    const turn = this.turns.get(turnId);
    if (!turn || !this.learner.hasTurn(turnId)) return undefined;
    const arm = this.arms[turn.arm];
    if (outcome.costUsd !== undefined && turn.costUsd === undefined) {
      turn.costUsd = outcome.costUsd;
      arm.costUsd += outcome.costUsd;
      arm.costCount += 1;
      // Spend was booked at the estimate; now it is known.
      this.exploration.spendUsd += outcome.costUsd - turn.estimateUsd;
      if (turn.explored) this.exploration.exploreSpendUsd += outcome.costUsd - turn.estimateUsd;
    }
    if (outcome.latencyMs !== undefined) {
      arm.latencyMs += outcome.latencyMs;
      arm.latencyCount += 1;
    }
    this.learner.recordUsage(turnId, outcome, now);
    if (!outcome.signal) return undefined;
    const change = this.learner.signal(turnId, outcome.signal, now);
    if (change) {
      if (change.before) {
        if (change.before.success) arm.successes -= change.before.weight;
        else arm.failures -= change.before.weight;
      }
      if (change.after) {
        if (change.after.success) arm.successes += change.after.weight;
        else arm.failures += change.after.weight;
      }
    }
    return change;
  }

  /** The rollout experiment's two arms side by side. */
  armComparison(): ArmComparison {
    const view = (a: ArmStats): ArmComparison['arms'][Arm] => ({
      ...a,
      successRate: a.successes + a.failures > 0 ? a.successes / (a.successes + a.failures) : undefined,
      meanCostUsd: a.costCount > 0 ? a.costUsd / a.costCount : undefined,
      meanLatencyMs: a.latencyCount > 0 ? a.latencyMs / a.latencyCount : undefined,
    });
    return { rolloutPercent: this.settings.rolloutPercent, arms: { convergence: view(this.arms.convergence), latency: view(this.arms.latency) } };
  }

  /** Exploration done so far against its bounds. */
  explorationStats(): ExplorationStats {
    return { ...this.exploration };
  }
}

/** Checks a persisted {@link PolicyState}; throws {@link PolicySettingsError} naming the field. */
function readPolicyState(value: unknown): { arms: Record<Arm, ArmStats>; exploration: ExplorationStats; turns: [string, PolicyTurn][] } {
  const fail = (path: string, message: string, v: unknown): never => {
    throw new PolicySettingsError(`policy state: ${path}: ${message} (got ${JSON.stringify(v) ?? String(v)})`);
  };
  const obj = (v: unknown, path: string): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(path, 'expected an object', v);
  const num = (o: Record<string, unknown>, key: string, path: string): number => {
    const v = o[key];
    return typeof v === 'number' && Number.isFinite(v) ? v : fail(`${path}.${key}`, 'expected a finite number', v);
  };
  const root = obj(value, '$');
  if (root['version'] !== 1) fail('$.version', 'unsupported version; expected 1', root['version']);
  const arm = (v: unknown, path: string): ArmStats => {
    const o = obj(v, path);
    const keys = ['requests', 'attempts', 'successes', 'failures', 'costUsd', 'costCount', 'latencyMs', 'latencyCount'] as const;
    const out = emptyArm();
    for (const k of keys) out[k] = num(o, k, path);
    return out;
  };
  const arms = obj(root['arms'], '$.arms');
  const ex = obj(root['exploration'], '$.exploration');
  const turnsValue = root['turns'];
  if (!Array.isArray(turnsValue)) fail('$.turns', 'expected an array', turnsValue);
  const turns = (turnsValue as unknown[]).map((tv, i): [string, PolicyTurn] => {
    const path = `$.turns[${i}]`;
    if (!Array.isArray(tv) || tv.length !== 2 || typeof tv[0] !== 'string') return fail(path, 'expected [turnId, turn]', tv);
    const t = obj(tv[1], `${path}[1]`);
    const a = t['arm'];
    if (a !== 'convergence' && a !== 'latency') fail(`${path}[1].arm`, 'expected convergence or latency', a);
    const cost = t['costUsd'];
    return [
      tv[0],
      {
        arm: a as Arm,
        explored: t['explored'] === true,
        estimateUsd: num(t, 'estimateUsd', `${path}[1]`),
        costUsd: cost === undefined || cost === null ? undefined : num(t, 'costUsd', `${path}[1]`),
      },
    ];
  });
  return {
    arms: { convergence: arm(arms['convergence'], '$.arms.convergence'), latency: arm(arms['latency'], '$.arms.latency') },
    exploration: {
      decisions: num(ex, 'decisions', '$.exploration'),
      explored: num(ex, 'explored', '$.exploration'),
      spendUsd: num(ex, 'spendUsd', '$.exploration'),
      exploreSpendUsd: num(ex, 'exploreSpendUsd', '$.exploration'),
    },
    turns,
  };
}
