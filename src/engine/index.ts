/** The routing engine's public entry: pure TypeScript, no editor, no files, no clock. */
export * from './types';
export { ConfigError, ConfigStore, formatIssue, overlayFromObject, parseConfigText, parseDuration, resolveConfig } from './config';
export type { ConfigIssue, ConfigLayer, ConfigOverlay, LoadOutcome, ParseOptions, ParseResult, ProfileOverlay, ResolveResult } from './config';
export { DEFAULT_CONFIG_LABEL, DEFAULT_CONFIG_TEXT, loadDefaultConfig, parseDefaultLayer } from './defaults';
export { analyzeRequest, describeDifficulty } from './analysis';
export { findProfile, route, routingEnabled, RoutingError } from './router';
export type { RouteContext } from './router';
export { PATTERN_STRENGTHS, PRIOR_STRENGTH } from './scoring';
export {
  contextKeys,
  DEFAULT_LEARNER_SETTINGS,
  Learner,
  LEARNING_PRIORS,
  LearnerStateError,
  outcomesFor,
  priorConvergence,
  qualityForConvergence,
  taskClassOf,
  turnStartFor,
  usageFor,
} from './learning';
export type { ContextSummary, LearnerSettings, LearnerState, ModelStatsSummary, TaskContext, TurnStart, VerdictChange } from './learning';
export { SIGNAL_WEIGHTS, verdictOf } from './signals';
export type { OutcomeSignal, SignalKind, Verdict } from './signals';
export { armFor, conditionalSuccess, DEFAULT_POLICY_SETTINGS, ESCALATION_MARGIN, PolicySettingsError, readLearningSettings, RoutingPolicy, scorePlans } from './policy';
export type {
  Arm,
  ArmComparison,
  ArmStats,
  ExplorationSettings,
  ExplorationStats,
  Plan,
  PolicyDecision,
  PolicyDeps,
  PolicyRequest,
  PolicySettings,
  PolicyState,
} from './policy';
export { REPLAY_EPOCH_MS, REPLAY_TASK_INTERVAL_MS, replayBaselines, replayClock, ReplaySession } from './replay';
export type { BaselineResult, Baselines, ReplayAttempt, ReplayClock, ReplayEvent, ReplayOptions, ReplayTask, ReplayTaskResult, Reveal, RevealedOutcome } from './replay';
export { sampleBeta, sampleGamma, sampleNormal, seededRandom, stableHash } from './random';
export type { RandomSource } from './random';
