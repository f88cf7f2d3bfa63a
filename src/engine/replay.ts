import { analyzeRequest } from './analysis';
import type { Arm, RoutingPolicy } from './policy';
import { estimateCostUsd } from './scoring';
import type { RoutingConfig } from './types';

/**
 * Replays recorded tasks through the routing policy: for each task the policy decides from the
 * task's text and workspace and from what earlier reveals taught it; only then does the record
 * reveal the attempt's outcome and cost. Pure: the caller streams tasks and owns the records.
 */

/** What the router may see of a task. */
export interface ReplayTask {
  instanceId: string;
  /** The workspace (repository) the task comes from. */
  repo: string;
  /** The request as a developer would type it. */
  problemStatement: string;
}

/** What the record says happened when a model attempted a task. */
export interface RevealedOutcome {
  resolved: boolean;
  costUsd: number;
  /** Wall time of the attempt, when the record has it (or a model of it); optional. */
  latencyMs?: number | undefined;
}

/** Looks up a recorded outcome; called only after the decision for it has been logged. */
export type Reveal = (instanceId: string, profileId: string) => RevealedOutcome;

/** The replay's log, in order. A reveal always follows the decision it answers. */
export type ReplayEvent =
  | { kind: 'decision'; instanceId: string; attempt: number; modelId: string; arm: Arm; explored: boolean }
  | { kind: 'reveal'; instanceId: string; attempt: number; modelId: string; resolved: boolean; costUsd: number };

export interface ReplayAttempt {
  /** Profile id. */
  modelId: string;
  resolved: boolean;
  costUsd: number;
  /** As revealed; undefined when the record has no wall time. */
  latencyMs: number | undefined;
  arm: Arm;
  explored: boolean;
}

export interface ReplayTaskResult {
  instanceId: string;
  attempts: ReplayAttempt[];
  solved: boolean;
  costUsd: number;
}

export interface ReplayOptions {
  /** Candidate profile ids (the models the records cover). */
  models: readonly string[];
  /** Attempts per task: 1 + the escalations allowed. */
  maxAttempts: number;
  /** Receives every decision before its reveal, and every reveal. */
  onEvent?: ((event: ReplayEvent) => void) | undefined;
}

/** A clock the replay moves on by a fixed step per task, so decay sees tasks spread in time. */
export interface ReplayClock {
  now: () => number;
  tick: () => void;
}

/** 2026-01-01T00:00:00Z, a fixed origin so replays are reproducible. */
export const REPLAY_EPOCH_MS = Date.UTC(2026, 0, 1);
/** One task every 15 minutes: 500 tasks span about five working days. */
export const REPLAY_TASK_INTERVAL_MS = 15 * 60_000;

export function replayClock(startMs = REPLAY_EPOCH_MS, stepMs = REPLAY_TASK_INTERVAL_MS): ReplayClock {
  let t = startMs;
  return {
    now: () => t,
    tick: () => {
      t += stepMs;
    },
  };
}

/** Runs tasks one at a time through a policy. */
export class ReplaySession {
  private readonly policy: RoutingPolicy;
  private readonly options: ReplayOptions;
  private readonly clock: ReplayClock;

  constructor(policy: RoutingPolicy, clock: ReplayClock, options: ReplayOptions) {
    if (!(options.maxAttempts >= 1)) throw new RangeError(`maxAttempts must be at least 1 (got ${options.maxAttempts})`);
    this.policy = policy;
    this.clock = clock;
    this.options = options;
  }

  /**
   * Decides, logs, reveals and teaches, attempt by attempt, until the task is solved or the
   * attempts run out. The policy sees the task's text and repository only.
   */
  run(task: ReplayTask, reveal: Reveal): ReplayTaskResult {
    const attempts: ReplayAttempt[] = [];
    const failed: string[] = [];
    for (let n = 1; n <= this.options.maxAttempts && failed.length < this.options.models.length; n++) {
      const d = this.policy.decide({
        requestId: task.instanceId,
        request: { text: task.problemStatement, models: [...this.options.models] },
        workspace: task.repo,
        failed,
        attemptsLeft: this.options.maxAttempts - n + 1,
      });
      this.options.onEvent?.({ kind: 'decision', instanceId: task.instanceId, attempt: n, modelId: d.selected, arm: d.arm, explored: d.explored });
      const outcome = reveal(task.instanceId, d.selected);
      this.options.onEvent?.({ kind: 'reveal', instanceId: task.instanceId, attempt: n, modelId: d.selected, resolved: outcome.resolved, costUsd: outcome.costUsd });
      this.policy.recordOutcome(d.turnId, { signal: { kind: 'verified', passed: outcome.resolved }, costUsd: outcome.costUsd, latencyMs: outcome.latencyMs });
      attempts.push({ modelId: d.selected, resolved: outcome.resolved, costUsd: outcome.costUsd, latencyMs: outcome.latencyMs, arm: d.arm, explored: d.explored });
      if (outcome.resolved) break;
      failed.push(d.selected);
    }
    this.clock.tick();
    return {
      instanceId: task.instanceId,
      attempts,
      solved: attempts.some((a) => a.resolved),
      costUsd: attempts.reduce((s, a) => s + a.costUsd, 0),
    };
  }
}

/** A baseline policy's figures on the same tasks. */
export interface BaselineResult {
  /** The single model, for single-model baselines. */
  modelId?: string | undefined;
  solved: number;
  costUsd: number;
  attempts: number;
  /** Summed wall time of the attempts in hours, when the records reveal it. */
  latencyHours?: number | undefined;
}

export interface Baselines {
  /** Every task to the model with the highest prior quality (baseConvergence). */
  bestSingle: BaselineResult;
  /** Every task to the model with the lowest prior cost estimate over these tasks. */
  cheapestSingle: BaselineResult;
  /** Every task to the model that, as it turned out, solved the most (ties: cheaper). */
  bestSingleInHindsight: BaselineResult;
  /** Each task to the cheapest model that solved it; unsolvable tasks cost nothing. */
  oracle: BaselineResult;
}

/**
 * The baselines over the counted tasks and candidate profiles. `outcome` must answer for every
 * pair (the CLI checks the records are complete before the run).
 */
export function replayBaselines(
  config: RoutingConfig,
  tasks: readonly { instanceId: string; problemStatement: string }[],
  models: readonly string[],
  outcome: (instanceId: string, profileId: string) => RevealedOutcome,
): Baselines {
  const single = (id: string): BaselineResult => {
    let solved = 0;
    let costUsd = 0;
    let latencyMs: number | undefined;
    for (const t of tasks) {
      const o = outcome(t.instanceId, id);
      if (o.resolved) solved++;
      costUsd += o.costUsd;
      if (o.latencyMs !== undefined) latencyMs = (latencyMs ?? 0) + o.latencyMs;
    }
    return { modelId: id, solved, costUsd, attempts: tasks.length, ...hours(latencyMs) };
  };
  const profiles = models.map((id) => {
    const p = config.modelProfiles[id];
    if (!p) throw new RangeError(`unknown profile "${id}"`);
    return p;
  });
  const priorCost = new Map<string, number>();
  for (const t of tasks) {
    const analysis = analyzeRequest({ text: t.problemStatement });
    for (const p of profiles) priorCost.set(p.id, (priorCost.get(p.id) ?? 0) + estimateCostUsd(p, analysis));
  }
  const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const best = [...profiles].sort((a, b) => b.baseConvergence - a.baseConvergence || (priorCost.get(a.id) ?? 0) - (priorCost.get(b.id) ?? 0) || byId(a.id, b.id))[0];
  const cheapest = [...profiles].sort((a, b) => (priorCost.get(a.id) ?? 0) - (priorCost.get(b.id) ?? 0) || byId(a.id, b.id))[0];
  const singles = models.map(single).sort((a, b) => b.solved - a.solved || a.costUsd - b.costUsd);
  let oracleSolved = 0;
  let oracleCost = 0;
  let oracleLatency: number | undefined;
  for (const t of tasks) {
    let cheapestSolve: RevealedOutcome | undefined;
    for (const id of models) {
      const o = outcome(t.instanceId, id);
      if (o.resolved && (cheapestSolve === undefined || o.costUsd < cheapestSolve.costUsd)) cheapestSolve = o;
    }
    if (cheapestSolve !== undefined) {
      oracleSolved++;
      oracleCost += cheapestSolve.costUsd;
      if (cheapestSolve.latencyMs !== undefined) oracleLatency = (oracleLatency ?? 0) + cheapestSolve.latencyMs;
    }
  }
  const empty: BaselineResult = { solved: 0, costUsd: 0, attempts: 0 };
  return {
    bestSingle: best ? single(best.id) : empty,
    cheapestSingle: cheapest ? single(cheapest.id) : empty,
    bestSingleInHindsight: singles[0] ?? empty,
    oracle: { solved: oracleSolved, costUsd: oracleCost, attempts: oracleSolved, ...hours(oracleLatency) },
  };
}

const hours = (ms: number | undefined): { latencyHours?: number } => (ms === undefined ? {} : { latencyHours: ms / 3_600_000 });
