import assert from 'node:assert/strict';
import { ReviewCache, reviewKey } from '../../../src/review/cache';
import type { CodeReview, ReviewStorage } from '../../../src/review/types';

const DAY = 24 * 3600_000;

const review = (robustness: number): CodeReview => ({
  robustness,
  patterns: ['SELF_DOCUMENTING'],
  codeQuality: { readability: 1, maintainability: 2, testability: 3, security: 4 },
  reasoning: ['r'],
});

/** An in-memory storage that records writes. */
function memoryStorage(initial?: string): ReviewStorage & { data: string | undefined; writes: number } {
  const s = {
    data: initial,
    writes: 0,
    read: () => Promise.resolve(s.data),
    write: (d: string) => {
      s.data = d;
      s.writes++;
      return Promise.resolve();
    },
  };
  return s;
}

describe('reviewKey', () => {
  it('changes with the prompt version, the model and the payload', () => {
    const base = reviewKey('v1', 'm', 'code');
    assert.match(base, /^[0-9a-f]{64}$/);
    assert.notEqual(reviewKey('v2', 'm', 'code'), base);
    assert.notEqual(reviewKey('v1', 'm2', 'code'), base);
    assert.notEqual(reviewKey('v1', 'm', 'code '), base);
    assert.equal(reviewKey('v1', 'm', 'code'), base);
  });
});

describe('ReviewCache', () => {
  it('expires entries after the TTL on the injected clock', () => {
    let now = 1_000_000;
    const cache = new ReviewCache(DAY, () => now, undefined, () => undefined);
    cache.set('k', review(50));
    now += DAY;
    assert.equal(cache.get('k')?.robustness, 50);
    now += 1;
    assert.equal(cache.get('k'), undefined);
    assert.equal(cache.size, 0);
  });

  it('persists reviews and loads them in a new cache with their remaining TTL', async () => {
    let now = 5_000;
    const storage = memoryStorage();
    const first = new ReviewCache(DAY, () => now, storage, () => undefined);
    await first.load();
    first.set('a', review(10));
    now += 1000;
    first.set('b', review(20));
    await first.flush();
    assert.equal(storage.writes, 2);

    now += DAY - 999; // 'a' is a day and a millisecond old now, 'b' a day less 999 ms
    const second = new ReviewCache(DAY, () => now, storage, () => undefined);
    await second.load();
    assert.equal(second.get('a'), undefined);
    assert.equal(second.get('b')?.robustness, 20);
    now += 1000;
    assert.equal(second.get('b'), undefined, 'the TTL counts from when the review was made, not from loading');
  });

  it('re-validates stored reviews and skips entries that do not fit', async () => {
    const warnings: string[] = [];
    const stored = JSON.stringify({
      version: 1,
      entries: [
        ['ok', { review: { ...review(30), robustness: 300 }, at: 0 }],
        ['bad', { review: { robustness: 'high' }, at: 0 }],
        ['worse', null],
      ],
    });
    const cache = new ReviewCache(DAY, () => 10, memoryStorage(stored), (m) => warnings.push(m));
    await cache.load();
    assert.equal(cache.get('ok')?.robustness, 100, 'clamped like an answer');
    assert.equal(cache.get('bad'), undefined);
    assert.deepEqual(warnings, ['review cache: skipped 2 unreadable stored entries']);
  });

  it('starts empty, with one warning, when the storage holds garbage or fails', async () => {
    const warnings: string[] = [];
    await new ReviewCache(DAY, () => 0, memoryStorage('{not json'), (m) => warnings.push(m)).load();
    const failing: ReviewStorage = { read: () => Promise.reject(new Error('EACCES')), write: () => Promise.resolve() };
    await new ReviewCache(DAY, () => 0, failing, (m) => warnings.push(m)).load();
    assert.equal(warnings.length, 2);
    assert.match(warnings[0] ?? '', /unreadable/);
    assert.match(warnings[1] ?? '', /EACCES/);
  });

  it('warns once for a run of failed writes and keeps the reviews in memory', async () => {
    const warnings: string[] = [];
    const full: ReviewStorage = { read: () => Promise.resolve(undefined), write: () => Promise.reject(new Error('ENOSPC')) };
    const cache = new ReviewCache(DAY, () => 0, full, (m) => warnings.push(m));
    cache.set('a', review(1));
    cache.set('b', review(2));
    await cache.flush();
    assert.equal(warnings.length, 1);
    assert.equal(cache.get('b')?.robustness, 2);
  });
});
