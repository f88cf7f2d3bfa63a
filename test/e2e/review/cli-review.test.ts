/** `convergence-route review` with the real SDK against a Messages API server on 127.0.0.1. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main';
import { makeReviewCommand } from '../../../src/cli/review';
import type { CliIO } from '../../../src/cli/io';
import type { HeuristicReviewer } from '../../../src/review';
import { GOOD_REVIEW, MessagesServer } from '../../support/messages-server';

const KEY = 'sk-ant-api03-cli-test-key-abcdef012345';
const CODE = 'export function add(a: number, b: number): number {\n  if (!Number.isFinite(a)) throw new RangeError("a");\n  return a + b;\n}\n';

let server: MessagesServer;
let dir: string;

function io(env: Record<string, string | undefined> = {}): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    env: { ANTHROPIC_API_KEY: KEY, CLAUDE_API_ENDPOINT: server.url, XDG_CACHE_HOME: path.join(dir, 'cache'), ...env },
    cwd: dir,
  };
}

/** Points the command at the test config. */
const CFG = ['--config', 'review.yaml'];

const parse = (out: string[]): Record<string, unknown> => JSON.parse(out.join('\n')) as Record<string, unknown>;

describe('convergence-route review', function () {
  this.timeout(15_000);

  beforeEach(async () => {
    server = await MessagesServer.start();
    dir = mkdtempSync(path.join(tmpdir(), 'review-cli-'));
    writeFileSync(path.join(dir, 'add.ts'), CODE);
    // A model name of our own: the SDK prints a deprecation line on every call for the default.
    writeFileSync(path.join(dir, 'review.yaml'), 'routing:\n  convergence:\n    opus:\n      model: review-model-under-test\n');
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the review as JSON in exactly the issue shape, from Claude', async () => {
    const t = io();
    assert.equal(await main(['review', 'add.ts', '--json', ...CFG], t), 0);
    const json = parse(t.stdout);
    assert.deepEqual(Object.keys(json).sort(), ['cached', 'codeQuality', 'patterns', 'reasoning', 'robustness', 'source']);
    assert.deepEqual(json, { ...GOOD_REVIEW, cached: false, source: 'claude' });
    assert.equal(server.last().body?.messages[0]?.content.includes('add.ts'), true);
    assert.equal(server.last().body?.model, 'review-model-under-test', '--config is read');
  });

  it('answers a second run from the cache file, which only its owner can read', async () => {
    assert.equal(await main(['review', 'add.ts', '--json', ...CFG], io()), 0);
    const t = io();
    assert.equal(await main(['review', 'add.ts', '--json', ...CFG], t), 0);
    assert.equal(parse(t.stdout)['cached'], true);
    assert.equal(server.requests.length, 1);
    const file = path.join(dir, 'cache', 'convergence-router', 'reviews.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  it('falls back to the local heuristic without a key, and says so', async () => {
    const t = io({ ANTHROPIC_API_KEY: undefined });
    assert.equal(await main(['review', 'add.ts', '--json', ...CFG], t), 0);
    const json = parse(t.stdout);
    assert.equal(json['source'], 'heuristic-fallback');
    assert.match(String(json['error']), /no Anthropic API key/);
    assert.equal(typeof json['robustness'], 'number');
    assert.equal(server.requests.length, 0);
  });

  it('falls back when the call fails, with the failure in error', async () => {
    server.setDefault({ kind: 'error', status: 500, type: 'api_error', message: 'boom' });
    const t = io();
    assert.equal(await main(['review', 'add.ts', '--json', ...CFG], t), 0);
    const json = parse(t.stdout);
    assert.equal(json['source'], 'heuristic-fallback');
    assert.match(String(json['error']), /HTTP 500/);
    assert.equal(t.stderr.length, 1, 'the failure is logged once on stderr');
  });

  it('gives up at --timeout-ms and falls back', async () => {
    server.setDefault({ kind: 'stall' });
    const t = io();
    assert.equal(await main(['review', 'add.ts', '--json', '--timeout-ms', '250', ...CFG], t), 0);
    assert.match(String(parse(t.stdout)['error']), /within 250 ms/);
  });

  it('uses the injected heuristic for the fallback', async () => {
    const fixed: HeuristicReviewer = {
      name: 'fixed',
      review: () => ({ robustness: 12, patterns: ['LOGIC_SPIRAL'], codeQuality: { readability: 1, maintainability: 2, testability: 3, security: 4 }, reasoning: ['fixed'] }),
    };
    const t = io({ ANTHROPIC_API_KEY: undefined });
    assert.equal(await makeReviewCommand(fixed).run(['add.ts', '--json', ...CFG], t), 0);
    assert.equal(parse(t.stdout)['robustness'], 12);
  });

  it('prints a readable review without --json', async () => {
    const t = io();
    assert.equal(await main(['review', 'add.ts', ...CFG], t), 0);
    const text = t.stdout.join('\n');
    assert.match(text, /^Review of add\.ts by Claude$/m);
    assert.match(text, /^Robustness: {2}82\/100$/m);
    assert.match(text, /^Patterns: {4}ROBUST_ERROR_HANDLING, SELF_DOCUMENTING$/m);
  });

  it('rejects bad input with exit 2 and one line naming what is wrong', async () => {
    const cases: [string[], RegExp][] = [
      [['review'], /missing the file to review/],
      [['review', 'a.ts', 'b.ts'], /one file at a time, got 2/],
      [['review', 'missing.ts'], /cannot read missing\.ts: ENOENT/],
      [['review', 'add.ts', '--timeout-ms', 'soon'], /--timeout-ms: "soon" is not a positive whole number/],
      [['review', 'add.ts', '--timeout-ms', '0'], /--timeout-ms: "0"/],
      [['review', 'add.ts', '--frobnicate'], /frobnicate/],
    ];
    for (const [args, message] of cases) {
      const t = io();
      assert.equal(await main(args, t), 2, args.join(' '));
      assert.equal(t.stderr.length, 1);
      assert.match(t.stderr[0] ?? '', message);
    }
    writeFileSync(path.join(dir, 'empty.ts'), '\n  \n');
    const t = io();
    assert.equal(await main(['review', 'empty.ts'], t), 2);
    assert.match(t.stderr[0] ?? '', /empty\.ts is empty/);
    assert.equal(server.requests.length, 0);
  });
});
