/**
 * The asynchronous code reviewer (the design's Mode 2), the module's only entry. No `vscode`.
 *
 * ```ts
 * const reviewer = new CodeReviewer({
 *   settings: config.opus,                          // routing.convergence.opus
 *   getSecret: () => context.secrets.get(KEY_ID),   // else env ANTHROPIC_API_KEY
 *   env: process.env,                               // ANTHROPIC_API_KEY, CLAUDE_API_ENDPOINT
 *   logger: outputChannel,                          // info / warn / error
 *   now: Date.now,
 *   storage: { read: ..., write: ... },             // optional, on this machine only
 * });
 * reviewer.onDidReview((e) => refreshPanel(e));
 * void reviewer.requestReview({ code, changedRange, modelId: profileId, file });
 * const decision = route(config, request, reviewer.routeContext()); // never waits for a review
 * ```
 *
 * See docs/review.md for what is sent, redaction, caching and failure behaviour.
 */
export { CodeReviewer, DEFAULT_REVIEW_MODEL } from './reviewer';
export type { ReviewerOptions } from './reviewer';
export { ReviewError } from './types';
export type {
  ChangedRange,
  CodeQuality,
  CodeReview,
  Disposable,
  ReviewErrorKind,
  ReviewEvent,
  ReviewLogger,
  ReviewOutcome,
  ReviewRequest,
  ReviewStatus,
  ReviewStorage,
} from './types';
export { basicHeuristic } from './heuristic';
export { patternHeuristic, patternHeuristicFrom, reviewFromFindings } from './pattern-heuristic';
export type { PatternDetectors } from './pattern-heuristic';
export type { HeuristicReviewer, SyncHeuristicReviewer } from './heuristic';
export { defaultCacheFile, fileReviewStorage } from './storage';
export { MAX_TOKENS, PROMPT_VERSION, REVIEW_TOOL, SYSTEM_PROMPT } from './prompt';
export { redactSecrets, REDACTED } from './redact';
