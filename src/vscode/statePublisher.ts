import { settingsOverlay } from './config';
import { Disposable } from './lifecycle';
import type { RoutingConfigService } from './routingConfig';
import type { Integrations, PublishedState } from './seams';
import type { RoutingSession } from './session';

/**
 * Keeps the Kilo plugin's view of the session current: after a settings, session or pattern
 * change (debounced), publishes the pattern profile, languages, settings overlay and
 * observations through the Kilo bridge's `publish`.
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
    return {
      patternProfile: this.integrations.patterns?.profile(),
      languages: request?.languages ?? [],
      settings: settingsOverlay(this.settings.settings),
      observations: this.integrations.observations?.observations(routeRequest),
      enabled: this.settings.routing.enabled,
    };
  }

  publishNow(): void {
    this.timer = undefined;
    this.publish(this.state());
  }
}
