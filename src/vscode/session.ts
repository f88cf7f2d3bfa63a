/**
 * The session's routing state: the last request, the decision for it, and the user's override.
 * No `vscode` import: the host passes in the config getter, the integrations and a memento.
 */
import { findProfile, route, RoutingError } from '../engine';
import type { Observations, RouteRequest, RoutingConfig, RoutingDecision } from '../engine';
import type { DecisionView, PanelSnapshot } from '../../webview/protocol';
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

  constructor(
    private readonly config: () => RoutingConfig,
    private readonly integrations: Integrations,
    private readonly state: StateStore,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {
    super();
    this.request = state.get<SessionRequest>(REQUEST_KEY);
    this.override = state.get<string>(OVERRIDE_KEY);
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

  /** Scores a new request and remembers it. */
  route(request: SessionRequest): RoutingDecision | undefined {
    this.request = request;
    void this.state.update(REQUEST_KEY, request);
    return this.score();
  }

  /** Scores the last request again (after a config change); a no-op before the first request. */
  rescore(): RoutingDecision | undefined {
    return this.request ? this.score() : undefined;
  }

  /** Routes any request with the session's context without remembering it (hover). */
  preview(request: RouteRequest): RoutingDecision {
    const full = { ...request, patternProfile: request.patternProfile ?? this.integrations.patterns?.profile() };
    return route(this.config(), full, this.context(full));
  }

  /** Picks a model over the recommendation; picking the recommendation clears the override. */
  useModel(modelId: string): void {
    const profile = findProfile(this.config(), modelId);
    if (!profile) throw new RoutingError(`unknown model "${modelId}"`);
    this.override = profile.id === this.decision?.selected ? undefined : profile.id;
    void this.state.update(OVERRIDE_KEY, this.override);
    this.changed.fire();
  }

  clearOverride(): void {
    this.override = undefined;
    void this.state.update(OVERRIDE_KEY, undefined);
    this.changed.fire();
  }

  private context(request: RouteRequest): { observations: Observations | undefined; reviewUnavailable: boolean; env: Readonly<Record<string, string | undefined>> } {
    return {
      observations: this.integrations.observations?.observations(request),
      reviewUnavailable: this.integrations.reviewer?.unavailable?.() ?? false,
      env: this.env,
    };
  }

  private score(): RoutingDecision | undefined {
    const request = this.request;
    if (!request) return undefined;
    const config = this.config();
    try {
      const full: RouteRequest = {
        text: request.text,
        languages: request.languages,
        selectionLines: request.selectionLines,
        patternProfile: this.integrations.patterns?.profile(),
        currentModel: this.override,
      };
      this.decision = route(config, full, this.context(full));
      this.error = undefined;
      if (this.override && !findProfile(config, this.override)) this.override = undefined;
    } catch (err) {
      if (!(err instanceof RoutingError)) throw err;
      this.decision = undefined;
      this.error = err.message;
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
    };
  }
}
