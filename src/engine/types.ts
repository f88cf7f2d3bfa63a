/**
 * The routing engine's vocabulary. Everything here is plain data: the engine reads no files,
 * no clock and no environment of its own; callers pass those in.
 */

/** The design's eleven code patterns: five positive, six anti-patterns. */
export const POSITIVE_PATTERNS = [
  'HARMONIC_DESIGN',
  'CLEAN_ARCHITECTURE',
  'ROBUST_ERROR_HANDLING',
  'IDEMPOTENT_OPERATIONS',
  'SELF_DOCUMENTING',
] as const;

export const ANTI_PATTERNS = [
  'LOGIC_SPIRAL',
  'ERROR_SWALLOWING',
  'TIGHT_COUPLING',
  'PREMATURE_OPTIMIZATION',
  'REPEATED_SIMILAR_BLOCKS',
  'INSUFFICIENT_VALIDATION',
] as const;

export const PATTERNS = [...POSITIVE_PATTERNS, ...ANTI_PATTERNS] as const;

export type PositivePattern = (typeof POSITIVE_PATTERNS)[number];
export type AntiPattern = (typeof ANTI_PATTERNS)[number];
export type PatternName = (typeof PATTERNS)[number];

/**
 * The session's pattern profile: each pattern's intensity, in findings per thousand lines of
 * the session's recently edited code (decayed by age). Missing patterns count as zero.
 */
export type PatternProfile = Partial<Record<PatternName, number>>;

/** What a model is known to be good at; requests and session patterns call for these. */
export const STRENGTHS = [
  'reasoning',
  'architecture',
  'security',
  'refactoring',
  'debugging',
  'testing',
  'sql',
  'concurrency',
  'api-design',
  'frontend',
  'documentation',
  'error-handling',
  'algorithms',
  'long-context',
  'agentic',
  'speed',
] as const;

export type Strength = (typeof STRENGTHS)[number];

/** The areas a request can touch; each calls for some strengths. */
export const DOMAINS = ['security', 'data', 'concurrency', 'api', 'ui', 'tests', 'refactor', 'docs'] as const;
export type Domain = (typeof DOMAINS)[number];

/** Relative weights of the four signals. After loading they are non-negative and sum to 1. */
export interface Weights {
  convergence: number;
  latency: number;
  cost: number;
  patternMatch: number;
}

export interface Thresholds {
  /** Below this convergence (0–1) a choice is flagged as risky. Design default 0.65. */
  minConvergence: number;
  /** Below this reviewed robustness (0–100) a choice is flagged as risky. Design default 70. */
  minRobustness: number;
}

/** The design's "Mode 2" reviewer settings (`routing.convergence.opus`). */
export interface ReviewSettings {
  enabled: boolean;
  /** Messages API base URL; empty means the SDK's default (or env `CLAUDE_API_ENDPOINT`). */
  endpoint: string;
  model: string;
  timeoutMs: number;
  cache: boolean;
  cacheTtlMs: number;
  /** Code sent for review is cut to this many characters, at a line boundary. */
  maxCodeChars: number;
}

/** Choices that narrow or steady the pick (`routing.convergence.selection`). */
export interface SelectionSettings {
  /** Globs over profile ids and Kilo model ids (`anthropic/*`); empty allows all. */
  allow: string[];
  /** Globs over profile ids and Kilo model ids; a denied model is never picked. */
  deny: string[];
  /** Estimated USD per request above which a model is not picked; undefined means no cap. */
  maxCostPerRequest?: number | undefined;
  /**
   * Keep the current model unless another beats its total by more than this (0–1), because a
   * switch loses the provider's prompt cache.
   */
  stickiness: number;
}

/** Price in USD per million tokens, as the provider lists it. */
export interface Pricing {
  input: number;
  output: number;
  /** Price of a cached input token, when the provider discounts them. */
  cacheRead?: number | undefined;
}

/** Published serving speed. */
export interface Speed {
  /** Time to first token, milliseconds. */
  ttftMs: number;
  /** Output tokens per second once streaming. */
  outputTokensPerSec: number;
}

/**
 * How much real data stands behind a profile's quality figure: `measured` on a public
 * leaderboard run, `derived` from a related public figure by a documented rule, `estimated`
 * from a tier or a vendor statement only.
 */
export type Evidence = 'measured' | 'derived' | 'estimated';

/** One candidate model as the router knows it before any observation. */
export interface ModelProfile {
  id: string;
  displayName?: string | undefined;
  /** Prior probability (0–1) that the model's code converges on a typical coding task. */
  baseConvergence: number;
  strengths: Strength[];
  pricing: Pricing;
  speed: Speed;
  contextWindow: number;
  /** The id Kilo uses, `provider/model` (e.g. `anthropic/claude-opus-4.5`). */
  kiloModel?: string | undefined;
  evidence: Evidence;
  /** Where each figure came from, by figure name (`baseConvergence`, `pricing`, `speed`, ...). */
  source: Record<string, string>;
}

/** The whole routing configuration, fully resolved (defaults, file, settings). */
export interface RoutingConfig {
  enabled: boolean;
  weights: Weights;
  thresholds: Thresholds;
  opus: ReviewSettings;
  selection: SelectionSettings;
  modelProfiles: Record<string, ModelProfile>;
}

/** What the router is asked to route. */
export interface RouteRequest {
  /** The developer's request, as typed. */
  text: string;
  /** Languages of the code in play (VS Code language ids or file extensions). */
  languages?: string[] | undefined;
  /** Lines of code selected or attached to the request. */
  selectionLines?: number | undefined;
  /** The session's detected pattern profile. */
  patternProfile?: PatternProfile | undefined;
  /** The model in use now (profile id or Kilo id); stickiness keeps it when the gain is small. */
  currentModel?: string | undefined;
  /** Restrict the candidates to these (profile ids or Kilo ids). */
  models?: string[] | undefined;
  /** Models to leave out for this request only (e.g. ones that already failed on it). */
  exclude?: string[] | undefined;
}

/** Reviews of code a model wrote in this session (the design's Mode 2). */
export interface ReviewObservation {
  count: number;
  /** Mean robustness, 0–100. */
  meanRobustness: number;
}

/** Outcomes seen for a model (kept changes vs reverted ones), as a success count. */
export interface OutcomeObservation {
  successes: number;
  failures: number;
}

/** Observed serving figures, replacing profile priors as they accrue. */
export interface UsageObservation {
  count: number;
  meanLatencyMs?: number | undefined;
  meanCostUsd?: number | undefined;
}

/** Everything observed about one model; all parts optional. */
export interface ModelObservations {
  reviews?: ReviewObservation | undefined;
  outcomes?: OutcomeObservation | undefined;
  usage?: UsageObservation | undefined;
}

/** Observations by profile id. */
export type Observations = Record<string, ModelObservations>;

/** The request as the router understood it. */
export interface RequestAnalysis {
  /** 0 (trivial) to 1 (very hard). */
  difficulty: number;
  /** 0 (a slip costs little) to 1 (security or data at stake). */
  criticality: number;
  domains: Domain[];
  /** Strengths the request calls for, with how much each matters (0–1). */
  strengthsCalledFor: Partial<Record<Strength, number>>;
  estimatedInputTokens: number;
  estimatedOutputTokens: number;
  /** Short human-readable reasons for the figures above. */
  reasons: string[];
}

export type ConfidenceLevel = 'HIGH' | 'MEDIUM' | 'LOW';

/** The parts of a model's total, each 0–1 (robustness 0–100, as the reviewer reports it). */
export interface ScoreBreakdown {
  convergence: number;
  latencyNormalized: number;
  costNormalized: number;
  robustness?: number | undefined;
  patternMatch?: number | undefined;
}

/** The design's per-model output. */
export interface ConvergenceScore {
  modelId: string;
  /** Weighted total, 0–1. */
  totalScore: number;
  breakdown: ScoreBreakdown;
  recommendation: string;
  confidenceLevel: ConfidenceLevel;
  warnings: string[];
  /** Estimates behind the normalised figures. */
  estimate: {
    costUsd: number;
    latencyMs: number;
  };
  /** False when the cost cap or the context window keeps this model out. */
  eligible: boolean;
  /**
   * True when convergence and (when reviewed) robustness reach the thresholds. Models that do
   * not clear them rank after every model that does: the design's thresholds are gates.
   */
  clearsThresholds: boolean;
}

export type RoutingMode = 'convergence' | 'latency-fallback';

/** The router's answer for one request. */
export interface RoutingDecision {
  selected: string;
  confidenceLevel: ConfidenceLevel;
  recommendation: string;
  warnings: string[];
  mode: RoutingMode;
  /** Every candidate, best first. */
  scores: ConvergenceScore[];
  analysis: RequestAnalysis;
}
