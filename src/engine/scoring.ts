import type {
  AntiPattern,
  Evidence,
  ModelObservations,
  ModelProfile,
  PatternName,
  PatternProfile,
  PositivePattern,
  RequestAnalysis,
  Strength,
} from './types';

/**
 * Weight of a profile's prior, in pseudo-observations: after this many reviews or outcomes the
 * observed figures count as much as the public benchmark. Small on purpose: the session is the
 * developer's own code, which a leaderboard only approximates.
 */
export const PRIOR_STRENGTH = 4;

/** Each called-for strength a model has adds this (scaled by how much it matters) to its ability. */
const STRENGTH_BONUS = 0.3;
const MAX_STRENGTH_BONUS = 0.6;

/**
 * Hardness at which convergence equals the profile's prior exactly: the benchmark's own
 * "typical task".
 */
const TYPICAL_HARDNESS = 0.4;
/**
 * How far each model falls short of the ceiling, as a multiple of its benchmark shortfall:
 * 0.3 on the most trivial request, 1 at the typical task, about 2 on the hardest.
 */
const STRETCH_AT_ZERO = 0.3;
const STRETCH_SLOPE = (1 - STRETCH_AT_ZERO) / TYPICAL_HARDNESS;
/** The ceiling: a model this good (95%) converges whatever the request. In log-odds. */
const CEILING = Math.log(0.95 / 0.05);

const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);
const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Hardness combines difficulty with what is at stake: a security slip costs more than a typo. */
export function hardness(analysis: RequestAnalysis): number {
  return clamp(0.7 * analysis.difficulty + 0.3 * analysis.criticality, 0, 1);
}

/**
 * The model's success rate after blending its public prior with what was observed in this
 * workspace: reviewed robustness (0–100 → 0–1, one pseudo-outcome per review) and kept or
 * reverted changes.
 */
export function observedQuality(profile: ModelProfile, obs: ModelObservations | undefined): number {
  const reviews = obs?.reviews;
  const outcomes = obs?.outcomes;
  const nReviews = reviews?.count ?? 0;
  const nOutcomes = (outcomes?.successes ?? 0) + (outcomes?.failures ?? 0);
  if (nReviews === 0 && nOutcomes === 0) return profile.baseConvergence;
  const reviewed = nReviews * ((reviews?.meanRobustness ?? 0) / 100);
  const succeeded = outcomes?.successes ?? 0;
  return (PRIOR_STRENGTH * profile.baseConvergence + reviewed + succeeded) / (PRIOR_STRENGTH + nReviews + nOutcomes);
}

/** Ability bonus for having the strengths a request calls for; bounded. */
export function strengthBonus(profile: ModelProfile, calledFor: RequestAnalysis['strengthsCalledFor']): number {
  let bonus = 0;
  for (const s of profile.strengths) bonus += (calledFor[s] ?? 0) * STRENGTH_BONUS;
  return Math.min(bonus, MAX_STRENGTH_BONUS);
}

/**
 * Estimated probability (0–1) that the model's code converges on this request. In log-odds,
 * every model sits below a common ceiling by its shortfall (ceiling − ability − strength bonus),
 * and the request's hardness stretches every shortfall by the same factor: at the benchmark's
 * typical hardness the factor is 1 and the model's prior comes back; on a trivial request it is
 * 0.3, so every capable model converges and gaps shrink; on a hard, critical one it is about 2,
 * so the gaps widen. Harder never raises a model's chance, and more ability never lowers it.
 */
export function convergence(quality: number, bonus: number, h: number): number {
  const ability = Math.min(logit(clamp(quality, 0.01, 0.99)) + bonus, CEILING);
  const stretch = STRETCH_AT_ZERO + STRETCH_SLOPE * h;
  return sigmoid(CEILING - stretch * (CEILING - ability));
}

/** Strengths that counter (anti-patterns) or keep up (positive patterns) each session pattern. */
export const PATTERN_STRENGTHS: Record<PatternName, readonly Strength[]> = {
  HARMONIC_DESIGN: ['architecture'],
  CLEAN_ARCHITECTURE: ['architecture', 'refactoring'],
  ROBUST_ERROR_HANDLING: ['error-handling'],
  IDEMPOTENT_OPERATIONS: ['error-handling', 'sql'],
  SELF_DOCUMENTING: ['documentation'],
  LOGIC_SPIRAL: ['refactoring', 'reasoning'],
  ERROR_SWALLOWING: ['error-handling', 'debugging'],
  TIGHT_COUPLING: ['architecture', 'refactoring'],
  PREMATURE_OPTIMIZATION: ['refactoring'],
  REPEATED_SIMILAR_BLOCKS: ['refactoring'],
  INSUFFICIENT_VALIDATION: ['security', 'error-handling'],
} satisfies Record<PositivePattern | AntiPattern, readonly Strength[]>;

/**
 * How well a model's strengths fit the patterns in the session's code (0–1), weighting each
 * pattern by its intensity. Undefined when the session shows no pattern yet.
 */
export function patternMatch(profile: ModelProfile, session: PatternProfile | undefined): number | undefined {
  if (!session) return undefined;
  let total = 0;
  let matched = 0;
  for (const [pattern, intensity] of Object.entries(session) as [PatternName, number][]) {
    if (!(intensity > 0)) continue;
    const wanted = PATTERN_STRENGTHS[pattern];
    let have = 0;
    for (const s of wanted) if (profile.strengths.includes(s)) have++;
    total += intensity;
    matched += intensity * (have / wanted.length);
  }
  return total > 0 ? matched / total : undefined;
}

/** Observed figures replace priors gradually: after PRIOR_STRENGTH uses they weigh the same. */
function blend(prior: number, observed: number | undefined, count: number): number {
  if (observed === undefined || count <= 0) return prior;
  return (PRIOR_STRENGTH * prior + count * observed) / (PRIOR_STRENGTH + count);
}

/** Expected wall time of one turn: first token, then the expected output at the model's pace. */
export function estimateLatencyMs(profile: ModelProfile, analysis: RequestAnalysis, obs?: ModelObservations): number {
  const prior = profile.speed.ttftMs + (1000 * analysis.estimatedOutputTokens) / profile.speed.outputTokensPerSec;
  return blend(prior, obs?.usage?.meanLatencyMs, obs?.usage?.count ?? 0);
}

/** Expected USD for one turn at list prices. */
export function estimateCostUsd(profile: ModelProfile, analysis: RequestAnalysis, obs?: ModelObservations): number {
  const prior = (analysis.estimatedInputTokens * profile.pricing.input + analysis.estimatedOutputTokens * profile.pricing.output) / 1e6;
  return blend(prior, obs?.usage?.meanCostUsd, obs?.usage?.count ?? 0);
}

const EVIDENCE_WEIGHT: Record<Evidence, number> = { measured: 1, derived: 0.6, estimated: 0.3 };

/**
 * How much real data stands behind a model's figures (0–1): the profile's evidence, raised
 * toward 1 by observations in this workspace.
 */
export function dataSupport(profile: ModelProfile, obs: ModelObservations | undefined): number {
  const n = (obs?.reviews?.count ?? 0) + (obs?.outcomes ? obs.outcomes.successes + obs.outcomes.failures : 0) + (obs?.usage?.count ?? 0);
  const prior = EVIDENCE_WEIGHT[profile.evidence];
  return prior + (1 - prior) * (n / (n + PRIOR_STRENGTH * 2));
}

/**
 * The smallest spread, as a ratio of worst to best, that normalisation stretches to the full
 * 0–1 range. Without a floor, three models whose prices differ by 1.7× would be scored 0 and 1
 * on cost just as models differing by 100× are, and a narrow candidate list (say, one vendor's
 * models) would let a small price gap outweigh a large quality gap. List prices of current
 * coding models span about 20× from cheap to frontier, time per turn about 8×.
 */
export const COST_MIN_SPAN = 20;
export const LATENCY_MIN_SPAN = 8;

/**
 * Log-scale position of `value` between the best candidate (1) and `minSpan`-times worse, or the
 * worst candidate if that is further (0): a model twice as expensive as the cheapest is as far
 * behind whatever the absolute prices.
 */
export function normalizeLowerIsBetter(value: number, min: number, max: number, minSpan = 1): number {
  if (value <= 0 || min <= 0) return 1;
  const span = Math.log(Math.max(max / min, minSpan));
  if (!(span > 0)) return 1;
  return clamp(1 - Math.log(value / min) / span, 0, 1);
}
