import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultCacheFile, fileReviewStorage } from '../../../src/review/storage';

describe('fileReviewStorage', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'review-storage-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads nothing before the first write, then what was written, readable by its owner only', async () => {
    const file = path.join(dir, 'nested', 'reviews.json');
    const s = fileReviewStorage(file);
    assert.equal(await s.read(), undefined);
    await s.write('{"a":1}');
    await s.write('{"a":2}');
    assert.equal(await s.read(), '{"a":2}');
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  it('passes on read errors other than a missing file', async () => {
    await assert.rejects(fileReviewStorage(dir).read(), /EISDIR/);
  });
});

describe('defaultCacheFile', () => {
  it('prefers XDG_CACHE_HOME, then ~/.cache, and has none without a home', () => {
    assert.equal(defaultCacheFile({ XDG_CACHE_HOME: '/x', HOME: '/h' }), path.join('/x', 'convergence-router', 'reviews.json'));
    assert.equal(defaultCacheFile({ HOME: '/h' }), path.join('/h', '.cache', 'convergence-router', 'reviews.json'));
    assert.equal(defaultCacheFile({}), undefined);
  });
});
