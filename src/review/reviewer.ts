import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Observations, ReviewSettings } from '../engine';
import { Backoff, SERVICE_FAILURES } from './backoff';
import { ReviewCache, reviewKey } from './cache';
import { ReviewClient } from './client';
import type { Endpoint } from './client';
import { ReviewObservations } from './observations';
import { PROMPT_VERSION, userMessage } from './prompt';
import { redactSecrets } from './redact';
import { excerpt } from './truncate';
import { ReviewError } from './types';
import type { CodeReview, Disposable, ReviewEvent, ReviewLogger, ReviewOutcome, ReviewRequest, ReviewStatus, ReviewStorage } from './types';
import { reviewFromMessage } from './validate';

/** The design's reviewing model, used when `opus.model` is empty. */
export const DEFAULT_REVIEW_MODEL = 'claude-opus-4-5-20251101';

/** What the host supplies. Only `settings` is required. */
export interface ReviewerOptions {
  /** The resolved `routing.convergence.opus` block (endpoint, model, timeout, cache, TTL, max chars). */
  settings: ReviewSettings;
  /**
   * The API key from the host's secret store (VS Code `SecretStorage`). Asked before every
   * call, so a key set or removed mid-session takes effect at once. When it yields nothing,
   * `env.ANTHROPIC_API_KEY` is used.
   */
  getSecret?: (() => Promise<string | undefined> | string | undefined) | undefined;
  /** Environment for `ANTHROPIC_API_KEY` and `CLAUDE_API_ENDPOINT`; defaults to none. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  logger?: ReviewLogger | undefined;
  /** Clock in milliseconds (epoch); TTLs and back-off read only this. Defaults to `Date.now`. */
  now?: (() => number) | undefined;
  /** Persists the review cache on this machine (the extension's global storage). */
  storage?: ReviewStorage | undefined;
}

/** What a call that reached the service produced, shared by every request that joined it. */
type Flight = { ok: true; review: CodeReview } | { ok: false; error: ReviewError };

const silent: ReviewLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

const fingerprint = (key: string): string => createHash('sha256').update(key).digest('hex').slice(0, 16);

const seconds = (ms: number): string => `${Math.max(1, Math.ceil(ms / 1000))} s`;

/**
 * The asynchronous code reviewer (the design's Mode 2). Reviews run in the background and
 * resolve to a {@link ReviewOutcome} (never a rejection); routing reads {@link observations}
 * and {@link status} synchronously and never waits for a review.
 */
export class CodeReviewer implements Disposable {
  private settings: ReviewSettings;
  private readonly getSecret: ReviewerOptions['getSecret'];
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly logger: ReviewLogger;
  private readonly now: () => number;
  private readonly storage: ReviewStorage | undefined;
  private cache: ReviewCache;
  private readonly client = new ReviewClient();
  private readonly backoff = new Backoff();
  private readonly observed = new ReviewObservations();
  private readonly inflight = new Map<string, Promise<Flight>>();
  private readonly listeners = new Set<(e: ReviewEvent) => void>();
  private readonly cancel = new AbortController();
  private keyMissing = false;
  private secretWarned = false;
  private calls = 0;
  private disposed = false;

  constructor(options: ReviewerOptions) {
    this.settings = options.settings;
    this.getSecret = options.getSecret;
    this.env = options.env ?? {};
    this.logger = options.logger ?? silent;
    this.now = options.now ?? Date.now;
    this.storage = options.storage;
    this.cache = this.newCache();
    // Every call under way listens for dispose on this one signal; dozens at once are normal.
    setMaxListeners(0, this.cancel.signal);
  }

  /** Applies new settings (a config reload). A new TTL starts a new cache, reloaded from storage. */
  updateSettings(settings: ReviewSettings): void {
    const ttlChanged = settings.cacheTtlMs !== this.settings.cacheTtlMs;
    this.settings = settings;
    if (ttlChanged) this.cache = this.newCache();
  }

  /**
   * Reviews code a model produced. Resolves when the review lands (from the cache or the
   * service) or fails; never rejects, so `void reviewer.requestReview(...)` is safe. Concurrent
   * requests for the same code share one call. A landed review updates {@link observations} and
   * fires {@link onDidReview}; a failed call fires it with the error and starts a back-off.
   */
  async requestReview(request: ReviewRequest): Promise<ReviewOutcome> {
    const settings = this.settings;
    if (this.disposed) return this.refuse('cancelled', 'the reviewer was disposed');
    if (!settings.enabled) return this.refuse('disabled', 'code review is off (opus.enabled is false)');
    if (request.code.trim() === '') return this.refuse('empty', 'nothing to review: the code is empty');

    const apiKey = await this.apiKey();
    const redacted = redactSecrets(request.code, { file: request.file, extraSecrets: apiKey === undefined ? [] : [apiKey] });
    const user = userMessage(excerpt(redacted.text, settings.maxCodeChars, request.changedRange), request.file);
    const model = settings.model.trim() || DEFAULT_REVIEW_MODEL;
    const key = reviewKey(PROMPT_VERSION, model, user);

    if (settings.cache) {
      await this.cache.load();
      const hit = this.cache.get(key);
      if (hit) return this.landed(request, key, hit, true);
    }
    if (apiKey === undefined) {
      if (!this.keyMissing) this.logger.info('code review: no Anthropic API key (secret storage or ANTHROPIC_API_KEY); reviews are off until one is set');
      this.keyMissing = true;
      return this.refuse('no-key', 'no Anthropic API key: set one in the secret store or ANTHROPIC_API_KEY');
    }
    this.keyMissing = false;

    let flight = this.inflight.get(key);
    if (!flight) {
      const fp = fingerprint(apiKey);
      if (this.backoff.blocked(this.now(), fp)) {
        const last = this.backoff.lastError;
        const wait = (this.backoff.retryAt ?? 0) - this.now();
        return this.refuse('backing-off', `code review is backing off after ${last?.kind ?? 'a failure'}; next try in ${seconds(wait)}`);
      }
      let endpoint: Endpoint;
      try {
        endpoint = { apiKey, baseURL: this.baseURL() };
      } catch (err) {
        return this.after(request, key, this.failed(err as ReviewError, fp));
      }
      flight = this.fly(endpoint, model, user, settings, fp, key);
      this.inflight.set(key, flight);
      const mine = flight;
      void mine.then(() => {
        if (this.inflight.get(key) === mine) this.inflight.delete(key);
      });
    }
    return this.after(request, key, await flight);
  }

  /** Subscribes to landed and failed reviews. The shape of VS Code's `Event`. */
  onDidReview(listener: (e: ReviewEvent) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Reviews so far as the engine's observations (`observations[modelId].reviews`). Synchronous. */
  observations(): Observations {
    return this.observed.snapshot();
  }

  /** The reviewer's state now. Synchronous. */
  status(): ReviewStatus {
    const failing = this.backoff.failing;
    return {
      state: !this.settings.enabled ? 'disabled' : failing ? 'failing' : this.keyMissing ? 'no-key' : 'ready',
      reviewUnavailable: this.settings.enabled && failing,
      lastError: this.backoff.lastError,
      retryAt: this.backoff.retryAt,
      consecutiveFailures: this.backoff.consecutiveFailures,
      inFlight: this.inflight.size,
      cached: this.cache.size,
      calls: this.calls,
    };
  }

  /** What `route(config, request, context)` needs from the reviewer, read without waiting. */
  routeContext(): { observations: Observations; reviewUnavailable: boolean } {
    // Called before every routing decision: no cache walk here, unlike status().
    return { observations: this.observations(), reviewUnavailable: this.settings.enabled && this.backoff.failing };
  }

  /** Resolves when cache writes started so far are stored (call before shutdown). */
  flush(): Promise<void> {
    return this.cache.flush();
  }

  /** Cancels calls under way and drops listeners. */
  dispose(): void {
    this.disposed = true;
    this.cancel.abort();
    this.listeners.clear();
  }

  private newCache(): ReviewCache {
    return new ReviewCache(this.settings.cacheTtlMs, this.now, this.storage, (m) => this.logger.warn(m));
  }

  private async apiKey(): Promise<string | undefined> {
    let secret: string | undefined;
    try {
      secret = (await this.getSecret?.())?.trim();
    } catch (err) {
      if (!this.secretWarned) this.logger.warn(`code review: reading the API key from the secret store failed (${err instanceof Error ? err.name : 'error'}); trying ANTHROPIC_API_KEY`);
      this.secretWarned = true;
    }
    if (secret) return secret;
    const env = this.env['ANTHROPIC_API_KEY']?.trim();
    return env ? env : undefined;
  }

  private baseURL(): string | undefined {
    const raw = this.settings.endpoint.trim() || this.env['CLAUDE_API_ENDPOINT']?.trim() || '';
    if (raw === '') return undefined;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ReviewError('rejected', `the review endpoint "${redactSecrets(raw).text}" (opus.endpoint or CLAUDE_API_ENDPOINT) is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ReviewError('rejected', `the review endpoint must be http(s), not ${url.protocol}`);
    }
    return raw.replace(/\/+$/, '');
  }

  private async fly(endpoint: Endpoint, model: string, user: string, settings: ReviewSettings, fp: string, key: string): Promise<Flight> {
    this.calls++;
    try {
      const message = await this.client.call(endpoint, { model, user, timeoutMs: settings.timeoutMs, cancel: this.cancel.signal }, this.now);
      const { review, adjustments } = reviewFromMessage(message);
      if (adjustments.length > 0) this.logger.info(`code review: answer adjusted: ${adjustments.join('; ')}`);
      if (this.backoff.succeed()) this.logger.info('code review: the review service answers again');
      if (settings.cache) this.cache.set(key, review);
      return { ok: true, review };
    } catch (err) {
      const error = err instanceof ReviewError ? err : new ReviewError('network', 'the review call failed unexpectedly');
      return this.failed(error, fp);
    }
  }

  private failed(error: ReviewError, fp: string): Flight {
    if (SERVICE_FAILURES.has(error.kind)) {
      const note = this.backoff.fail(error, this.now(), fp);
      // Logged once per streak (or when the kind of failure changes), not once per request.
      if (note.newKind) this.logger.warn(`code review failed: ${error.message}; routing goes on without reviews, next try in ${seconds(note.retryAt - this.now())}`);
    }
    return { ok: false, error };
  }

  private after(request: ReviewRequest, key: string, flight: Flight): ReviewOutcome {
    if (flight.ok) return this.landed(request, key, flight.review, false);
    if (flight.error.kind !== 'cancelled') this.emit({ outcome: 'failed', modelId: request.modelId, file: request.file, error: flight.error });
    return { ok: false, error: flight.error };
  }

  private landed(request: ReviewRequest, key: string, review: CodeReview, cached: boolean): ReviewOutcome {
    this.observed.record(request.modelId, key, review.robustness);
    this.emit({ outcome: 'reviewed', modelId: request.modelId, file: request.file, review, cached });
    return { ok: true, review, cached, key };
  }

  private refuse(kind: ReviewError['kind'], message: string): ReviewOutcome {
    return { ok: false, error: new ReviewError(kind, message) };
  }

  private emit(event: ReviewEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error(`code review: an onDidReview listener threw: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
