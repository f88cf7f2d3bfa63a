import type { PatternName } from '../engine';

/** The four code-quality figures a review reports, each 0–100. */
export interface CodeQuality {
  readability: number;
  maintainability: number;
  testability: number;
  security: number;
}

/**
 * The design's review shape, after validation: every number is an integer in 0–100 and every
 * pattern is one of the eleven `PATTERNS`.
 */
export interface CodeReview {
  /** How well the code holds up under bad input, failure and change, 0–100. */
  robustness: number;
  /** Patterns the reviewer found, each at most once, in `PATTERNS` order. */
  patterns: PatternName[];
  codeQuality: CodeQuality;
  /** Short reasons for the figures, in the reviewer's words. */
  reasoning: string[];
}

/** Lines the model just changed, 0-based and inclusive (as VS Code's `Range` counts them). */
export interface ChangedRange {
  startLine: number;
  endLine: number;
}

/** One request to review code a model produced. */
export interface ReviewRequest {
  /** The code to review; secrets are redacted and it is cut to `maxCodeChars` before sending. */
  code: string;
  /** The lines the model changed; the excerpt sent is centred on them. */
  changedRange?: ChangedRange | undefined;
  /**
   * The routing profile id of the model that wrote the code (`claude-opus-4.5`, not the Kilo
   * id): its observations are recorded under this id. Hosts holding a Kilo id map it with the
   * engine's `findProfile(config, kiloId)?.id`.
   */
  modelId: string;
  /** File name, for the language hint and `.env` redaction; only its base name is sent. */
  file?: string | undefined;
}

/** Why a review did not happen. Failures of the service back off; the others do not. */
export type ReviewErrorKind =
  /** `opus.enabled` is false. */
  | 'disabled'
  /** No key in the host's secret store or in `ANTHROPIC_API_KEY`. */
  | 'no-key'
  /** Nothing to review (empty or whitespace only). */
  | 'empty'
  /** 401/403: the key was refused. */
  | 'auth'
  /** 429: rate-limited; `retryAfterMs` says for how long when the server said so. */
  | 'rate-limit'
  /** 5xx (including 529 overloaded). */
  | 'server'
  /** Another 4xx: the request itself was refused (unknown model, bad endpoint path). */
  | 'rejected'
  /** The connection failed (refused, reset, DNS). */
  | 'network'
  /** No answer within `opus.timeoutMs`. */
  | 'timeout'
  /** An answer came but was not valid JSON or did not fit the review schema. */
  | 'malformed'
  /** An earlier failure is still backing off; no request was sent. */
  | 'backing-off'
  /** The reviewer was disposed while the call was in flight. */
  | 'cancelled';

/**
 * A review that did not produce a score. Its message never contains the API key: every
 * message built from a server answer goes through the same redaction as the payload.
 */
export class ReviewError extends Error {
  override readonly name = 'ReviewError';
  constructor(
    readonly kind: ReviewErrorKind,
    message: string,
    /** HTTP status, when the server answered. */
    readonly status?: number | undefined,
    /** How long the server asked us to wait (429 `retry-after`), in milliseconds. */
    readonly retryAfterMs?: number | undefined,
  ) {
    super(message);
  }
}

/** The outcome of {@link ReviewRequest}: resolved either way, so fire-and-forget is safe. */
export type ReviewOutcome =
  | { ok: true; review: CodeReview; cached: boolean; key: string }
  | { ok: false; error: ReviewError };

/** Emitted when a review lands or fails. */
export type ReviewEvent =
  | {
      outcome: 'reviewed';
      modelId: string;
      file?: string | undefined;
      review: CodeReview;
      /** True when the answer came from the cache, with no call made. */
      cached: boolean;
    }
  | {
      outcome: 'failed';
      modelId: string;
      file?: string | undefined;
      error: ReviewError;
    };

/** Where the reviewer's log lines go; VS Code's `LogOutputChannel` fits as is. */
export interface ReviewLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Optional persistence for the review cache, on this machine only (the extension passes its
 * global storage; the CLI a file under the user's cache directory). One opaque JSON string.
 */
export interface ReviewStorage {
  read(): Promise<string | undefined>;
  write(data: string): Promise<void>;
}

/** Disposes a listener registration (the shape of VS Code's `Disposable`). */
export interface Disposable {
  dispose(): void;
}

/** The reviewer's state, for the status bar and for routing's `reviewUnavailable`. */
export interface ReviewStatus {
  /**
   * `disabled`: `opus.enabled` is false. `no-key`: no key found on the last attempt.
   * `ready`: nothing failing. `failing`: the last call failed and the reviewer backs off.
   */
  state: 'disabled' | 'no-key' | 'ready' | 'failing';
  /** True while the service is failing: pass it to `route()` as `reviewUnavailable`. */
  reviewUnavailable: boolean;
  /** The failure behind `failing`, with the key never in it. */
  lastError?: { kind: ReviewErrorKind; message: string; at: number } | undefined;
  /** When `failing`, the earliest time (by `now()`) the next call is allowed. */
  retryAt?: number | undefined;
  /** Failures in a row since the last success. */
  consecutiveFailures: number;
  /** Calls under way now. */
  inFlight: number;
  /** Reviews held in the cache. */
  cached: number;
  /** Calls made to the service since construction (cache hits not counted). */
  calls: number;
}
