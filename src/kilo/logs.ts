import type { ConfidenceLevel, Observations, RoutingConfig } from '../engine';
import { appendJsonLine, readJsonLines } from './jsonl';
import type { BadLine } from './jsonl';
import { profileForKiloModel } from './models';
import { projectPaths } from './paths';

/**
 * One routing decision, one line of `decisions.jsonl`. Model ids are Kilo's
 * (`provider/model`), the same namespace as {@link OutcomeRecord.modelId}, so a decision and
 * the steps it produced match on `sessionID` and `selected`.
 */
export interface DecisionRecord {
  /** ISO time. */
  ts: string;
  sessionID: string;
  /** sha256 of the request text, hex, first 16 characters: the same request hashes the same. */
  requestHash: string;
  /** The request's first 120 characters, on one line. */
  requestPreview: string;
  /** The model the router chose. */
  selected: string;
  /** The model Kilo would have used (its default, the caller's choice, or the last turn's). */
  previous: string | null;
  /** True when the plugin set the message's model to `selected`. */
  applied: boolean;
  /** Why not applied (explicit model kept, ...); absent when applied. */
  reason?: string;
  confidenceLevel: ConfidenceLevel;
  /** Every candidate, best first. */
  scores: { modelId: string; totalScore: number }[];
}

/** One completed assistant step, one line of `outcomes.jsonl`, with the figures Kilo computed. */
export interface OutcomeRecord {
  /** ISO time the step completed. */
  ts: string;
  sessionID: string;
  /** `provider/model`. */
  modelId: string;
  /** Kilo's own cost for the step, from the config's or the provider's prices. */
  costUsd: number;
  tokens: { input: number; output: number; cacheRead: number };
  /** From the step's creation to its completion. */
  durationMs: number;
}

export function appendDecision(project: string, record: DecisionRecord, maxBytes?: number): void {
  appendJsonLine(projectPaths(project).decisions, record, maxBytes);
}

export function appendOutcome(project: string, record: OutcomeRecord, maxBytes?: number): void {
  appendJsonLine(projectPaths(project).outcomes, record, maxBytes);
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

function asDecision(r: Record<string, unknown>): DecisionRecord | undefined {
  const scores = r['scores'];
  if (!isStr(r['ts']) || !isStr(r['sessionID']) || !isStr(r['selected']) || typeof r['applied'] !== 'boolean' || !Array.isArray(scores)) return undefined;
  return r as unknown as DecisionRecord;
}

function asOutcome(r: Record<string, unknown>): OutcomeRecord | undefined {
  const t = r['tokens'] as Record<string, unknown> | undefined;
  if (!isStr(r['ts']) || !isStr(r['sessionID']) || !isStr(r['modelId']) || !isNum(r['costUsd']) || !isNum(r['durationMs'])) return undefined;
  if (typeof t !== 'object' || t === null || !isNum(t['input']) || !isNum(t['output'])) return undefined;
  return r as unknown as OutcomeRecord;
}

export interface LogRead<T> {
  records: T[];
  /** Lines skipped: torn, not JSON, or missing a required field. */
  bad: BadLine[];
}

/** Every decision in the project's log (including the rotated part), oldest first. */
export function readDecisions(project: string): LogRead<DecisionRecord> {
  return readTyped(projectPaths(project).decisions, asDecision);
}

/** Every outcome in the project's log (including the rotated part), oldest first. */
export function readOutcomes(project: string): LogRead<OutcomeRecord> {
  return readTyped(projectPaths(project).outcomes, asOutcome);
}

function readTyped<T>(file: string, check: (r: Record<string, unknown>) => T | undefined): LogRead<T> {
  const { records, bad } = readJsonLines(file);
  const out: T[] = [];
  for (const r of records) {
    const v = check(r);
    if (v) out.push(v);
    else bad.push({ file, line: 0, message: `record without the required fields: ${JSON.stringify(r).slice(0, 80)}` });
  }
  return { records: out, bad };
}

/** What the panel shows: "last routed: …, cost so far …". */
export interface ActivitySummary {
  lastDecision?: DecisionRecord | undefined;
  /** Sum of every outcome's cost in the logs. */
  totalCostUsd: number;
  /** Sum for the last decision's session (0 when there is none). */
  sessionCostUsd: number;
  steps: number;
  /** Decisions whose choice was applied / kept the caller's model. */
  applied: number;
  notApplied: number;
  /** One line, e.g. `last routed: local/strong (HIGH), cost so far $0.0123 this session, $0.51 in all`. */
  text: string;
}

const usd = (n: number): string => (n < 1 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`);

export function summarizeActivity(decisions: readonly DecisionRecord[], outcomes: readonly OutcomeRecord[]): ActivitySummary {
  const lastDecision = decisions.at(-1);
  let totalCostUsd = 0;
  let sessionCostUsd = 0;
  for (const o of outcomes) {
    totalCostUsd += o.costUsd;
    if (lastDecision && o.sessionID === lastDecision.sessionID) sessionCostUsd += o.costUsd;
  }
  const applied = decisions.filter((d) => d.applied).length;
  const text = lastDecision
    ? `last routed: ${lastDecision.selected} (${lastDecision.confidenceLevel}${lastDecision.applied ? '' : `, not applied: ${lastDecision.reason ?? 'kept'}`}), cost so far ${usd(sessionCostUsd)} this session, ${usd(totalCostUsd)} in all`
    : outcomes.length > 0
      ? `no routing decision yet; cost so far ${usd(totalCostUsd)}`
      : 'no routing decision yet';
  return { lastDecision, totalCostUsd, sessionCostUsd, steps: outcomes.length, applied, notApplied: decisions.length - applied, text };
}

/** Reads both logs of a project and summarises them. */
export function readActivity(project: string): ActivitySummary {
  return summarizeActivity(readDecisions(project).records, readOutcomes(project).records);
}

/** Sums behind usage means, per Kilo model (`provider/model`). */
export interface UsageTotals {
  count: number;
  /** Sum of step durations. */
  latencyMs: number;
  /** Sum of step costs. */
  costUsd: number;
}

/** Adds one outcome to running totals by model. */
export function addToTotals(totals: Map<string, UsageTotals>, o: OutcomeRecord): void {
  const t = totals.get(o.modelId) ?? { count: 0, latencyMs: 0, costUsd: 0 };
  t.count += 1;
  t.latencyMs += o.durationMs;
  t.costUsd += o.costUsd;
  totals.set(o.modelId, t);
}

/**
 * Usage observations by profile id from totals by Kilo model. Models no profile maps to are
 * left out; several Kilo models of one profile (direct and through a gateway) add up.
 */
export function observationsFromTotals(config: RoutingConfig, totals: ReadonlyMap<string, UsageTotals>): Observations {
  const byProfile = new Map<string, UsageTotals>();
  for (const [modelId, t] of totals) {
    const profile = profileForKiloModel(config, modelId);
    if (!profile || t.count === 0) continue;
    const s = byProfile.get(profile.id) ?? { count: 0, latencyMs: 0, costUsd: 0 };
    s.count += t.count;
    s.latencyMs += t.latencyMs;
    s.costUsd += t.costUsd;
    byProfile.set(profile.id, s);
  }
  const out: Observations = {};
  for (const [id, s] of byProfile) out[id] = { usage: { count: s.count, meanLatencyMs: s.latencyMs / s.count, meanCostUsd: s.costUsd / s.count } };
  return out;
}

/**
 * Turns outcomes into the engine's usage observations, by profile id: how many steps, their
 * mean duration and mean cost. The engine blends these with the profile's priors (after a
 * few steps they weigh as much), so observed latency and cost take over as data accrues.
 */
export function observationsFromOutcomes(config: RoutingConfig, outcomes: readonly OutcomeRecord[]): Observations {
  const totals = new Map<string, UsageTotals>();
  for (const o of outcomes) addToTotals(totals, o);
  return observationsFromTotals(config, totals);
}

/**
 * Adds usage observations to other observations (reviews, kept/reverted outcomes). Where both
 * carry usage for a model, the one backed by more steps wins.
 */
export function mergeObservations(base: Observations | undefined, usage: Observations): Observations {
  const out: Observations = { ...base };
  for (const [id, o] of Object.entries(usage)) {
    const prev = out[id];
    if (!o.usage) continue;
    if (!prev) out[id] = { usage: o.usage };
    else if (!prev.usage || prev.usage.count < o.usage.count) out[id] = { ...prev, usage: o.usage };
  }
  return out;
}

/** One routed turn and what its steps cost, from both logs. */
export interface TurnRecord {
  decision: DecisionRecord;
  /** Kilo's cost of every step of the turn. */
  costUsd: number;
  /** From the decision to the last step's completion. */
  latencyMs: number;
  steps: number;
  /** The models the steps ran on (one, unless something switched mid-turn). */
  models: string[];
}

/**
 * Groups step outcomes into the turns they belong to: a session's outcomes from one decision
 * up to the next. Per-turn figures are what the engine's Learner takes
 * (`learner.recordUsage(turnId, {costUsd, latencyMs}, now)`); outcomes with no decision before
 * them (routing was off) belong to no turn.
 */
export function turnsFromLogs(decisions: readonly DecisionRecord[], outcomes: readonly OutcomeRecord[]): TurnRecord[] {
  const bySession = new Map<string, DecisionRecord[]>();
  for (const d of decisions) {
    const list = bySession.get(d.sessionID) ?? [];
    list.push(d);
    bySession.set(d.sessionID, list);
  }
  const turns = new Map<DecisionRecord, TurnRecord>();
  for (const list of bySession.values()) list.sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
  for (const o of outcomes) {
    const list = bySession.get(o.sessionID);
    if (!list) continue;
    const at = Date.parse(o.ts);
    let owner: DecisionRecord | undefined;
    for (const d of list) {
      if (Date.parse(d.ts) <= at) owner = d;
      else break;
    }
    if (!owner) continue;
    const t = turns.get(owner) ?? { decision: owner, costUsd: 0, latencyMs: 0, steps: 0, models: [] };
    t.costUsd += o.costUsd;
    t.latencyMs = Math.max(t.latencyMs, at - Date.parse(owner.ts));
    t.steps += 1;
    if (!t.models.includes(o.modelId)) t.models.push(o.modelId);
    turns.set(owner, t);
  }
  return decisions.filter((d) => turns.has(d)).map((d) => turns.get(d) as TurnRecord);
}
