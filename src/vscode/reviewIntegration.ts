import { createHash } from 'node:crypto';
import path from 'node:path';
import type * as vscode from 'vscode';
import type { Observations, ReviewSettings } from '../engine';
import { CodeReviewer, fileReviewStorage } from '../review';
import { Disposable, Emitter } from './lifecycle';
import type { ObservationSource, ReviewInput, ReviewResult, Reviewer } from './seams';

const hash = (code: string): string => createHash('sha256').update(code).digest('hex');

/** What the adapter needs from the host. */
export interface ReviewIntegrationOptions {
  /** The resolved `routing.convergence.opus` block in force. */
  settings: () => ReviewSettings;
  /** Fires after each routing config reload. */
  onDidChangeSettings: vscode.Event<unknown>;
  /** The key from SecretStorage (the reviewer falls back to `ANTHROPIC_API_KEY`). */
  getSecret: () => Promise<string | undefined>;
  env: Readonly<Record<string, string | undefined>>;
  log: vscode.LogOutputChannel;
  /** Where the review cache is kept on this machine (the extension's global storage). */
  storageDir: string | undefined;
}

/**
 * The extension's side of the reviewer (`src/review`): one `CodeReviewer` for the window, its
 * settings kept in step with the routing config, its observations fed to routing, and the
 * results of this session's reviews kept by code hash for the hover.
 */
export class ReviewIntegration extends Disposable implements Reviewer, ObservationSource {
  private readonly reviewer: CodeReviewer;
  private readonly results = new Map<string, ReviewResult>();
  private readonly changed = this.register(new Emitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(options: ReviewIntegrationOptions) {
    super();
    this.reviewer = new CodeReviewer({
      settings: options.settings(),
      getSecret: options.getSecret,
      env: options.env,
      logger: options.log,
      now: Date.now,
      storage: options.storageDir ? fileReviewStorage(path.join(options.storageDir, 'reviews.json')) : undefined,
    });
    this.register(this.reviewer.onDidReview(() => this.changed.fire()));
    this.register(options.onDidChangeSettings(() => this.reviewer.updateSettings(options.settings())));
    this.register({
      dispose: () => {
        void this.reviewer.flush();
        this.reviewer.dispose();
      },
    });
  }

  async review(input: ReviewInput): Promise<ReviewResult> {
    const outcome = await this.reviewer.requestReview({ code: input.code, changedRange: input.changedRange, modelId: input.modelId, file: input.fileName });
    if (!outcome.ok) throw outcome.error;
    const result: ReviewResult = {
      robustness: outcome.review.robustness,
      summary: outcome.review.reasoning.join(' ') || 'no reasons given',
      cached: outcome.cached,
    };
    this.results.set(hash(input.code), result);
    return result;
  }

  cached(code: string): ReviewResult | undefined {
    const r = this.results.get(hash(code));
    return r && { ...r, cached: true };
  }

  unavailable(): boolean {
    return this.reviewer.status().reviewUnavailable;
  }

  /** The reviews seen so far, by profile id; the same for every request. */
  observations(): Observations {
    return this.reviewer.observations();
  }
}
