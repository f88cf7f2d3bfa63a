import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { CodeReview, ReviewStorage } from './types';
import { validateReviewInput } from './validate';

/** Reviews kept in memory (and persisted): enough for a long session, small on disk. */
export const CACHE_MAX_ENTRIES = 500;

const STORAGE_VERSION = 1;

/**
 * The cache key: a SHA-256 of the prompt version, the reviewing model and the exact text sent
 * (already redacted and cut), so a change to any of them is a new review.
 */
export function reviewKey(promptVersion: string, model: string, payload: string): string {
  return createHash('sha256').update(`${promptVersion}\0${model}\0${payload}`).digest('hex');
}

interface Entry {
  review: CodeReview;
  /** When the review was made, by the reviewer's `now()`. */
  at: number;
}

interface Stored {
  version: number;
  entries: [string, Entry][];
}

/**
 * An LRU of reviews with a TTL on the caller's clock (`perf.now` is the injected `now()`, and
 * `ttlResolution: 0` makes every lookup read it, so a fake clock is honoured exactly).
 * Optionally loaded from and written back to a host {@link ReviewStorage}.
 */
export class ReviewCache {
  private readonly lru: LRUCache<string, Entry>;
  private loading: Promise<void> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private writeFailed = false;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly storage: ReviewStorage | undefined,
    private readonly warn: (message: string) => void,
    max = CACHE_MAX_ENTRIES,
  ) {
    this.lru = new LRUCache<string, Entry>({ max, ttl: ttlMs, ttlResolution: 0, perf: { now } });
  }

  get size(): number {
    // lru-cache counts stale entries until they are looked up; purge so the figure is honest.
    this.lru.purgeStale();
    return this.lru.size;
  }

  /** Loads persisted reviews once; a storage that fails or holds garbage starts the cache empty. */
  load(): Promise<void> {
    this.loading ??= this.readStorage();
    return this.loading;
  }

  get(key: string): CodeReview | undefined {
    return this.lru.get(key)?.review;
  }

  set(key: string, review: CodeReview): void {
    this.lru.set(key, { review, at: this.now() });
    this.persist();
  }

  /** Resolves when every write started so far has finished (tests and shutdown wait on it). */
  flush(): Promise<void> {
    return this.writing;
  }

  private async readStorage(): Promise<void> {
    if (!this.storage) return;
    let text: string | undefined;
    try {
      text = await this.storage.read();
    } catch (err) {
      this.warn(`review cache: could not read the stored cache (${err instanceof Error ? err.message : String(err)}); starting empty`);
      return;
    }
    if (text === undefined || text === '') return;
    let stored: Stored;
    try {
      stored = JSON.parse(text) as Stored;
      if (stored.version !== STORAGE_VERSION || !Array.isArray(stored.entries)) throw new Error(`unknown layout (version ${String(stored.version)})`);
    } catch (err) {
      this.warn(`review cache: the stored cache is unreadable (${err instanceof Error ? err.message : String(err)}); starting empty`);
      return;
    }
    const now = this.now();
    let skipped = 0;
    for (const item of stored.entries) {
      try {
        const [key, entry] = item;
        if (typeof key !== 'string' || typeof entry.at !== 'number') throw new Error('bad entry');
        const age = now - entry.at;
        // lru-cache's rule: stale once older than the TTL.
        if (age > this.ttlMs || age < 0) continue;
        // Stored data is re-validated like an answer: a hand-edited file cannot inject scores.
        const { review } = validateReviewInput(entry.review);
        if (!this.lru.has(key)) this.lru.set(key, { review, at: entry.at }, { start: entry.at });
      } catch {
        skipped++;
      }
    }
    if (skipped > 0) this.warn(`review cache: skipped ${skipped} unreadable stored entr${skipped === 1 ? 'y' : 'ies'}`);
  }

  private persist(): void {
    const storage = this.storage;
    if (!storage) return;
    // Writes are chained so two reviews landing together cannot interleave their writes.
    this.writing = this.writing.then(async () => {
      this.lru.purgeStale();
      const stored: Stored = { version: STORAGE_VERSION, entries: [...this.lru.entries()].reverse() };
      try {
        await storage.write(JSON.stringify(stored));
        this.writeFailed = false;
      } catch (err) {
        // Once per streak of failed writes: a full disk should not flood the log.
        if (!this.writeFailed) this.warn(`review cache: could not store the cache (${err instanceof Error ? err.message : String(err)}); reviews stay in memory`);
        this.writeFailed = true;
      }
    });
  }
}
