/**
 * The score panel's message protocol, shared by the host (src/vscode/panel.ts) and the webview
 * (webview/main.ts). Both sides switch exhaustively on `type`. The webview says `ready`; the host
 * answers with a full {@link PanelSnapshot}, never a delta, so a restored panel needs nothing else.
 */
import type { ModelStatsSummary } from '../src/engine/learning';
import type { ConfidenceLevel, ConvergenceScore, PatternName, RoutingMode } from '../src/engine/types';

export const WEIGHT_NAMES = ['convergence', 'latency', 'cost', 'patternMatch'] as const;
export type WeightName = (typeof WEIGHT_NAMES)[number];

/** One candidate as the panel shows it. */
export interface ModelRow {
  score: ConvergenceScore;
  displayName: string;
  /** `provider/model` as Kilo names it, when known. */
  kiloModel: string | undefined;
}

/** One detected pattern in the session, with where it was seen. */
export interface PatternSummary {
  pattern: PatternName;
  count: number;
  /** Up to a few places, for links: a `file:` URI string and a 0-based line. */
  places: Array<{ uri: string; line: number; label: string }>;
}

/** The decision the panel shows. */
export interface DecisionView {
  request: string;
  selected: string;
  confidenceLevel: ConfidenceLevel;
  recommendation: string;
  warnings: string[];
  mode: RoutingMode;
  /** Best first. */
  rows: ModelRow[];
  /** True when no session pattern profile was given, so the pattern weight was shared out. */
  patternWeightShared: boolean;
  /** The policy's side of the decision; undefined when learning is not wired in. */
  turn: TurnInfo | undefined;
}

/** Which rollout arm routed a decision: convergence, or the old latency rule. */
export type ArmName = 'convergence' | 'latency';

/** How the policy came to the decision shown (when learning is wired in). */
export interface TurnInfo {
  /** The turn the thumbs buttons judge: the model in use for this attempt. */
  turnId: string;
  arm: ArmName;
  /** 1 for the first attempt at the request; more after re-asks that followed a failure. */
  attempt: number;
  /** The pick came from a draw of the learned statistics (bounded exploration). */
  explored: boolean;
  /** Models that failed on this request before, in order (the pick is stronger where they failed). */
  failed: string[];
  /** The policy's reason, when it differs from the engine's recommendation. */
  note: string | undefined;
}

/** One turn the learner knows about, for the recent-decisions list with its thumbs. */
export interface TurnView {
  turnId: string;
  /** `panel`: a decision made here; `kilo`: a turn the Kilo plugin routed (decisions.jsonl). */
  source: 'panel' | 'kilo';
  request: string;
  modelId: string;
  displayName: string;
  /** Epoch milliseconds. */
  at: number;
  arm: ArmName | undefined;
  /** True when the model is the user's choice over the pick. */
  override: boolean;
  /** The turn's verdict so far: what its signals add up to (docs/learning.md). */
  verdict: { success: boolean; decidedBy: string; weight: number } | undefined;
  /** The last thumbs given, if any. */
  thumbs: boolean | undefined;
  costUsd: number | undefined;
  latencyMs: number | undefined;
}

/** What was learned about one model (observed ones only): `Learner.summary`'s figures the panel shows. */
export type ModelStatsView = Omit<ModelStatsSummary, 'costRatio' | 'latencyRatio' | 'lastObservedAt'>;

/** One arm of the rollout experiment. */
export interface ArmView {
  requests: number;
  attempts: number;
  successes: number;
  failures: number;
  successRate: number | undefined;
  meanCostUsd: number | undefined;
  meanLatencyMs: number | undefined;
}

/** The learned-statistics view. */
export interface LearningView {
  /** `convergence.learning.enabled`: routing uses what was learned. */
  enabled: boolean;
  /** Observed models, most observed first. */
  models: ModelStatsView[];
  /** Profiles with nothing observed yet. */
  unobserved: number;
  rolloutPercent: number;
  arms: Record<ArmName, ArmView>;
  exploration: { decisions: number; explored: number; spendUsd: number; exploreSpendUsd: number; maxRequestShare: number; maxBudgetShare: number };
  /** Newest first. */
  recent: TurnView[];
}

/** Kilo, as the panel reports it. */
export interface KiloView {
  /** Which integration is active, in one sentence (`detectIntegration`'s summary). */
  integration: string;
  kind: 'kilo-plugin' | 'legacy-api' | 'legacy-inactive' | 'none';
  /** The extension behind it: id, version, active or not, what it exports. */
  detail: string | undefined;
  /** Other Kilo/Roo extensions also installed. */
  others: string[];
  /** "last routed: …, cost so far …" from the plugin's logs; undefined without a workspace folder. */
  activity: string | undefined;
}

/** The prices in use and where they come from. */
export interface PricesView {
  /** `live`, `fresh`, `stale` or `embedded` (the built-in profiles). */
  state: 'live' | 'fresh' | 'stale' | 'embedded';
  /** "Prices from the Kilo gateway, fetched 3 h ago." */
  text: string;
  /** Profiles the gateway does not list: left out of the candidates while its list is in use. */
  missing: string[];
}

/** Everything the panel draws, sent whole on `ready` and after every change. */
export interface PanelSnapshot {
  decision: DecisionView | undefined;
  /** Effective weights (normalised, summing to 1), as the engine applies them. */
  weights: Record<WeightName, number>;
  /** The weights as the sliders show them: the user's setting where set, else the effective weight. */
  sliders: Record<WeightName, number>;
  /** The model the user picked over the recommendation, if any. */
  override: string | undefined;
  /** Every configured model, for the override picker. */
  models: Array<{ id: string; displayName: string }>;
  /** Undefined when pattern detection is not available in this build. */
  patterns: PatternSummary[] | undefined;
  /** A problem to show instead of (or above) the decision, e.g. a routing error. */
  error: string | undefined;
  /** The learned statistics; undefined when learning is not available in this build. */
  learning: LearningView | undefined;
  /** Undefined when the Kilo integration is not available in this build. */
  kilo: KiloView | undefined;
  /** Undefined when the live catalog is not available in this build. */
  prices: PricesView | undefined;
}

/** Host → webview. */
export type HostMessage = { type: 'snapshot'; snapshot: PanelSnapshot };

/** Webview → host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'setWeight'; name: WeightName; value: number }
  | { type: 'useModel'; modelId: string }
  | { type: 'clearOverride' }
  | { type: 'reroute' }
  | { type: 'openPlace'; uri: string; line: number }
  /** The developer's judgement of one turn (a decision in the panel or a Kilo turn). */
  | { type: 'thumbs'; turnId: string; up: boolean }
  /** Sent after each render: the rows in the order drawn, so the host (and its tests) see what the user sees. */
  | { type: 'rendered'; order: string[]; totals: number[]; selected: string | undefined; drawn: RenderedSections };

/** What else a render put on screen, as text, so the host (and its tests) see what the user sees. */
export interface RenderedSections {
  /** Model ids of the learned-statistics table, in order. */
  learned: string[];
  /** The Kilo integration line. */
  kilo: string | undefined;
  /** The price freshness line. */
  prices: string | undefined;
}

/** What the webview keeps in `setState` (view state only; data always comes from the host). */
export interface PanelViewState {
  /** Model ids whose details are expanded. */
  expanded: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Checks a message from the webview before the host acts on it; anything else is dropped. */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (!isObj(raw) || typeof raw['type'] !== 'string') return undefined;
  const m = raw as Record<string, unknown> & { type: WebviewMessage['type'] };
  switch (m.type) {
    case 'ready':
    case 'clearOverride':
    case 'reroute':
      return { type: m.type };
    case 'setWeight': {
      const name = m['name'];
      const value = m['value'];
      if (typeof name !== 'string' || !(WEIGHT_NAMES as readonly string[]).includes(name)) return undefined;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) return undefined;
      return { type: 'setWeight', name: name as WeightName, value };
    }
    case 'useModel':
      return typeof m['modelId'] === 'string' ? { type: 'useModel', modelId: m['modelId'] } : undefined;
    case 'rendered': {
      const order = m['order'];
      const totals = m['totals'];
      const selected = m['selected'];
      if (!Array.isArray(order) || !order.every((x) => typeof x === 'string')) return undefined;
      if (!Array.isArray(totals) || !totals.every((x) => typeof x === 'number')) return undefined;
      if (selected !== undefined && typeof selected !== 'string') return undefined;
      const drawn = m['drawn'];
      if (!isObj(drawn)) return undefined;
      const learned = drawn['learned'];
      const kilo = drawn['kilo'];
      const prices = drawn['prices'];
      if (!Array.isArray(learned) || !learned.every((x) => typeof x === 'string')) return undefined;
      if ((kilo !== undefined && typeof kilo !== 'string') || (prices !== undefined && typeof prices !== 'string')) return undefined;
      return { type: 'rendered', order, totals, selected, drawn: { learned, kilo, prices } };
    }
    case 'thumbs':
      return typeof m['turnId'] === 'string' && m['turnId'] !== '' && typeof m['up'] === 'boolean' ? { type: 'thumbs', turnId: m['turnId'], up: m['up'] } : undefined;
    case 'openPlace':
      return typeof m['uri'] === 'string' && typeof m['line'] === 'number' ? { type: 'openPlace', uri: m['uri'], line: m['line'] } : undefined;
    default: {
      const unknownType: never = m.type;
      void unknownType;
      return undefined;
    }
  }
}

/** One stacked-bar segment: a weighted part of a model's total. */
export interface BarSegment {
  part: WeightName;
  /** weight × part value, on the total's 0–1 scale. */
  value: number;
}

/**
 * The weighted parts of a total, as the engine adds them: weight × part over the sum of the
 * weights in play (the pattern weight is left out when no pattern profile was given). In
 * latency-fallback mode the total is the latency figure alone.
 */
export function barSegments(score: ConvergenceScore, weights: Record<WeightName, number>, mode: RoutingMode): BarSegment[] {
  const b = score.breakdown;
  if (mode === 'latency-fallback') return [{ part: 'latency', value: b.latencyNormalized }];
  const pm = b.patternMatch;
  const wPm = pm === undefined ? 0 : weights.patternMatch;
  const norm = weights.convergence + weights.latency + weights.cost + wPm || 1;
  const segs: BarSegment[] = [
    { part: 'convergence', value: (weights.convergence * b.convergence) / norm },
    { part: 'latency', value: (weights.latency * b.latencyNormalized) / norm },
    { part: 'cost', value: (weights.cost * b.costNormalized) / norm },
  ];
  if (pm !== undefined) segs.push({ part: 'patternMatch', value: (wPm * pm) / norm });
  return segs;
}
