import { settingsOverlay } from './config';
import { Disposable } from './lifecycle';
import type { RoutingConfigService } from './routingConfig';
import type { Integrations, PublishedState } from './seams';
import type { RoutingSession } from './session';

/**
 * Keeps the Kilo plugin's view of the session current: after a settings, session or pattern
 * change (debounced), publishes the pattern profile, languages, settings overlay (with the
 * gateway's prices) and observations (reviews, Kilo's usage, what was learned) through the Kilo
 * bridge's `publish`.
 */
export class StatePublisher extends Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly publish: (state: PublishedState) => void,
    private readonly settings: RoutingConfigService,
    private readonly session: RoutingSession,
    private readonly integrations: Integrations,
    private readonly delayMs = 1000,
  ) {
    super();
    this.register(settings.onDidChange(() => this.schedule()));
    this.register(session.onDidChange(() => this.schedule()));
    if (integrations.patterns?.onDidChange) this.register(integrations.patterns.onDidChange(() => this.schedule()));
    this.register({ dispose: () => clearTimeout(this.timer) });
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.publishNow(), this.delayMs);
  }

  /** The state as it would be published now. */
  state(): PublishedState {
    const request = this.session.lastRequest;
    const routeRequest = { text: request?.text ?? '', languages: request?.languages ?? [] };
    const base = this.integrations.observations?.observations(routeRequest);
    const learning = this.integrations.learning;
    // The gateway's prices go with the settings, so the plugin routes on the prices the panel shows.
    const prices = this.integrations.prices?.overlay(this.settings.routing);
    return {
      patternProfile: this.integrations.patterns?.profile(),
      languages: request?.languages ?? [],
      settings: { ...settingsOverlay(this.settings.settings), ...prices },
      observations: learning ? learning.observations(routeRequest, base) : base,
      enabled: this.settings.routing.enabled,
    };
  }

  publishNow(): void {
    this.timer = undefined;
    this.publish(this.state());
  }
}
