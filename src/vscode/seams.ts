/**
 * The seams where the other subsystems plug into the extension. Each is optional: the
 * extension works with none of them (no patterns, no review, no Kilo, no learning) and says so
 * where it matters. `src/vscode/integrations.ts` is the one place that builds them.
 */
import type { Observations, PatternName, PatternProfile, RouteContext, RouteRequest, RoutingConfig, RoutingDecision } from '../engine';
import type { KiloView, LearningView, PatternSummary, PricesView, TurnInfo } from '../../webview/protocol';

/** One finding in a document, as the hover shows it. */
export interface PatternFinding {
  pattern: PatternName;
  /** 0-based line range. */
  startLine: number;
  endLine: number;
  /** Why, e.g. "cognitive complexity 23 > 15". */
  reason: string;
}

/** Subscribes to a change; returns something to dispose. Matches `vscode.Event`. */
export type OnChange = (listener: () => void) => { dispose(): unknown };

/**
 * Pattern detection (issue 3, `src/patterns/`): fed by edit tracking, read by routing and hover.
 * An adapter over `PatternTracker` maps `findingsAt`/`findings` onto these (message → reason).
 */
export interface PatternSource {
  /** Analyse a document's current text (called debounced, after size and glob checks). */
  update(uri: string, languageId: string, text: string): void;
  /** Forget a closed or deleted document. */
  forget?(uri: string): void;
  /** A document was saved (cross-file detectors such as clones run then). */
  save?(uri: string): void;
  /** The session's pattern profile, or undefined before anything was analysed. */
  profile(): PatternProfile | undefined;
  /** The session's patterns with counts and places, for the panel. */
  summary(): PatternSummary[];
  /** Cached findings within a line range of a document; never analyses on the spot. */
  findingsIn(uri: string, startLine: number, endLine: number): PatternFinding[];
  /**
   * The function at a line from the cached parse (`PatternTracker.findingsAt(uri, line).function`);
   * the hover prefers it over its own text scan when it knows the document.
   */
  functionAt?(uri: string, line: number): { name: string | undefined; startLine: number; endLine: number } | undefined;
  /** Fires when the profile or findings changed (the session re-scores, the panel redraws). */
  onDidChange?: OnChange;
}

/** What a review returns (issue 4, `src/review/`). */
export interface ReviewResult {
  /** 0–100. */
  robustness: number;
  summary: string;
  /** True when served from the review cache. */
  cached: boolean;
}

/** What is sent for review: the code, where it is from, and the profile id of the model that wrote it. */
export interface ReviewInput {
  code: string;
  languageId: string;
  fileName: string;
  modelId: string;
  /** The lines that changed, 0-based and inclusive; the excerpt sent is centred on them. */
  changedRange?: { startLine: number; endLine: number } | undefined;
}

/**
 * The Claude reviewer (issue 4, adapted in `reviewIntegration.ts`). It reads the key and the
 * review settings itself. Never called in an untrusted workspace (`trustGuardedReviewer`).
 */
export interface Reviewer {
  /** Reviews the code; rejects with a message for the user when no review could be had. */
  review(input: ReviewInput): Promise<ReviewResult>;
  /** A cached review of exactly this code, without any network call. */
  cached(code: string): ReviewResult | undefined;
  /** True while reviews are failing (timeouts, 5xx): routing goes on with lower confidence. */
  unavailable?(): boolean;
  /** Fires when a review lands (observations changed). */
  onDidChange?: OnChange;
}

/** What the extension publishes for the Kilo plugin (its `state.json`), so Kilo routes as the editor does. */
export interface PublishedState {
  patternProfile: PatternProfile | undefined;
  languages: string[];
  /** The settings overlay, shaped like `routing.convergence` (what `overlayFromObject` takes). */
  settings: Record<string, unknown>;
  observations: Observations | undefined;
  enabled: boolean;
}

/** Applying a pick to Kilo Code (issue 7, `src/kilo/`). */
export interface KiloBridge {
  /** True when a pick can be applied to the Kilo in this window (so "Use this model" applies it too). */
  canApply?(): boolean;
  /** Make Kilo use this model (`provider/model`); returns a line for the user. */
  applyModel(kiloModel: string, context: { modelId: string; reason: string }): Promise<string>;
  /** Install the routing plugin into Kilo; returns a line for the user. */
  installPlugin(): Promise<string>;
  /** Publish the session state for the plugin (called debounced after changes). */
  publish?(state: PublishedState): void;
  /** Which integration is active and the "last routed: …" line, for the panel. */
  status?(): KiloView;
}

/**
 * The Kilo gateway's live model list (issue 7, `src/kilo/catalog.ts`): current prices and the
 * models the gateway serves. Without a token or offline, the built-in profiles stand.
 */
export interface PriceSource {
  /** The config with the gateway's prices and context windows (the same object while nothing changed). */
  apply(config: RoutingConfig): RoutingConfig;
  /** Profile ids the gateway serves: the candidates while its list is in use; undefined = no restriction. */
  candidates(config: RoutingConfig): string[] | undefined;
  /** The same prices as a settings overlay, for the Kilo plugin's state.json; undefined without a list. */
  overlay(config: RoutingConfig): Record<string, unknown> | undefined;
  /** How fresh the prices are, for the panel. */
  status(config: RoutingConfig): PricesView;
  /** Fires when a new list (or a failure to get one) arrived. */
  onDidChange?: OnChange;
}

/** A decision with the learning policy's side of it. */
export interface LearnedDecision {
  decision: RoutingDecision;
  /** Undefined when the request was scored without a turn (a preview, or a request from before). */
  turn: TurnInfo | undefined;
}

/**
 * Learning from outcomes (issue 6, `src/engine/learning.ts` and `policy.ts`, wired in
 * `learningService.ts`): the rollout experiment, exploration and escalation decide each new
 * request, and what happens to the turn afterwards teaches the learner.
 */
export interface LearningSource {
  /** A new request (a re-ask of the last one counts against it and escalates after a failure); starts a turn. */
  decide(request: RouteRequest, context: RouteContext): LearnedDecision;
  /** The current request again, after a settings or observation change; records nothing. */
  rescore(request: RouteRequest, context: RouteContext): LearnedDecision;
  /** Any request scored with what was learned, recording nothing (the hover). */
  preview(request: RouteRequest, context: RouteContext): RoutingDecision;
  /** The model in use for the current request changed (the user's choice, a re-score): later signals are its. Returns the turn now judged. */
  inUse(modelId: string): TurnInfo | undefined;
  /**
   * The turn's model was put to work (applied to Kilo, edits followed): asking the same request
   * again is then a re-ask, a failure of this answer. Before that it only re-scores.
   */
  markUsed(turnId: string): void;
  /** The developer's thumbs up or down for a turn; false when the turn is not known (any more). */
  thumbs(turnId: string, up: boolean): boolean;
  /** The learned-statistics view. */
  view(): LearningView;
  /** `base` with what was learned for this request, for the Kilo plugin's state.json. */
  observations(request: RouteRequest, base: Observations | undefined): Observations | undefined;
  /** Fires when something was learned. */
  onDidChange?: OnChange;
}

/**
 * What the workspace has observed about each model (reviews, outcomes, usage). The reviewer
 * gives `reviews`; the learner (issue 6, `Learner.observations(config, analyzeRequest(request),
 * context, now)`) gives `outcomes` and `usage` for this request, and takes the place of any
 * outcomes given here.
 */
export interface ObservationSource {
  observations(request: RouteRequest): Observations;
  /** Fires when new outcomes were read. */
  onDidChange?: OnChange;
}

/** Every optional integration; absent members are simply not there yet. */
export interface Integrations {
  patterns?: PatternSource | undefined;
  reviewer?: Reviewer | undefined;
  kilo?: KiloBridge | undefined;
  observations?: ObservationSource | undefined;
  learning?: LearningSource | undefined;
  prices?: PriceSource | undefined;
}
