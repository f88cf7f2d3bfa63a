import type * as Sdk from '@anthropic-ai/sdk';
import { MAX_TOKENS, REVIEW_TOOL, REVIEW_TOOL_NAME, SYSTEM_PROMPT } from './prompt';
import { redactSecrets } from './redact';
import { ReviewError } from './types';
import type { MessageLike } from './validate';

type SdkModule = typeof Sdk;

let sdk: Promise<SdkModule> | undefined;

/**
 * The SDK is loaded on the first review, never at module load: it is several hundred
 * kilobytes that a session without a key never needs. The bundles keep it in a file of its
 * own (`dist/anthropic-sdk.js`, see esbuild.mjs) that this `import()` requires on first use.
 */
export function loadSdk(): Promise<SdkModule> {
  sdk ??= import('@anthropic-ai/sdk');
  return sdk;
}

/** Where and how to call the Messages API. */
export interface Endpoint {
  apiKey: string;
  /** Base URL; undefined leaves it to the SDK (env `ANTHROPIC_BASE_URL`, else api.anthropic.com). */
  baseURL: string | undefined;
}

/** One review call. */
export interface CallParams {
  model: string;
  /** The user turn: the excerpt between tags (see `userMessage`). */
  user: string;
  timeoutMs: number;
  /** Aborts the call when the reviewer is disposed. */
  cancel: AbortSignal;
}

/** A Messages API client per endpoint and key; rebuilt when either changes. */
export class ReviewClient {
  private client: Sdk.Anthropic | undefined;
  private clientFor: Endpoint | undefined;

  /**
   * Sends one review request and returns the raw answer. SDK retries are off (`maxRetries: 0`):
   * the timeout is then a hard budget for the whole call, and the reviewer's own back-off
   * decides when to try again, honouring `retry-after`, instead of the SDK retrying inside a
   * background call that routing never waits for anyway.
   */
  async call(endpoint: Endpoint, params: CallParams, now: () => number): Promise<MessageLike> {
    const mod = await loadSdk();
    const client = this.clientOf(mod, endpoint);
    const timer = new AbortController();
    const onCancel = (): void => timer.abort('cancelled');
    params.cancel.addEventListener('abort', onCancel, { once: true });
    const handle = setTimeout(() => timer.abort('timeout'), params.timeoutMs);
    handle.unref?.();
    try {
      return await client.messages.create(
        {
          model: params.model,
          max_tokens: MAX_TOKENS,
          system: SYSTEM_PROMPT,
          tools: [REVIEW_TOOL],
          tool_choice: { type: 'tool', name: REVIEW_TOOL_NAME },
          messages: [{ role: 'user', content: params.user }],
        },
        { signal: timer.signal, timeout: params.timeoutMs, maxRetries: 0 },
      );
    } catch (err) {
      throw classifyError(mod, err, { reason: timer.signal.reason, endpoint, timeoutMs: params.timeoutMs, now });
    } finally {
      clearTimeout(handle);
      params.cancel.removeEventListener('abort', onCancel);
    }
  }

  private clientOf(mod: SdkModule, endpoint: Endpoint): Sdk.Anthropic {
    if (!this.client || this.clientFor?.apiKey !== endpoint.apiKey || this.clientFor.baseURL !== endpoint.baseURL) {
      this.client = new mod.Anthropic({
        apiKey: endpoint.apiKey,
        ...(endpoint.baseURL !== undefined ? { baseURL: endpoint.baseURL } : {}),
        maxRetries: 0,
        // The SDK would otherwise log to the console (stdout in the CLI, corrupting --json) and
        // start tracing spans; the reviewer reports through its own logger, once per failure.
        logLevel: 'off',
        openTelemetry: false,
      });
      this.clientFor = { ...endpoint };
    }
    return this.client;
  }
}

interface Context {
  reason: unknown;
  endpoint: Endpoint;
  timeoutMs: number;
  now: () => number;
}

/** Server text goes into messages only after redaction, with the key itself as a known secret. */
function clean(text: string, endpoint: Endpoint): string {
  const t = redactSecrets(text, { extraSecrets: [endpoint.apiKey] }).text.replace(/\s+/g, ' ').trim();
  return t.length > 200 ? `${t.slice(0, 199)}…` : t;
}

function host(endpoint: Endpoint): string {
  if (endpoint.baseURL === undefined) return 'the Anthropic API';
  try {
    return new URL(endpoint.baseURL).host;
  } catch {
    return 'the configured endpoint';
  }
}

/** `retry-after-ms`, else `retry-after` in seconds or as an HTTP date, in milliseconds. */
export function retryAfterMs(headers: Headers | undefined, now: number): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers?.get('retry-after');
  if (raw == null) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Maps whatever the SDK threw to a {@link ReviewError} whose message is safe to log. */
export function classifyError(mod: SdkModule, err: unknown, ctx: Context): ReviewError {
  const where = host(ctx.endpoint);
  if (ctx.reason === 'timeout' || err instanceof mod.APIConnectionTimeoutError) {
    return new ReviewError('timeout', `no answer from ${where} within ${ctx.timeoutMs} ms`);
  }
  if (ctx.reason === 'cancelled' || err instanceof mod.APIUserAbortError) {
    return new ReviewError('cancelled', 'the review was cancelled');
  }
  if (err instanceof mod.APIConnectionError) {
    const cause = err.cause instanceof Error ? ((err.cause as NodeJS.ErrnoException).code ?? err.cause.message) : err.message;
    return new ReviewError('network', `cannot reach ${where}: ${clean(cause, ctx.endpoint)}`);
  }
  if (err instanceof mod.APIError && typeof err.status === 'number') {
    const status = err.status;
    const detail = clean(err.apiMessage ?? err.message, ctx.endpoint);
    const type = err.type ? ` (${err.type})` : '';
    const msg = `${where} answered HTTP ${status}${type}: ${detail}`;
    if (status === 401 || status === 403) return new ReviewError('auth', `${msg}; check the Anthropic API key`, status);
    if (status === 429) {
      const after = retryAfterMs(err.headers as Headers | undefined, ctx.now());
      return new ReviewError('rate-limit', after === undefined ? msg : `${msg}; retry after ${Math.ceil(after / 1000)} s`, status, after);
    }
    if (status >= 500) return new ReviewError('server', msg, status);
    return new ReviewError('rejected', msg, status);
  }
  if (err instanceof SyntaxError) {
    return new ReviewError('malformed', `the answer from ${where} is not valid JSON: ${clean(err.message, ctx.endpoint)}`);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ReviewError('network', `review call to ${where} failed: ${clean(message, ctx.endpoint)}`);
}
