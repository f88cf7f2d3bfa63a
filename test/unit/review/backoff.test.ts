import assert from 'node:assert/strict';
import { AUTH_BACKOFF_MS, Backoff, BASE_BACKOFF_MS, MAX_BACKOFF_MS, RATE_LIMIT_BACKOFF_MS } from '../../../src/review/backoff';
import { ReviewError } from '../../../src/review/types';

const err = (kind: ReviewError['kind'], retryAfterMs?: number) => new ReviewError(kind, kind, undefined, retryAfterMs);

describe('Backoff', () => {
  it('does not block before any failure', () => {
    assert.equal(new Backoff().blocked(0, 'k'), false);
  });

  it('doubles transient waits per failure in a row, up to the maximum', () => {
    const b = new Backoff();
    const waits: number[] = [];
    let now = 0;
    for (let i = 0; i < 10; i++) {
      waits.push(b.fail(err('server'), now, 'k').retryAt - now);
      now += 1;
    }
    assert.deepEqual(waits.slice(0, 3), [BASE_BACKOFF_MS, 2 * BASE_BACKOFF_MS, 4 * BASE_BACKOFF_MS]);
    assert.equal(waits[9], MAX_BACKOFF_MS);
  });

  it('blocks until retryAt and no longer', () => {
    const b = new Backoff();
    const { retryAt } = b.fail(err('timeout'), 1000, 'k');
    assert.equal(b.blocked(retryAt - 1, 'k'), true);
    assert.equal(b.blocked(retryAt, 'k'), false);
    assert.equal(b.failing, true, 'still failing until a call succeeds');
  });

  it('waits as long as retry-after says after a 429, and a default without it', () => {
    const b = new Backoff();
    assert.equal(b.fail(err('rate-limit', 42_000), 0, 'k').retryAt, 42_000);
    assert.equal(new Backoff().fail(err('rate-limit'), 0, 'k').retryAt, RATE_LIMIT_BACKOFF_MS);
  });

  it('lets a different key through at once after a refused key', () => {
    const b = new Backoff();
    b.fail(err('auth'), 0, 'old');
    assert.equal(b.retryAt, AUTH_BACKOFF_MS);
    assert.equal(b.blocked(1, 'old'), true);
    assert.equal(b.blocked(1, 'new'), false);
  });

  it('reports a new kind only at the start of a streak or when the kind changes', () => {
    const b = new Backoff();
    assert.equal(b.fail(err('timeout'), 0, 'k').newKind, true);
    assert.equal(b.fail(err('timeout'), 1, 'k').newKind, false);
    assert.equal(b.fail(err('server'), 2, 'k').newKind, true);
    assert.equal(b.succeed(), true);
    assert.equal(b.succeed(), false);
    assert.equal(b.fail(err('server'), 3, 'k').newKind, true);
  });
});
