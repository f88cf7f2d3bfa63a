/**
 * Learning from outcomes in the editor: one `Learner` and one `RoutingPolicy` per workspace,
 * persisted in the workspace state. New requests are decided by the policy (rollout arm,
 * bounded exploration, escalation after a failure); the turns they start, and the turns the
 * Kilo plugin routed (its decisions.jsonl / outcomes.jsonl), learn from what happens next.
 * No `vscode` import: the host passes the clock, randomness, the store and a log.
 */
import { analyzeRequest, findProfile, Learner, RoutingError, RoutingPolicy, stableHash, taskClassOf, turnStartFor } from '../engine';
import type {
  LearnerState,
  Observations,
  OutcomeSignal,
  PolicyDecision,
  PolicySettings,
  PolicyState,
  RandomSource,
  RouteContext,
  RouteRequest,
  RoutingConfig,
  RoutingDecision,
  TaskContext,
  VerdictChange,
} from '../engine';
import type { DecisionRecord, OutcomeRecord } from '../kilo/logs';
import { turnsFromLogs } from '../kilo/logs';
import { profileForKiloModel } from '../kilo/models';
import type { LearningView, TurnInfo, TurnView } from '../../webview/protocol';
import type { LearningConfig } from './config';
import { Disposable, Emitter } from './lifecycle';
import type { LearnedDecision, LearningSource } from './seams';
import type { StateStore } from './session';

/** Where the learned state is kept in the workspace state. */
export const LEARNING_STATE_KEY = 'convergence.learning';
/** Where a state that could not be read is kept, so nothing is lost. */
export const UNREADABLE_STATE_KEY = 'convergence.learning.unreadable';

/** The same request asked again within this long is a re-ask (a failure of the last answer). */
export const REASK_WINDOW_MS = 60 * 60_000;
/** A Kilo turn counts as complete this long after its last step, when no later turn came. */
export const KILO_COMPLETE_QUIET_MS = 60_000;
/** Kilo turns younger than this when first seen are watched in the editor (older ones: usage only). */
export const KILO_LIVE_MS = 2 * 60_000;

const MAX_TURNS = 200;
const MAX_CHAINS = 50;
const RECENT = 8;

/** The log the service writes to (the `Convergence` channel). */
export interface LearningLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface LearningServiceOptions {
  /** The routing config in force (with live prices, when there are any). */
  config: () => RoutingConfig;
  settings: () => LearningConfig;
  store: StateStore;
  now: () => number;
  random: RandomSource;
  /** The workspace the work happens in (its learned difficulty is kept apart from the models'). */
  workspace: string | undefined;
  log: LearningLog;
}

/** A turn the editor should watch for reverts, diagnostics and kept changes. */
export interface TurnStarted {
  turnId: string;
  /** Kilo turns count as kept when completed without a failure, whatever the editor saw. */
  keptWithoutEdits: boolean;
  /** The turn this one replaces for the same attempt (the user picked another model). */
  supersedes: string | undefined;
}

/** One attempt at a request: the policy's pick and the turns of the models used for it. */
interface Attempt {
  turnId: string;
  attempt: number;
  arm: 'convergence' | 'latency';
  explored: boolean;
  failed: string[];
  note: string | undefined;
  policyModel: string;
  inUse: string;
  /** Model id → its turn for this attempt. */
  turns: Record<string, string>;
}

/** A request and its attempts; a re-ask within the window adds an attempt. */
interface Chain {
  key: string;
  requestId: string;
  request: { text: string; languages: string[]; selectionLines: number | undefined };
  lastAt: number;
  attempts: Attempt[];
}

interface TurnEntry {
  view: TurnView;
  /** Recorded through the policy (its own picks count in the rollout arms), else the learner alone. */
  viaPolicy: boolean;
  /** The turn's model was put to work: applied to Kilo, or edits followed it. */
  used?: boolean | undefined;
}

interface SavedState {
  version: 1;
  learner: LearnerState;
  policy: PolicyState;
  turns: Array<TurnEntry>;
  chains: Chain[];
  current: string | undefined;
  kilo: { watermark: number; pending: string[]; hashes: Array<[string, string, number]> };
}

/** Same request: case, surrounding space and runs of whitespace do not matter. */
export function requestKey(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function policySettings(s: LearningConfig): Partial<PolicySettings> {
  return { learning: s.enabled, rolloutPercent: s.rolloutPercent, exploration: { ...s.exploration } };
}

/**
 * The editor's learner and policy. Decisions for new requests, the signals that follow them,
 * Kilo's turns from its logs, and the statistics view all go through here.
 */
export class LearningService extends Disposable implements LearningSource {
  private readonly changed = this.register(new Emitter<void>());
  readonly onDidChange = this.changed.event;
  private readonly started = this.register(new Emitter<TurnStarted>());
  /** A turn to watch in the editor started. */
  readonly onDidStartTurn = this.started.event;
  private readonly completed = this.register(new Emitter<string>());
  /** A Kilo turn finished (its last step is in): its edits end. */
  readonly onDidCompleteTurn = this.completed.event;

  private learner: Learner;
  private policy: RoutingPolicy;
  private policyFor: string;
  private readonly turns = new Map<string, TurnEntry>();
  private readonly chains = new Map<string, Chain>();
  private current: string | undefined;
  private kilo: { watermark: number; pending: Set<string>; hashes: Map<string, { turnId: string; at: number }> } = { watermark: 0, pending: new Set(), hashes: new Map() };

  constructor(private readonly options: LearningServiceOptions) {
    super();
    const restored = this.restore();
    this.learner = restored?.learner ?? new Learner();
    const settings = options.settings();
    this.policyFor = JSON.stringify(settings);
    this.policy = restored?.policy ?? new RoutingPolicy(options.config(), this.learner, { now: options.now, random: options.random }, policySettings(settings));
  }

  private restore(): { learner: Learner; policy: RoutingPolicy } | undefined {
    const raw = this.options.store.get<unknown>(LEARNING_STATE_KEY);
    if (raw === undefined) return undefined;
    try {
      if (!isObj(raw) || raw['version'] !== 1) throw new Error(`unsupported version ${JSON.stringify(isObj(raw) ? raw['version'] : raw)}`);
      const learner = Learner.fromJSON(raw['learner']);
      const policy = new RoutingPolicy(
        this.options.config(),
        learner,
        { now: this.options.now, random: this.options.random },
        policySettings(this.options.settings()),
        raw['policy'] as PolicyState,
      );
      this.restoreExtras(raw);
      return { learner, policy };
    } catch (err) {
      this.options.log.error(
        `the learned statistics of this workspace could not be read (${message(err)}); starting afresh. The unreadable state is kept in the workspace state under "${UNREADABLE_STATE_KEY}".`,
      );
      void this.options.store.update(UNREADABLE_STATE_KEY, raw);
      this.turns.clear();
      this.chains.clear();
      this.current = undefined;
      return undefined;
    }
  }

  /** The editor's own bookkeeping; a bad part is dropped with a warning, the rest kept. */
  private restoreExtras(raw: Record<string, unknown>): void {
    const dropped: string[] = [];
    const turns: unknown[] = Array.isArray(raw['turns']) ? raw['turns'] : [];
    for (const t of turns) {
      const view = isObj(t) && isObj(t['view']) ? (t['view'] as unknown as TurnView) : undefined;
      if (isObj(t) && view && typeof view.turnId === 'string' && typeof view.modelId === 'string' && typeof view.at === 'number') {
        this.turns.set(view.turnId, { view, viaPolicy: t['viaPolicy'] === true, used: t['used'] === true });
      } else dropped.push('a turn');
    }
    const chains: unknown[] = Array.isArray(raw['chains']) ? raw['chains'] : [];
    const attemptOk = (a: unknown): boolean =>
      isObj(a) && typeof a['turnId'] === 'string' && typeof a['inUse'] === 'string' && typeof a['policyModel'] === 'string' && isObj(a['turns']) && Array.isArray(a['failed']);
    for (const c of chains) {
      const ok =
        isObj(c) && typeof c['key'] === 'string' && typeof c['requestId'] === 'string' && typeof c['lastAt'] === 'number' && isObj(c['request']) && typeof c['request']['text'] === 'string';
      if (ok && Array.isArray(c['attempts']) && c['attempts'].every(attemptOk)) this.chains.set(c['key'] as string, c as unknown as Chain);
      else dropped.push('a request');
    }
    this.current = typeof raw['current'] === 'string' && this.chains.has(raw['current']) ? raw['current'] : undefined;
    const k = raw['kilo'];
    if (isObj(k) && typeof k['watermark'] === 'number' && Array.isArray(k['pending']) && Array.isArray(k['hashes'])) {
      this.kilo = {
        watermark: k['watermark'],
        pending: new Set(k['pending'].filter((x): x is string => typeof x === 'string')),
        hashes: new Map(
          k['hashes']
            .filter((h): h is [string, string, number] => Array.isArray(h) && typeof h[0] === 'string' && typeof h[1] === 'string' && typeof h[2] === 'number')
            .map(([hash, turnId, at]) => [hash, { turnId, at }]),
        ),
      };
    } else if (k !== undefined) dropped.push('the Kilo log position');
    if (dropped.length > 0) this.options.log.warn(`learned statistics: dropped unreadable parts (${[...new Set(dropped)].join(', ')}); the rest was restored`);
  }

  private persist(): void {
    const state: SavedState = {
      version: 1,
      learner: this.learner.toJSON(),
      policy: this.policy.toJSON(),
      turns: [...this.turns.values()],
      chains: [...this.chains.values()],
      current: this.current,
      kilo: { watermark: this.kilo.watermark, pending: [...this.kilo.pending], hashes: [...this.kilo.hashes].map(([h, v]) => [h, v.turnId, v.at]) },
    };
    this.options.store.update(LEARNING_STATE_KEY, state).then(undefined, (err: unknown) => this.options.log.error(`saving the learned statistics failed: ${message(err)}`));
  }

  /** The policy for the settings and config in force (rebuilt, keeping its state, when the settings changed). */
  private syncPolicy(): RoutingPolicy {
    const settings = this.options.settings();
    const key = JSON.stringify(settings);
    if (key !== this.policyFor) {
      this.policyFor = key;
      this.policy = new RoutingPolicy(this.options.config(), this.learner, { now: this.options.now, random: this.options.random }, policySettings(settings), this.policy.toJSON());
    } else {
      this.policy.setConfig(this.options.config());
    }
    return this.policy;
  }

  private context(request: RouteRequest): TaskContext {
    return { workspace: this.options.workspace, taskClass: taskClassOf(analyzeRequest(request)) };
  }

  private addTurn(view: TurnView, viaPolicy: boolean): void {
    this.turns.delete(view.turnId);
    this.turns.set(view.turnId, { view, viaPolicy });
    while (this.turns.size > MAX_TURNS) {
      const oldest = this.turns.keys().next().value;
      if (oldest === undefined) break;
      this.turns.delete(oldest);
    }
  }

  private displayName(modelId: string): string {
    return this.options.config().modelProfiles[modelId]?.displayName ?? modelId;
  }

  private static info(a: Attempt): TurnInfo {
    return { turnId: a.turns[a.inUse] ?? a.turnId, arm: a.arm, attempt: a.attempt, explored: a.explored, failed: [...a.failed], note: a.note };
  }

  private static asDecision(pd: PolicyDecision): RoutingDecision {
    return pd.selected === pd.decision.selected ? pd.decision : { ...pd.decision, selected: pd.selected, recommendation: pd.reason };
  }

  decide(request: RouteRequest, context: RouteContext): LearnedDecision {
    const now = this.options.now();
    const key = requestKey(request.text);
    const policy = this.syncPolicy();
    let chain = this.chains.get(key);
    if (chain && now - chain.lastAt > REASK_WINDOW_MS) chain = undefined;
    let failed: string[] = [];
    if (chain) {
      const verdict = (turnId: string | undefined): TurnView['verdict'] => (turnId === undefined ? undefined : this.turns.get(turnId)?.view.verdict);
      const last = chain.attempts.at(-1);
      const lastTurns = last ? Object.values(last.turns).map((id) => this.turns.get(id)) : [];
      if (!lastTurns.some((e) => e && (e.used || e.view.verdict !== undefined))) {
        // Nothing came of the last answer (not applied, no edit, no outcome, no thumbs): routing
        // the same request again only looks at the scores again. It is not a re-ask.
        this.current = key;
        return this.rescore(request, context);
      }
      const inUse = last?.turns[last.inUse];
      const inUseEntry = inUse === undefined ? undefined : this.turns.get(inUse);
      if (inUse && inUseEntry && (inUseEntry.used || inUseEntry.view.verdict !== undefined) && inUseEntry.view.verdict?.success !== true) this.apply(inUse, { kind: 'reasked' });
      // Every model whose turn on this request failed, in order; after a success this is a new request.
      const turns = chain.attempts.flatMap((a) => Object.entries(a.turns));
      failed = [...new Set(turns.filter(([, id]) => verdict(id)?.success === false).map(([model]) => model))];
      if (failed.length === 0 || turns.some(([, id]) => verdict(id)?.success === true)) {
        chain = undefined;
        failed = [];
      }
    }
    let pd: PolicyDecision | undefined;
    if (chain) {
      try {
        pd = policy.decide({ requestId: chain.requestId, request, workspace: this.options.workspace, failed, ...context });
      } catch (err) {
        // Every candidate has failed on this request: start it afresh rather than refuse.
        if (!(err instanceof RoutingError)) throw err;
        this.options.log.info(`no model that has not failed on this request is left (${failed.join(', ')}); routing it as a new request`);
      }
    }
    if (!chain || !pd) {
      chain = { key, requestId: `${stableHash(key).toString(36)}-${now.toString(36)}`, request: { text: request.text, languages: request.languages ?? [], selectionLines: request.selectionLines }, lastAt: now, attempts: [] };
      failed = [];
      pd = policy.decide({ requestId: chain.requestId, request, workspace: this.options.workspace, ...context });
    }
    const note = pd.escalated || pd.explored || pd.arm === 'latency' ? pd.reason : undefined;
    const attempt: Attempt = { turnId: pd.turnId, attempt: pd.attempt, arm: pd.arm, explored: pd.explored, failed: [...failed], note, policyModel: pd.selected, inUse: pd.selected, turns: { [pd.selected]: pd.turnId } };
    chain.attempts.push(attempt);
    chain.lastAt = now;
    chain.request = { text: request.text, languages: request.languages ?? [], selectionLines: request.selectionLines };
    this.chains.delete(key);
    this.chains.set(key, chain);
    while (this.chains.size > MAX_CHAINS) {
      const oldest = this.chains.keys().next().value;
      if (oldest === undefined) break;
      this.chains.delete(oldest);
    }
    this.current = key;
    this.addTurn(this.viewFor(pd.turnId, 'panel', request.text, pd.selected, now, pd.arm, false), true);
    this.persist();
    this.started.fire({ turnId: pd.turnId, keptWithoutEdits: false, supersedes: undefined });
    return { decision: LearningService.asDecision(pd), turn: LearningService.info(attempt) };
  }

  private viewFor(turnId: string, source: TurnView['source'], text: string, modelId: string, at: number, arm: TurnView['arm'], override: boolean): TurnView {
    const request = text.replace(/\s+/g, ' ').trim();
    return {
      turnId,
      source,
      request: request.length > 120 ? `${request.slice(0, 119)}…` : request,
      modelId,
      displayName: this.displayName(modelId),
      at,
      arm,
      override,
      verdict: undefined,
      thumbs: undefined,
      costUsd: undefined,
      latencyMs: undefined,
    };
  }

  private currentAttempt(request?: RouteRequest): { chain: Chain; attempt: Attempt } | undefined {
    const chain = this.current === undefined ? undefined : this.chains.get(this.current);
    const attempt = chain?.attempts.at(-1);
    if (!chain || !attempt) return undefined;
    if (request && requestKey(request.text) !== chain.key) return undefined;
    return { chain, attempt };
  }

  rescore(request: RouteRequest, context: RouteContext): LearnedDecision {
    const cur = this.currentAttempt(request);
    if (!cur) return { decision: this.preview(request, context), turn: undefined };
    const { chain, attempt } = cur;
    const pd = this.syncPolicy().decide({ requestId: chain.requestId, request, workspace: this.options.workspace, failed: attempt.failed, ...context }, { record: false });
    let decision = LearningService.asDecision(pd);
    // An exploring pick stays the pick while it is still a candidate: that is the turn being tried.
    if (attempt.explored && decision.selected !== attempt.policyModel && pd.decision.scores.some((s) => s.modelId === attempt.policyModel && s.eligible)) {
      decision = { ...pd.decision, selected: attempt.policyModel, recommendation: attempt.note ?? pd.decision.recommendation };
    }
    return { decision, turn: LearningService.info(attempt) };
  }

  preview(request: RouteRequest, context: RouteContext): RoutingDecision {
    const requestId = `preview-${stableHash(requestKey(request.text)).toString(36)}`;
    return LearningService.asDecision(this.syncPolicy().decide({ requestId, request, workspace: this.options.workspace, ...context }, { record: false }));
  }

  inUse(modelId: string): TurnInfo | undefined {
    const cur = this.currentAttempt();
    if (!cur) return undefined;
    const { chain, attempt } = cur;
    const config = this.options.config();
    const profile = findProfile(config, modelId);
    if (!profile || attempt.inUse === profile.id) return LearningService.info(attempt);
    const previous = attempt.turns[attempt.inUse];
    let turnId = attempt.turns[profile.id];
    if (!turnId) {
      turnId = `${attempt.turnId}~${profile.id}`;
      const request: RouteRequest = { text: chain.request.text, languages: chain.request.languages, selectionLines: chain.request.selectionLines };
      const now = this.options.now();
      // A retry's work has already beaten a model: the learner keeps such turns apart (its `retry` effect).
      this.learner.startTurn(turnStartFor(profile, analyzeRequest(request), turnId, { ...this.context(request), retry: attempt.failed.length > 0 }), now);
      attempt.turns[profile.id] = turnId;
      this.addTurn(this.viewFor(turnId, 'panel', chain.request.text, profile.id, now, attempt.arm, profile.id !== attempt.policyModel), false);
    }
    attempt.inUse = profile.id;
    this.persist();
    this.started.fire({ turnId, keptWithoutEdits: false, supersedes: previous });
    return LearningService.info(attempt);
  }

  /** Records a signal for a turn, saves and tells listeners; undefined when the turn is not known (any more). */
  record(turnId: string, signal: OutcomeSignal): VerdictChange | undefined {
    const change = this.apply(turnId, signal);
    if (change) {
      this.persist();
      this.changed.fire();
    }
    return change;
  }

  /** Records a signal; the verdict it leads to is kept for the view and for escalation. */
  private apply(turnId: string, signal: OutcomeSignal): VerdictChange | undefined {
    const entry = this.turns.get(turnId);
    const change = entry?.viaPolicy ? this.policy.recordOutcome(turnId, { signal }) : this.learner.signal(turnId, signal, this.options.now());
    if (!change) return undefined;
    if (entry) {
      entry.view.verdict = change.after ? { success: change.after.success, decidedBy: change.after.decidedBy, weight: change.after.weight } : undefined;
      if (signal.kind === 'thumbs') entry.view.thumbs = signal.up;
    }
    this.options.log.info(`outcome: ${signal.kind}${signal.kind === 'thumbs' ? (signal.up ? ' up' : ' down') : ''} for ${change.modelId} (turn ${turnId}) → ${change.after ? (change.after.success ? 'success' : 'failure') : 'no verdict'}`);
    return change;
  }

  markUsed(turnId: string): void {
    const entry = this.turns.get(turnId);
    if (!entry || entry.used) return;
    entry.used = true;
    this.persist();
  }

  thumbs(turnId: string, up: boolean): boolean {
    return this.record(turnId, { kind: 'thumbs', up }) !== undefined;
  }

  /**
   * Takes in the Kilo plugin's logs: each new decision starts a turn on the model Kilo used
   * (the same request routed again within the window is a re-ask of the earlier one), and a
   * complete turn (a later one in its session, or a quiet minute after its last step) records
   * its cost and latency. Turns first seen long after they ran teach cost and latency only.
   */
  ingestKilo(decisions: readonly DecisionRecord[], outcomes: readonly OutcomeRecord[]): void {
    const now = this.options.now();
    const config = this.options.config();
    const idOf = (d: DecisionRecord): string => `kilo:${d.sessionID}:${Date.parse(d.ts)}`;
    const byTurn = new Map(turnsFromLogs(decisions, outcomes).map((t) => [idOf(t.decision), t]));
    const lastInSession = new Map<string, number>();
    for (const d of decisions) lastInSession.set(d.sessionID, Math.max(lastInSession.get(d.sessionID) ?? 0, Date.parse(d.ts)));
    let changed = false;
    let watermark = this.kilo.watermark;
    const complete = (turnId: string, at: number, sessionID: string): boolean => {
      const t = byTurn.get(turnId);
      if (!t) return false;
      const later = (lastInSession.get(sessionID) ?? 0) > at;
      if (!later && now - (at + t.latencyMs) < KILO_COMPLETE_QUIET_MS) return false;
      this.learner.recordUsage(turnId, { costUsd: t.costUsd, latencyMs: t.latencyMs }, now);
      const entry = this.turns.get(turnId);
      if (entry) {
        entry.view.costUsd = t.costUsd;
        entry.view.latencyMs = t.latencyMs;
      }
      this.kilo.pending.delete(turnId);
      this.completed.fire(turnId);
      return true;
    };
    for (const d of decisions) {
      const at = Date.parse(d.ts);
      if (!Number.isFinite(at)) continue;
      const turnId = idOf(d);
      if (at <= this.kilo.watermark) {
        if (this.kilo.pending.has(turnId)) changed = complete(turnId, at, d.sessionID) || changed;
        continue;
      }
      watermark = Math.max(watermark, at);
      const model = d.applied ? d.selected : (d.previous ?? d.selected);
      const profile = profileForKiloModel(config, model) ?? findProfile(config, model);
      if (!profile) continue;
      const previous = this.kilo.hashes.get(d.requestHash);
      if (previous && at > previous.at && at - previous.at <= REASK_WINDOW_MS && this.learner.hasTurn(previous.turnId)) this.apply(previous.turnId, { kind: 'reasked' });
      this.kilo.hashes.delete(d.requestHash);
      this.kilo.hashes.set(d.requestHash, { turnId, at });
      while (this.kilo.hashes.size > MAX_TURNS) {
        const oldest = this.kilo.hashes.keys().next().value;
        if (oldest === undefined) break;
        this.kilo.hashes.delete(oldest);
      }
      const request: RouteRequest = { text: d.requestPreview };
      this.learner.startTurn(turnStartFor(profile, analyzeRequest(request), turnId, this.context(request)), at);
      this.addTurn(this.viewFor(turnId, 'kilo', d.requestPreview, profile.id, at, undefined, false), false);
      this.kilo.pending.add(turnId);
      changed = true;
      if (now - at <= KILO_LIVE_MS) this.started.fire({ turnId, keptWithoutEdits: true, supersedes: undefined });
      complete(turnId, at, d.sessionID);
    }
    this.kilo.watermark = watermark;
    // Turns whose decision rotated out of the log cannot complete any more.
    const listed = new Set(decisions.map(idOf));
    for (const id of this.kilo.pending) if (!listed.has(id)) this.kilo.pending.delete(id);
    if (changed) {
      this.persist();
      this.changed.fire();
    }
  }

  /** Kilo turns still waiting for their last step (the host re-reads the logs while there are any). */
  get pendingKiloTurns(): number {
    return this.kilo.pending.size;
  }

  view(): LearningView {
    const now = this.options.now();
    const config = this.options.config();
    const settings = this.options.settings();
    const policy = this.syncPolicy();
    const summary = this.learner.summary(config, now);
    const seen = (n: number): boolean => n > 1e-6;
    const observed = summary
      .filter((r) => seen(r.observations) || seen(r.costObservations) || seen(r.latencyObservations))
      .sort((a, b) => b.observations + b.costObservations - (a.observations + a.costObservations) || (a.modelId < b.modelId ? -1 : 1));
    const arms = policy.armComparison();
    const arm = (a: (typeof arms.arms)['convergence']): LearningView['arms']['convergence'] => ({
      requests: a.requests,
      attempts: a.attempts,
      successes: a.successes,
      failures: a.failures,
      successRate: a.successRate,
      meanCostUsd: a.meanCostUsd,
      meanLatencyMs: a.meanLatencyMs,
    });
    return {
      enabled: settings.enabled,
      models: observed.map((r) => ({
        modelId: r.modelId,
        displayName: r.displayName,
        prior: r.prior,
        successRate: r.successRate,
        interval: r.interval,
        observations: r.observations,
        successes: r.successes,
        failures: r.failures,
        costObservations: r.costObservations,
        meanCostUsd: r.meanCostUsd,
        latencyObservations: r.latencyObservations,
        meanLatencyMs: r.meanLatencyMs,
      })),
      unobserved: summary.length - observed.length,
      rolloutPercent: arms.rolloutPercent,
      arms: { convergence: arm(arms.arms.convergence), latency: arm(arms.arms.latency) },
      exploration: { ...policy.explorationStats(), ...settings.exploration },
      recent: [...this.turns.values()]
        .map((e) => ({ ...e.view }))
        .reverse()
        .sort((a, b) => b.at - a.at)
        .slice(0, RECENT),
    };
  }

  observations(request: RouteRequest, base: Observations | undefined): Observations | undefined {
    if (!this.options.settings().enabled) return base;
    const learned = this.learner.observations(this.options.config(), analyzeRequest(request), this.context(request), this.options.now());
    if (Object.keys(learned).length === 0) return base;
    const out: Observations = { ...base };
    for (const [id, o] of Object.entries(learned)) out[id] = { ...base?.[id], ...o };
    return out;
  }
}
