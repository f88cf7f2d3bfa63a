import type { ReviewError, ReviewErrorKind } from './types';

/** First wait after a transient failure (5xx, network, timeout, malformed answer). */
export const BASE_BACKOFF_MS = 5_000;
/** Transient waits double per failure in a row, up to this. */
export const MAX_BACKOFF_MS = 5 * 60_000;
/** After a refused key: long, since only a new key helps (a new key lifts it at once). */
export const AUTH_BACKOFF_MS = 15 * 60_000;
/** After a 429 without `retry-after`. */
export const RATE_LIMIT_BACKOFF_MS = 30_000;
/** After another 4xx (unknown model, wrong endpoint path): a settings problem. */
export const REJECTED_BACKOFF_MS = 10 * 60_000;

/** Kinds that say the service (or our use of it) is failing; the others are not failures. */
export const SERVICE_FAILURES: ReadonlySet<ReviewErrorKind> = new Set(['auth', 'rate-limit', 'server', 'rejected', 'network', 'timeout', 'malformed']);

/** What one failure changed, so the caller logs only what is new. */
export interface FailureNote {
  /** True for the first failure of a streak or a failure of another kind than the last. */
  newKind: boolean;
  retryAt: number;
}

/**
 * Failure streak bookkeeping. Time comes from the caller's `now()`; nothing here sleeps or
 * sets timers: a request that arrives before `retryAt` is simply not sent.
 */
export class Backoff {
  private failures = 0;
  private retryAtMs: number | undefined;
  private last: { kind: ReviewErrorKind; message: string; at: number } | undefined;
  /** Fingerprint of the key a 401/403 refused; a different key may try at once. */
  private refusedKey: string | undefined;

  get consecutiveFailures(): number {
    return this.failures;
  }
  get retryAt(): number | undefined {
    return this.failures > 0 ? this.retryAtMs : undefined;
  }
  get lastError(): { kind: ReviewErrorKind; message: string; at: number } | undefined {
    return this.failures > 0 ? this.last : undefined;
  }
  get failing(): boolean {
    return this.failures > 0;
  }

  /** True when a call now would be sent while the service is still backing off. */
  blocked(now: number, keyFingerprint: string): boolean {
    if (this.failures === 0 || this.retryAtMs === undefined) return false;
    if (this.last?.kind === 'auth' && this.refusedKey !== keyFingerprint) return false;
    return now < this.retryAtMs;
  }

  fail(err: ReviewError, now: number, keyFingerprint: string): FailureNote {
    const newKind = this.failures === 0 || this.last?.kind !== err.kind;
    this.failures++;
    this.last = { kind: err.kind, message: err.message, at: now };
    this.refusedKey = err.kind === 'auth' ? keyFingerprint : undefined;
    this.retryAtMs = now + delayFor(err, this.failures);
    return { newKind, retryAt: this.retryAtMs };
  }

  /** Returns true when this success ends a failure streak. */
  succeed(): boolean {
    const recovered = this.failures > 0;
    this.failures = 0;
    this.retryAtMs = undefined;
    this.last = undefined;
    this.refusedKey = undefined;
    return recovered;
  }
}

function delayFor(err: ReviewError, failures: number): number {
  switch (err.kind) {
    case 'auth':
      return AUTH_BACKOFF_MS;
    case 'rate-limit':
      return err.retryAfterMs ?? RATE_LIMIT_BACKOFF_MS;
    case 'rejected':
      return REJECTED_BACKOFF_MS;
    default:
      return Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.min(failures - 1, 16));
  }
}
