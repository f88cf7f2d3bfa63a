import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../support/cli';
import { AUTH_REQUEST, RENAME_REQUEST } from '../../support/builders';

const ROOT = path.resolve(__dirname, '../../..');

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cr-cli-'));
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Bad input: exit 2, exactly one line on stderr, no stack trace, nothing on stdout. */
function assertUsageError(r: { code: number; stdout: string; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit code ${r.code}; stderr: ${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.split('\n').length, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.match(r.stderr, pattern);
}

describe('cli: route', () => {
  it('prints exactly {selected, confidenceLevel, recommendation, warnings, mode, scores} with --json', async () => {
    const r = await runCli(['route', AUTH_REQUEST, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const parsed = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed), ['selected', 'confidenceLevel', 'recommendation', 'warnings', 'mode', 'scores']);
    const scores = parsed['scores'] as { modelId: string; totalScore: number; breakdown: Record<string, number> }[];
    assert.ok(scores.length >= 12);
    assert.ok(scores.some((s) => s.modelId === parsed['selected']));
    for (const s of scores) assert.deepEqual(Object.keys(s.breakdown).slice(0, 3), ['convergence', 'latencyNormalized', 'costNormalized']);
    assert.equal(parsed['mode'], 'convergence');
  });

  it('prints a table with every model, the choice, confidence and recommendation', async () => {
    const r = await runCli(['route', RENAME_REQUEST]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^model\s+total\s+converge\s+latency\s+cost\s+pattern\s+robust/m);
    assert.match(r.stdout, /^\* \S+/m);
    assert.match(r.stdout, /^Selected:\s+\S+\s+\(confidence (HIGH|MEDIUM|LOW), mode convergence\)$/m);
    assert.match(r.stdout, /^Why:\s+Use /m);
    assert.match(r.stdout, /claude-opus-4\.5/);
  });

  it('joins several words into one request', async () => {
    const r = await runCli(['route', 'rename', 'variable', 'x', '--json']);
    assert.equal(r.code, 0);
  });

  it('limits the candidates with --models', async () => {
    const r = await runCli(['route', AUTH_REQUEST, '--models', 'claude-opus-4.5,gpt-5-mini', '--json']);
    const parsed = JSON.parse(r.stdout) as { scores: { modelId: string }[]; selected: string };
    assert.deepEqual(parsed.scores.map((s) => s.modelId).sort(), ['claude-opus-4.5', 'gpt-5-mini']);
    assert.equal(parsed.selected, 'claude-opus-4.5');
  });

  it('takes --weights and warns when they are normalised', async () => {
    const heavyCost = await runCli(['route', AUTH_REQUEST, '--weights', 'convergence=.1,latency=.1,cost=.8,patternMatch=0', '--json']);
    assert.equal(heavyCost.code, 0);
    const normalised = await runCli(['route', AUTH_REQUEST, '--weights', 'cost=2', '--json']);
    assert.match(normalised.stderr, /^warning: .*weights summed to/m);
    type Out = { scores: { totalScore: number }[] };
    assert.notEqual((JSON.parse(heavyCost.stdout) as Out).scores[0]?.totalScore, (JSON.parse(normalised.stdout) as Out).scores[0]?.totalScore);
  });

  it('keeps the current model with --current when the gain is small', async () => {
    const free = JSON.parse((await runCli(['route', RENAME_REQUEST, '--json'])).stdout) as { selected: string; scores: { modelId: string; totalScore: number }[] };
    const second = free.scores[1];
    assert.ok(second);
    const gap = (free.scores[0]?.totalScore ?? 0) - second.totalScore;
    const config = tempFile('c.yaml', `routing:\n  convergence:\n    selection:\n      stickiness: ${(gap + 0.01).toFixed(3)}\n`);
    const sticky = JSON.parse((await runCli(['route', RENAME_REQUEST, '--current', second.modelId, '--config', config, '--json'])).stdout) as { selected: string };
    assert.equal(sticky.selected, second.modelId);
  });

  it('falls back to latency routing when CONVERGENCE_ROUTING_ENABLED=false', async () => {
    const r = await runCli(['route', AUTH_REQUEST, '--json'], { CONVERGENCE_ROUTING_ENABLED: 'false' });
    assert.equal((JSON.parse(r.stdout) as { mode: string }).mode, 'latency-fallback');
  });

  it('reads a --config file over the defaults', async () => {
    const config = tempFile('c.yaml', 'routing:\n  convergence:\n    selection:\n      deny: ["anthropic/*"]\n');
    const r = await runCli(['route', AUTH_REQUEST, '--config', config, '--json']);
    const parsed = JSON.parse(r.stdout) as { scores: { modelId: string }[] };
    assert.ok(!parsed.scores.some((s) => s.modelId.startsWith('claude')));
  });

  describe('bad input', () => {
    it('an unknown flag', async () => assertUsageError(await runCli(['route', 'x', '--fast']), /Unknown option '--fast'/));
    it('a missing request', async () => assertUsageError(await runCli(['route', '--json']), /missing the request text/));
    it('malformed weights', async () => assertUsageError(await runCli(['route', 'x', '--weights', 'convergence:high']), /--weights: cannot read "convergence:high"/));
    it('an unknown weight', async () => assertUsageError(await runCli(['route', 'x', '--weights', 'speed=1']), /unknown weight "speed"/));
    it('an unknown model', async () => assertUsageError(await runCli(['route', 'x', '--models', 'gpt-9']), /unknown model "gpt-9"/));
    it('a missing config file', async () => assertUsageError(await runCli(['route', 'x', '--config', '/nonexistent/c.yaml']), /cannot read config file \/nonexistent\/c\.yaml: ENOENT/));
    it('broken YAML, with file, line and column', async () => {
      const file = tempFile('broken.yaml', 'routing:\n  convergence:\n    weights: [\n');
      assertUsageError(await runCli(['route', 'x', '--config', file]), new RegExp(`${file.replace(/[.\\]/g, '\\$&')}:\\d+:\\d+: YAML syntax`));
    });
    it('a bad value, with key path and value', async () => {
      const file = tempFile('bad.yaml', 'routing:\n  convergence:\n    thresholds:\n      minConvergence: 2\n');
      assertUsageError(await runCli(['route', 'x', '--config', file]), /bad\.yaml:4:23: routing\.convergence\.thresholds\.minConvergence: must be a number between 0 and 1 \(got 2\)/);
    });
    it('an unknown command', async () => assertUsageError(await runCli(['rout', 'x']), /unknown command "rout"/));
  });

  it('prints help with every command', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /convergence-route route "<request>"/);
    assert.match(r.stdout, /convergence-route profiles/);
  });
});

describe('cli: profiles', () => {
  it('lists every profile with its sources', async () => {
    const r = await runCli(['profiles']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^claude-opus-4\.5\s+anthropic\/claude-opus-4\.5\s+0\.744\s+measured/m);
    assert.match(r.stdout, /baseConvergence: SWE-bench Verified/);
  });

  it('prints the profiles as JSON', async () => {
    const r = await runCli(['profiles', '--json']);
    const profiles = JSON.parse(r.stdout) as { id: string; source: Record<string, string> }[];
    assert.ok(profiles.length >= 12);
    assert.ok(profiles.every((p) => Object.keys(p.source).length > 0));
  });
});

describe('cli: the built bundle', () => {
  const cli = path.join(ROOT, 'dist', 'cli.js');

  it('runs as `convergence-route` from dist/cli.js with the embedded defaults', function () {
    if (!existsSync(cli)) assert.fail('dist/cli.js is missing: run `npm run build` first (npm test does)');
    const r = spawnSync(process.execPath, [cli, 'route', AUTH_REQUEST, '--json'], { encoding: 'utf8', cwd: os.tmpdir(), env: { PATH: process.env['PATH'] } });
    assert.equal(r.status, 0, r.stderr);
    assert.ok((JSON.parse(r.stdout) as { selected: string }).selected);
  });

  it('exits 2 with one line on stderr for bad input', () => {
    const r = spawnSync(process.execPath, [cli, 'route'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });
});
