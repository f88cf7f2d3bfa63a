/**
 * The session's routing state: the last request, the decision for it, and the user's override.
 * No `vscode` import: the host passes in the config getter, the integrations and a memento.
 */
import { findProfile, route, RoutingError } from '../engine';
import type { RouteContext, RouteRequest, RoutingConfig, RoutingDecision } from '../engine';
import type { DecisionView, PanelSnapshot, TurnInfo } from '../../webview/protocol';
import { Disposable, Emitter } from './lifecycle';
import type { Integrations } from './seams';

/** What the user asked for, as kept across reloads. */
export interface SessionRequest {
  text: string;
  languages: string[];
  selectionLines?: number | undefined;
}

/** The part of `vscode.Memento` the session uses (workspaceState). */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const REQUEST_KEY = 'convergence.lastRequest';
const OVERRIDE_KEY = 'convergence.override';

export class RoutingSession extends Disposable {
  private readonly changed = this.register(new Emitter<void>());
  /** Fires after every new decision, re-score or override change. */
  readonly onDidChange = this.changed.event;
  private request: SessionRequest | undefined;
  private decision: RoutingDecision | undefined;
  private error: string | undefined;
  private override: string | undefined;
  private turn: TurnInfo | undefined;
  private scoring = false;
  /** The routing config in force, with the live catalog's prices when there is one. */
  private readonly config: () => RoutingConfig;

  constructor(
    config: () => RoutingConfig,
    private readonly integrations: Integrations,
    private readonly state: StateStore,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {
    super();
    const prices = integrations.prices;
    this.config = prices ? () => prices.apply(config()) : config;
    this.request = state.get<SessionRequest>(REQUEST_KEY);
    this.override = state.get<string>(OVERRIDE_KEY);
  }

  /** The config the session routes with (prices from the live catalog when there is one). */
  get routing(): RoutingConfig {
    return this.config();
  }

  /** The learning policy's side of the last decision (turn, arm, escalation). */
  get lastTurn(): TurnInfo | undefined {
    return this.turn;
  }

  /** The last request, for pre-filling the input box. */
  get lastRequest(): SessionRequest | undefined {
    return this.request;
  }

  get lastDecision(): RoutingDecision | undefined {
    return this.decision;
  }

  /** The model in use: the user's override, else the recommendation. */
  get chosenModel(): string | undefined {
    return this.override ?? this.decision?.selected;
  }

  get overrideModel(): string | undefined {
    return this.override;
  }

  /**
   * Scores a new request and remembers it. With learning wired in, the policy decides it and a
   * turn starts; asking the same request again counts against the last answer and escalates.
   */
  route(request: SessionRequest): RoutingDecision | undefined {
    this.request = request;
    void this.state.update(REQUEST_KEY, request);
    return this.score(true);
  }

  /** Scores the last request again (after a config change); a no-op before the first request. Starts no turn. */
  rescore(): RoutingDecision | undefined {
    return this.request && !this.scoring ? this.score(false) : undefined;
  }

  /** Routes any request with the session's context without remembering it (hover). */
  preview(request: RouteRequest): RoutingDecision {
    const config = this.config();
    const full: RouteRequest = {
      ...request,
      patternProfile: request.patternProfile ?? this.integrations.patterns?.profile(),
      models: request.models ?? this.integrations.prices?.candidates(config),
    };
    const learning = this.integrations.learning;
    return learning ? learning.preview(full, this.context(full)) : route(config, full, this.context(full));
  }

  /** Picks a model over the recommendation; picking the recommendation clears the override. */
  useModel(modelId: string): void {
    const profile = findProfile(this.config(), modelId);
    if (!profile) throw new RoutingError(`unknown model "${modelId}"`);
    this.override = profile.id === this.decision?.selected ? undefined : profile.id;
    void this.state.update(OVERRIDE_KEY, this.override);
    this.followModelInUse();
    this.changed.fire();
  }

  clearOverride(): void {
    this.override = undefined;
    void this.state.update(OVERRIDE_KEY, undefined);
    this.followModelInUse();
    this.changed.fire();
  }

  /** The developer's thumbs up or down for a turn; false when learning is not wired in or the turn is forgotten. */
  thumbs(turnId: string, up: boolean): boolean {
    return this.integrations.learning?.thumbs(turnId, up) ?? false;
  }

  /** Later outcome signals belong to the model in use: tell the learner when it changes. */
  private followModelInUse(): void {
    const chosen = this.chosenModel;
    if (chosen && this.turn) this.turn = this.integrations.learning?.inUse(chosen) ?? this.turn;
  }

  private context(request: RouteRequest): RouteContext {
    return {
      observations: this.integrations.observations?.observations(request),
      reviewUnavailable: this.integrations.reviewer?.unavailable?.() ?? false,
      env: this.env,
    };
  }

  private score(fresh: boolean): RoutingDecision | undefined {
    const request = this.request;
    if (!request) return undefined;
    const config = this.config();
    const learning = this.integrations.learning;
    this.scoring = true;
    try {
      const full: RouteRequest = {
        text: request.text,
        languages: request.languages,
        selectionLines: request.selectionLines,
        patternProfile: this.integrations.patterns?.profile(),
        currentModel: this.override,
        models: this.integrations.prices?.candidates(config),
      };
      if (learning) {
        const learned = fresh ? learning.decide(full, this.context(full)) : learning.rescore(full, this.context(full));
        this.decision = learned.decision;
        this.turn = learned.turn;
      } else {
        this.decision = route(config, full, this.context(full));
        this.turn = undefined;
      }
      this.error = undefined;
      if (this.override && !findProfile(config, this.override)) this.override = undefined;
      this.followModelInUse();
    } catch (err) {
      if (!(err instanceof RoutingError)) throw err;
      this.decision = undefined;
      this.turn = undefined;
      this.error = err.message;
    } finally {
      this.scoring = false;
    }
    this.changed.fire();
    return this.decision;
  }

  /** The full snapshot the panel draws. */
  snapshot(): PanelSnapshot {
    const config = this.config();
    const d = this.decision;
    const nameOf = (id: string): string => config.modelProfiles[id]?.displayName ?? id;
    const decision: DecisionView | undefined =
      d && this.request
        ? {
            request: this.request.text,
            selected: d.selected,
            confidenceLevel: d.confidenceLevel,
            recommendation: d.recommendation,
            warnings: d.warnings,
            mode: d.mode,
            rows: d.scores.map((score) => ({ score, displayName: nameOf(score.modelId), kiloModel: config.modelProfiles[score.modelId]?.kiloModel })),
            patternWeightShared: d.scores.every((s) => s.breakdown.patternMatch === undefined),
            turn: this.turn,
          }
        : undefined;
    return {
      decision,
      weights: { ...config.weights },
      sliders: { ...config.weights },
      override: this.override,
      models: Object.values(config.modelProfiles).map((p) => ({ id: p.id, displayName: p.displayName ?? p.id })),
      patterns: this.integrations.patterns?.summary(),
      error: this.error,
      learning: this.integrations.learning?.view(),
      kilo: this.integrations.kilo?.status?.(),
      prices: this.integrations.prices?.status(config),
    };
  }
}
