import { analyzeRequest, describeDifficulty } from './analysis';
import { globToRegExp, matchesAny } from './glob';
import {
  convergence,
  COST_MIN_SPAN,
  LATENCY_MIN_SPAN,
  dataSupport,
  estimateCostUsd,
  estimateLatencyMs,
  hardness,
  normalizeLowerIsBetter,
  observedQuality,
  patternMatch,
  strengthBonus,
} from './scoring';
import type {
  ConfidenceLevel,
  ConvergenceScore,
  ModelProfile,
  Observations,
  RequestAnalysis,
  RouteRequest,
  RoutingConfig,
  RoutingDecision,
  RoutingMode,
  ScoreBreakdown,
} from './types';

/** A request the router cannot answer (an unknown model named, nothing left to choose from). */
export class RoutingError extends Error {
  override readonly name = 'RoutingError';
}

/** What the caller knows beyond the request; all optional. */
export interface RouteContext {
  /** What this workspace has observed about each model (reviews, outcomes, usage). */
  observations?: Observations | undefined;
  /** Set when the reviewer is failing (timeouts, 5xx): routing goes on, confidence drops. */
  reviewUnavailable?: boolean | undefined;
  /** Environment, for `CONVERGENCE_ROUTING_ENABLED`. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** Convergence routing is on unless the config or `CONVERGENCE_ROUTING_ENABLED=false` turns it off. */
export function routingEnabled(config: RoutingConfig, env: RouteContext['env']): boolean {
  const flag = env?.['CONVERGENCE_ROUTING_ENABLED']?.trim().toLowerCase();
  if (flag === 'false' || flag === '0' || flag === 'off' || flag === 'no') return false;
  return config.enabled;
}

/** Finds a profile by its id or its Kilo id (`anthropic/claude-opus-4.5`), case-insensitively. */
export function findProfile(config: RoutingConfig, name: string): ModelProfile | undefined {
  const direct = config.modelProfiles[name];
  if (direct) return direct;
  const lower = name.toLowerCase();
  for (const p of Object.values(config.modelProfiles)) {
    if (p.id.toLowerCase() === lower || p.kiloModel?.toLowerCase() === lower) return p;
  }
  return undefined;
}

interface CompiledSelection {
  allow: RegExp[];
  deny: RegExp[];
}
const compiled = new WeakMap<RoutingConfig, CompiledSelection>();

function selectionOf(config: RoutingConfig): CompiledSelection {
  let c = compiled.get(config);
  if (!c) {
    c = { allow: config.selection.allow.map(globToRegExp), deny: config.selection.deny.map(globToRegExp) };
    compiled.set(config, c);
  }
  return c;
}

/** Candidates after `models`, `exclude` and the allow/deny lists. */
function candidatesFor(config: RoutingConfig, request: RouteRequest): ModelProfile[] {
  let pool: ModelProfile[];
  if (request.models && request.models.length > 0) {
    pool = [];
    for (const name of request.models) {
      const p = findProfile(config, name);
      if (!p) throw new RoutingError(`unknown model "${name}"; known: ${Object.keys(config.modelProfiles).join(', ')}`);
      if (!pool.includes(p)) pool.push(p);
    }
  } else {
    pool = Object.values(config.modelProfiles);
  }
  const sel = selectionOf(config);
  const excluded = new Set((request.exclude ?? []).map((n) => findProfile(config, n)?.id ?? n));
  const out = pool.filter(
    (p) =>
      !excluded.has(p.id) &&
      (sel.allow.length === 0 || matchesAny(sel.allow, [p.id, p.kiloModel])) &&
      !matchesAny(sel.deny, [p.id, p.kiloModel]),
  );
  if (out.length === 0) {
    throw new RoutingError('no candidate model is left after the model list, exclusions and allow/deny lists');
  }
  return out;
}

/** Per-model figures before normalisation. */
interface Raw {
  profile: ModelProfile;
  convergence: number;
  robustness: number | undefined;
  patternMatch: number | undefined;
  latencyMs: number;
  costUsd: number;
  support: number;
  fitsContext: boolean;
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * Scores every candidate model for a request and picks one. Pure and synchronous: it never
 * waits for a review; reviews that landed earlier arrive through `context.observations`.
 */
export function route(config: RoutingConfig, request: RouteRequest, context: RouteContext = {}): RoutingDecision {
  const analysis = analyzeRequest(request);
  const candidates = candidatesFor(config, request);
  const h = hardness(analysis);
  const obs = context.observations;

  const raws: Raw[] = candidates.map((profile) => {
    const o = obs?.[profile.id];
    const quality = observedQuality(profile, o);
    return {
      profile,
      convergence: convergence(quality, strengthBonus(profile, analysis.strengthsCalledFor), h),
      robustness: o?.reviews && o.reviews.count > 0 ? o.reviews.meanRobustness : undefined,
      patternMatch: patternMatch(profile, request.patternProfile),
      latencyMs: estimateLatencyMs(profile, analysis, o),
      costUsd: estimateCostUsd(profile, analysis, o),
      support: dataSupport(profile, o),
      fitsContext: analysis.estimatedInputTokens + analysis.estimatedOutputTokens <= profile.contextWindow,
    };
  });

  let minLat = Infinity;
  let maxLat = 0;
  let minPaid = Infinity;
  let maxCost = 0;
  for (const r of raws) {
    minLat = Math.min(minLat, r.latencyMs);
    maxLat = Math.max(maxLat, r.latencyMs);
    if (r.costUsd > 0) minPaid = Math.min(minPaid, r.costUsd);
    maxCost = Math.max(maxCost, r.costUsd);
  }
  // A free model ($0) has no place on a log scale. It counts as half the cheapest paid one:
  // best on cost, without squashing every paid model's cost score into the same value.
  const anyFree = raws.some((r) => r.costUsd <= 0);
  const costFloor = minPaid === Infinity ? 0 : anyFree ? minPaid / 2 : minPaid;
  const minCost = costFloor;

  const enabled = routingEnabled(config, context.env);
  const mode: RoutingMode = enabled ? 'convergence' : 'latency-fallback';
  const w = config.weights;
  const cap = config.selection.maxCostPerRequest;
  const { minConvergence, minRobustness } = config.thresholds;

  const scored = raws.map((r) => {
    const latencyNormalized = normalizeLowerIsBetter(r.latencyMs, minLat, maxLat, LATENCY_MIN_SPAN);
    const costNormalized = normalizeLowerIsBetter(Math.max(r.costUsd, costFloor), minCost, maxCost, COST_MIN_SPAN);
    // Without a session pattern profile the pattern weight is shared out over the other three,
    // so totals stay on the same 0–1 scale.
    const pmWeight = r.patternMatch === undefined ? 0 : w.patternMatch;
    const norm = w.convergence + w.latency + w.cost + pmWeight || 1;
    const weighted =
      (w.convergence * r.convergence + w.latency * latencyNormalized + w.cost * costNormalized + pmWeight * (r.patternMatch ?? 0)) / norm;
    const totalScore = enabled ? weighted : latencyNormalized;
    const warnings: string[] = [];
    const clearsConvergence = r.convergence >= minConvergence;
    const clearsRobustness = r.robustness === undefined || r.robustness >= minRobustness;
    if (!clearsConvergence) warnings.push(`convergence ${r.convergence.toFixed(2)} is below minConvergence ${minConvergence}`);
    if (!clearsRobustness) warnings.push(`reviewed robustness ${Math.round(r.robustness ?? 0)} is below minRobustness ${minRobustness}`);
    const overCap = cap !== undefined && r.costUsd > cap;
    if (overCap) warnings.push(`estimated $${r.costUsd.toFixed(4)} exceeds maxCostPerRequest $${cap}`);
    if (!r.fitsContext) warnings.push(`estimated ${analysis.estimatedInputTokens} input tokens do not fit its ${r.profile.contextWindow}-token context window`);
    if (r.profile.evidence !== 'measured') warnings.push(`quality figure is ${r.profile.evidence}, not measured`);
    const breakdown: ScoreBreakdown = {
      convergence: round3(r.convergence),
      latencyNormalized: round3(latencyNormalized),
      costNormalized: round3(costNormalized),
    };
    if (r.robustness !== undefined) breakdown.robustness = Math.round(r.robustness);
    if (r.patternMatch !== undefined) breakdown.patternMatch = round3(r.patternMatch);
    const score: ConvergenceScore = {
      modelId: r.profile.id,
      totalScore: round3(totalScore),
      breakdown,
      recommendation: '',
      confidenceLevel: supportLevel(r.support),
      warnings,
      estimate: { costUsd: r.costUsd, latencyMs: Math.round(r.latencyMs) },
      eligible: !overCap && r.fitsContext,
      clearsThresholds: clearsConvergence && clearsRobustness,
    };
    return { score, raw: r, clears: score.clearsThresholds };
  });

  // The design's thresholds are gates: a model below them is picked only when none clears them.
  // In latency-fallback mode they are reported but do not gate, as before the feature existed.
  scored.sort(
    (a, b) =>
      Number(b.score.eligible) - Number(a.score.eligible) ||
      (enabled ? Number(b.clears) - Number(a.clears) : 0) ||
      b.score.totalScore - a.score.totalScore ||
      (a.score.modelId < b.score.modelId ? -1 : a.score.modelId > b.score.modelId ? 1 : 0),
  );

  const warnings: string[] = [];
  let chosen = scored[0] as (typeof scored)[number];
  if (!chosen.score.eligible) {
    // Nothing fits the cap or the context: take the cheapest that fits the context, and say so.
    const fallback = [...scored].sort((a, b) => Number(b.raw.fitsContext) - Number(a.raw.fitsContext) || a.raw.costUsd - b.raw.costUsd)[0];
    if (fallback) chosen = fallback;
    warnings.push(
      cap !== undefined
        ? `every candidate exceeds maxCostPerRequest $${cap} or the context window; picked the cheapest, ${chosen.score.modelId}`
        : `no candidate's context window fits the request; picked ${chosen.score.modelId}`,
    );
  }

  let stickyNote: string | undefined;
  const current = request.currentModel ? findProfile(config, request.currentModel) : undefined;
  if (current && current.id !== chosen.score.modelId && enabled) {
    const cur = scored.find((s) => s.score.modelId === current.id);
    if (cur && cur.score.eligible && (cur.clears || !chosen.clears) && chosen.score.totalScore - cur.score.totalScore <= config.selection.stickiness) {
      stickyNote = `kept the current model ${cur.score.modelId}: ${chosen.score.modelId} scores only ${(chosen.score.totalScore - cur.score.totalScore).toFixed(3)} higher (stickiness ${config.selection.stickiness}), and switching loses the prompt cache`;
      chosen = cur;
    }
  }

  if (enabled && !chosen.clears) {
    warnings.push(`risky choice: no candidate clears the thresholds (minConvergence ${minConvergence}, minRobustness ${minRobustness}); ${chosen.score.modelId} has convergence ${chosen.score.breakdown.convergence.toFixed(2)}`);
  }
  if (chosen.raw.profile.evidence !== 'measured') {
    warnings.push(`${chosen.score.modelId}'s quality figure is ${chosen.raw.profile.evidence}, not measured on a public benchmark`);
  }
  const overCapCount = scored.filter((s) => !s.score.eligible).length;
  if (overCapCount > 0 && chosen.score.eligible) warnings.push(`${overCapCount} model(s) left out: over the cost cap or too small a context window`);
  if (context.reviewUnavailable) warnings.push('code review unavailable: scores rest on profiles and local patterns only');

  const runnerUp = scored.find((s) => s !== chosen && s.score.eligible && (s.clears || !enabled));
  const margin = runnerUp ? chosen.score.totalScore - runnerUp.score.totalScore : 1;
  const confidenceLevel = decisionConfidence(chosen.raw.support, margin, chosen.clears || !enabled, context.reviewUnavailable === true);

  for (const s of scored) {
    s.score.recommendation = describeScore(s, chosen, analysis, enabled, minConvergence);
  }
  const recommendation = enabled
    ? recommend(chosen, runnerUp, analysis, stickyNote)
    : `Convergence routing is off (latency fallback): ${chosen.score.modelId} is the fastest candidate, about ${seconds(chosen.raw.latencyMs)}.`;

  return {
    selected: chosen.score.modelId,
    confidenceLevel,
    recommendation,
    warnings,
    mode,
    scores: scored.map((s) => s.score),
    analysis,
  };
}

function supportLevel(support: number): ConfidenceLevel {
  return support >= 0.9 ? 'HIGH' : support >= 0.5 ? 'MEDIUM' : 'LOW';
}

/**
 * Confidence in the pick: how much real data backs the chosen model's figures and how far
 * ahead of the runner-up it is. A missing review lowers it by one step; nothing else does.
 */
function decisionConfidence(support: number, margin: number, clears: boolean, reviewUnavailable: boolean): ConfidenceLevel {
  let level = 2; // HIGH
  if (support < 0.9 || margin < 0.03) level = 1;
  if (support < 0.5 || margin < 0.005 || !clears) level = 0;
  if (reviewUnavailable) level = Math.max(0, level - 1);
  return (['LOW', 'MEDIUM', 'HIGH'] as const)[level] ?? 'LOW';
}

interface Scored {
  score: ConvergenceScore;
  raw: Raw;
  clears: boolean;
}

const name = (p: ModelProfile): string => p.displayName ?? p.id;
const seconds = (ms: number): string => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);
const dollars = (usd: number): string => (usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(3)}`);

function requestWords(a: RequestAnalysis): string {
  const critical = a.criticality >= 0.5 ? ', security- or data-critical' : '';
  return `${describeDifficulty(a.difficulty)}${critical} request`;
}

function recommend(chosen: Scored, runnerUp: Scored | undefined, a: RequestAnalysis, stickyNote: string | undefined): string {
  const c = chosen.score.breakdown.convergence.toFixed(2);
  const parts = [
    `Use ${name(chosen.raw.profile)} (${chosen.score.modelId}) for this ${requestWords(a)}: convergence ${c}, about ${dollars(chosen.raw.costUsd)} and ${seconds(chosen.raw.latencyMs)}.`,
  ];
  if (runnerUp) parts.push(`Runner-up: ${runnerUp.score.modelId} at ${runnerUp.score.totalScore.toFixed(3)} against ${chosen.score.totalScore.toFixed(3)}.`);
  if (stickyNote) parts.push(`${stickyNote.charAt(0).toUpperCase()}${stickyNote.slice(1)}.`);
  return parts.join(' ');
}

function describeScore(s: Scored, chosen: Scored, a: RequestAnalysis, enabled: boolean, minConvergence: number): string {
  if (s === chosen) return enabled ? `Recommended for this ${requestWords(a)}.` : 'Fastest candidate (latency fallback).';
  if (!s.score.eligible) return 'Left out: over the cost cap or too small a context window.';
  if (enabled && !s.clears) {
    return `Risky: convergence ${s.score.breakdown.convergence.toFixed(2)} is below ${minConvergence}${s.raw.robustness !== undefined ? ' or its reviewed robustness is too low' : ''}.`;
  }
  const dConv = s.raw.convergence - chosen.raw.convergence;
  const costRatio = s.raw.costUsd / chosen.raw.costUsd;
  const cost = costRatio >= 1.05 ? `${costRatio.toFixed(1)}× the cost` : costRatio <= 0.95 ? `${(1 / costRatio).toFixed(1)}× cheaper` : 'similar cost';
  const lat = s.raw.latencyMs / chosen.raw.latencyMs;
  const speed = lat >= 1.05 ? `${lat.toFixed(1)}× slower` : lat <= 0.95 ? `${(1 / lat).toFixed(1)}× faster` : 'similar speed';
  return `Alternative: convergence ${dConv >= 0 ? '+' : ''}${dConv.toFixed(2)}, ${cost}, ${speed}.`;
}
