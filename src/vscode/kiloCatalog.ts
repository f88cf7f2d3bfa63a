/**
 * The Kilo gateway's live model list in the editor (`src/kilo/catalog.ts`): fetched with the
 * token from SecretStorage, cached for a day in the extension's global storage, applied to the
 * profiles' prices and to the candidate list. Offline, or without a token, the embedded
 * profiles stand and the panel says so. No `vscode` import: the host passes the token getter,
 * the cache, the clock and the base URL.
 */
import { applyCatalog, catalogOverlay, freshness, GatewayCatalog } from '../kilo/catalog';
import type { AppliedCatalog, CatalogCache, CatalogResult, CatalogSnapshot } from '../kilo/catalog';
import type { RoutingConfig } from '../engine';
import type { PricesView } from '../../webview/protocol';
import { Disposable, Emitter } from './lifecycle';
import type { PriceSource } from './seams';

export interface KiloCatalogOptions {
  cache: CatalogCache;
  now: () => number;
  /** `convergence.kilo.gatewayUrl`, read when a refresh starts. */
  baseUrl: () => string;
  /** The token from SecretStorage; undefined when none is set. */
  token: () => Promise<string | undefined>;
  log: { info(message: string): void; warn(message: string): void };
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch | undefined;
}

/** Prices and candidates from the gateway's list, when there is one. */
export class KiloCatalog extends Disposable implements PriceSource {
  private readonly changed = this.register(new Emitter<void>());
  readonly onDidChange = this.changed.event;
  private result: CatalogResult = { source: 'embedded', error: 'not read yet' };
  private gateway: GatewayCatalog | undefined;
  private memo: { config: RoutingConfig; snapshot: CatalogSnapshot; applied: AppliedCatalog } | undefined;
  private running: Promise<CatalogResult> | undefined;

  constructor(private readonly options: KiloCatalogOptions) {
    super();
  }

  /** The list in force: fresh cache, else a fetch with the token, else the stale cache, else none. Never throws. */
  refresh(force = false): Promise<CatalogResult> {
    // One request at a time; a forced refresh waits for the one running and then goes again.
    const previous = this.running ?? Promise.resolve(this.result);
    const next = previous.then(() => this.load(force));
    this.running = next;
    void next.then(() => {
      if (this.running === next) this.running = undefined;
    });
    return next;
  }

  private async load(force: boolean): Promise<CatalogResult> {
    const baseUrl = this.options.baseUrl();
    if (!this.gateway || this.gateway.baseUrl !== baseUrl.replace(/\/+$/, '')) {
      this.gateway = new GatewayCatalog({ cache: this.options.cache, now: this.options.now, baseUrl, fetch: this.options.fetch });
    }
    let token: string | undefined;
    try {
      token = await this.options.token();
    } catch (err) {
      this.options.log.warn(`the Kilo token could not be read from SecretStorage: ${err instanceof Error ? err.message : String(err)}`);
    }
    const before = this.result;
    const result = await this.gateway.get(token, { force });
    this.result = result;
    this.memo = undefined;
    if (result.source === 'live') this.options.log.info(`prices: ${result.snapshot?.models.length ?? 0} models from the Kilo gateway (${this.gateway.baseUrl})`);
    else if (result.error && token) this.options.log.warn(`prices: ${result.error}; using ${result.snapshot ? 'the cached list' : 'the built-in profiles'}`);
    if (before.snapshot !== result.snapshot || before.error !== result.error || before.source !== result.source) this.changed.fire();
    return result;
  }

  private applied(config: RoutingConfig): AppliedCatalog | undefined {
    const snapshot = this.result.snapshot;
    if (!snapshot) return undefined;
    if (this.memo?.config !== config || this.memo.snapshot !== snapshot) this.memo = { config, snapshot, applied: applyCatalog(config, snapshot) };
    return this.memo.applied;
  }

  apply(config: RoutingConfig): RoutingConfig {
    return this.applied(config)?.config ?? config;
  }

  candidates(config: RoutingConfig): string[] | undefined {
    const available = this.applied(config)?.available;
    return available && available.length > 0 ? available : undefined;
  }

  overlay(config: RoutingConfig): Record<string, unknown> | undefined {
    const snapshot = this.result.snapshot;
    return snapshot ? catalogOverlay(config, snapshot) : undefined;
  }

  status(config: RoutingConfig): PricesView {
    const f = freshness(this.result, this.options.now());
    const applied = this.applied(config);
    return { state: f.state, text: f.text, missing: applied && applied.available.length > 0 ? applied.missing : [] };
  }
}
