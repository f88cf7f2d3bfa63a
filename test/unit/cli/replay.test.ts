import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { modelledLatencyMs, parseOutcomesCsv, parseTaskLine, runReplay } from '../../../src/cli/replay';
import { SWEBENCH_PROFILE_IDS } from '../../../src/cli/swebench';
import { loadDefaultConfig } from '../../../src/engine';
import type { ReplayEvent } from '../../../src/engine';
import { runCli } from '../../support/cli';

const ROOT = path.resolve(__dirname, '../../..');

// A small record in the shared data's format: 3 mapped models (and the excluded one), 12 tasks.
const MODELS = ['gpt-5-mini-2025-08-07@medium', 'gemini-3-pro-preview', 'claude-opus-4-5-20251101'];
const TASKS = Array.from({ length: 12 }, (_, i) => ({
  instance_id: `org__repo-${100 + i}`,
  repo: i < 6 ? 'org/repo' : 'org/other',
  base_commit: 'abc',
  problem_statement: `Crash in parse_date when the input has a timezone offset (case ${i})`,
  difficulty: '<15 min fix',
}));

function fixture(opts: { csv?: string; jsonl?: string } = {}): { dir: string; tasks: string; outcomes: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cr-replay-'));
  const rows = ['instance_id,model_id,resolved,cost_usd,api_calls'];
  TASKS.forEach((t, i) => {
    rows.push(`${t.instance_id},${MODELS[0]},${i % 3 === 0 ? 1 : 0},0.03,15`);
    rows.push(`${t.instance_id},${MODELS[1]},${i % 4 === 3 ? 0 : 1},0.45,40`);
    rows.push(`${t.instance_id},${MODELS[2]},${i % 4 === 3 ? 0 : 1},0.72,38`);
    rows.push(`${t.instance_id},claude-3-7-sonnet-20250219,1,0.01,5`);
  });
  const tasks = path.join(dir, 'tasks.jsonl');
  const outcomes = path.join(dir, 'outcomes.csv');
  writeFileSync(tasks, opts.jsonl ?? TASKS.map((t) => JSON.stringify(t)).join('\n') + '\n');
  writeFileSync(outcomes, opts.csv ?? rows.join('\n') + '\n');
  return { dir, tasks, outcomes };
}

interface Report {
  policy: { name: string; escalate: number; models: Record<string, string>; leftOut: string[]; seed: number | null; order: string };
  split: string;
  tasks: number;
  solved: number;
  costUsd: number;
  attempts: number;
  baselines: Record<string, { modelId?: string; solved: number; costUsd: number; attempts: number }>;
  decisions: { instanceId: string; attempts: { modelId: string; resolved: boolean; costUsd: number }[] }[];
}

async function replayJson(args: string[]): Promise<Report> {
  const r = await runCli(['replay', ...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Report;
}

/** Bad input: exit 2, one line on stderr, nothing on stdout. */
function assertUsageError(r: { code: number; stdout: string; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit ${r.code}: ${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.split('\n').filter((l) => !l.startsWith('warning:')).length, 1, r.stderr);
  assert.match(r.stderr, pattern);
}

describe('cli: replay', () => {
  it('prints {policy, split, tasks, solved, costUsd, attempts, baselines, decisions} with --json', async () => {
    const f = fixture();
    const r = await replayJson(['--tasks', f.tasks, '--outcomes', f.outcomes]);
    for (const key of ['policy', 'split', 'tasks', 'solved', 'costUsd', 'attempts', 'baselines', 'decisions']) assert.ok(key in r, key);
    assert.deepEqual(Object.keys(r.baselines), ['bestSingle', 'cheapestSingle', 'bestSingleInHindsight', 'oracle']);
    assert.equal(r.split, 'all');
    assert.equal(r.tasks, 12);
    assert.equal(r.decisions.length, 12);
    assert.equal(r.attempts, 12, 'no escalation: one attempt per task');
    assert.equal(r.solved, r.decisions.filter((d) => d.attempts.some((a) => a.resolved)).length);
    assert.ok(Math.abs(r.costUsd - r.decisions.reduce((s, d) => s + d.attempts.reduce((t, a) => t + a.costUsd, 0), 0)) < 1e-9);
    for (const d of r.decisions) for (const a of d.attempts) assert.ok(MODELS.includes(a.modelId), `${a.modelId} is a data model id`);
    assert.deepEqual(Object.values(r.policy.models).sort(), [...MODELS].sort());
    assert.equal(r.baselines['bestSingle']?.modelId, 'claude-opus-4-5-20251101');
    assert.equal(r.baselines['cheapestSingle']?.modelId, 'gpt-5-mini-2025-08-07@medium');
    // Tasks 3, 7 and 11 beat both frontier models; gpt-5-mini solves task 3 (i % 3 == 0) only.
    assert.equal(r.baselines['oracle']?.solved, 10);
  });

  it('leaves out the run the data says is inconsistent', async () => {
    const f = fixture();
    const r = await replayJson(['--tasks', f.tasks, '--outcomes', f.outcomes]);
    for (const d of r.decisions) for (const a of d.attempts) assert.notEqual(a.modelId, 'claude-3-7-sonnet-20250219');
    assert.ok(!Object.values(r.policy.models).includes('claude-3-7-sonnet-20250219'));
  });

  it('retries failed tasks with --escalate, each attempt paid', async () => {
    const f = fixture();
    const r = await replayJson(['--tasks', f.tasks, '--outcomes', f.outcomes, '--escalate', '2']);
    assert.equal(r.policy.escalate, 2);
    assert.ok(r.attempts > 12);
    for (const d of r.decisions) {
      assert.ok(d.attempts.length <= 3);
      assert.equal(new Set(d.attempts.map((a) => a.modelId)).size, d.attempts.length);
    }
  });

  it('evaluates half the tasks by file position with --split', async () => {
    const f = fixture();
    const even = await replayJson(['--tasks', f.tasks, '--outcomes', f.outcomes, '--split', 'even']);
    const odd = await replayJson(['--tasks', f.tasks, '--outcomes', f.outcomes, '--split', 'odd']);
    assert.deepEqual(
      even.decisions.map((d) => d.instanceId),
      TASKS.filter((_, i) => i % 2 === 0).map((t) => t.instance_id),
    );
    assert.deepEqual(
      odd.decisions.map((d) => d.instanceId),
      TASKS.filter((_, i) => i % 2 === 1).map((t) => t.instance_id),
    );
    assert.equal(even.split, 'even');
  });

  it('shuffles reproducibly with --seed', async () => {
    const f = fixture();
    const a = await replayJson(['--tasks', f.tasks, '--outcomes', f.outcomes, '--seed', '3']);
    const b = await replayJson(['--tasks', f.tasks, '--outcomes', f.outcomes, '--seed', '3']);
    const c = await replayJson(['--tasks', f.tasks, '--outcomes', f.outcomes, '--seed', '4']);
    const order = (r: Report): string[] => r.decisions.map((d) => d.instanceId);
    assert.deepEqual(order(a), order(b));
    assert.notDeepEqual(order(a), order(c));
    assert.deepEqual([...order(a)].sort(), TASKS.map((t) => t.instance_id).sort());
    assert.equal(a.policy.order, 'shuffled');
    assert.equal(a.policy.seed, 3);
  });

  it('counts only the tasks after --warmup, and routes on profiles alone with --no-learning', async () => {
    const f = fixture();
    const r = await replayJson(['--tasks', f.tasks, '--outcomes', f.outcomes, '--warmup', '5', '--no-learning']);
    assert.equal(r.tasks, 7);
    assert.equal(r.decisions[0]?.instanceId, TASKS[5]?.instance_id);
    assert.match(r.policy.name, /priors only/);
    assert.equal(r.baselines['bestSingle']?.attempts, 7);
  });

  it('splits the figures by arm with --rollout', async () => {
    const f = fixture();
    const r = (await replayJson(['--tasks', f.tasks, '--outcomes', f.outcomes, '--rollout', '50'])) as Report & { arms?: Record<string, { tasks: number }> };
    assert.ok(r.arms);
    assert.equal((r.arms['convergence']?.tasks ?? 0) + (r.arms['latency']?.tasks ?? 0), 12);
  });

  it('prints a readable table with the attribution the data asks for', async () => {
    const f = fixture();
    const r = await runCli(['replay', '--tasks', f.tasks, '--outcomes', f.outcomes]);
    assert.equal(r.code, 0, r.stderr);
    for (const row of ['bestSingle', 'cheapestSingle', 'bestSingleInHindsight', 'oracle', 'Exploration:']) assert.match(r.stdout, new RegExp(row));
    assert.match(r.stdout, /CC BY-NC 4\.0/);
    assert.match(r.stderr, /no router profile yet for 0 model|^$|left out/);
  });

  it('logs each decision before revealing its outcome', async () => {
    const f = fixture();
    const events: ReplayEvent[] = [];
    const io = { out: () => undefined, err: () => undefined, env: {}, cwd: process.cwd() };
    await runReplay(['--tasks', f.tasks, '--outcomes', f.outcomes, '--escalate', '1'], io, (e) => events.push(e));
    assert.ok(events.length >= 24);
    events.forEach((e, i) => {
      if (e.kind === 'reveal') {
        const d = events[i - 1];
        assert.ok(d?.kind === 'decision' && d.instanceId === e.instanceId && d.modelId === e.modelId);
      }
    });
  });

  describe('bad input', () => {
    it('asks for the files it needs', async () => {
      const f = fixture();
      assertUsageError(await runCli(['replay', '--outcomes', f.outcomes]), /missing --tasks/);
      assertUsageError(await runCli(['replay', '--tasks', f.tasks]), /missing --outcomes/);
      assertUsageError(await runCli(['replay', '--tasks', path.join(f.dir, 'nope.jsonl'), '--outcomes', f.outcomes]), /cannot read --tasks .*nope\.jsonl: ENOENT/);
      assertUsageError(await runCli(['replay', '--tasks', f.tasks, '--outcomes', path.join(f.dir, 'nope.csv')]), /cannot read --outcomes .*: ENOENT/);
    });

    it('names the flag and the value', async () => {
      const f = fixture();
      const base = ['replay', '--tasks', f.tasks, '--outcomes', f.outcomes];
      assertUsageError(await runCli([...base, '--split', 'half']), /--split: expected all, even or odd \(got "half"\)/);
      assertUsageError(await runCli([...base, '--escalate', '-1']), /--escalate: expected a whole number from 0 to 23 \(got "-1"\)|--escalate/);
      assertUsageError(await runCli([...base, '--escalate', 'two']), /--escalate: expected a whole number/);
      assertUsageError(await runCli([...base, '--seed', '1.5']), /--seed: expected a whole number/);
      assertUsageError(await runCli([...base, '--rollout', '101']), /--rollout: expected a whole number from 0 to 100 \(got 101\)/);
      assertUsageError(await runCli([...base, '--latency', 'fast']), /--latency: expected steps or none/);
      assertUsageError(await runCli([...base, '--weights', 'speed=1']), /--weights: unknown weight "speed"/);
      assertUsageError(await runCli([...base, '--warmup', '99']), /no task left to count \(12 streamed, --warmup 99\)/);
      assertUsageError(await runCli([...base, '--frobnicate']), /Unknown option '--frobnicate'/);
    });

    it('names the file and line of a bad record', async () => {
      const header = 'instance_id,model_id,resolved,cost_usd,api_calls';
      const cases: [string, RegExp][] = [
        ['instance_id,model,resolved,cost_usd\n', /outcomes\.csv:1: missing column "model_id"/],
        [`${header}\na,gemini-3-pro-preview,2,0.1,3\n`, /outcomes\.csv:2: resolved must be 0 or 1 \(got "2"\)/],
        [`${header}\na,gemini-3-pro-preview,1,-3,3\n`, /outcomes\.csv:2: cost_usd must be a number >= 0 \(got "-3"\)/],
        [`${header}\na,gemini-3-pro-preview,1,0.1,x\n`, /outcomes\.csv:2: api_calls must be a whole number \(got "x"\)/],
        [`${header}\na,gemini-3-pro-preview,1,0.1,3\na,gemini-3-pro-preview,1,0.1,3\n`, /outcomes\.csv:3: a second row for a and gemini-3-pro-preview/],
        [`${header}\n"a",gemini-3-pro-preview,1,0.1,3\n`, /outcomes\.csv:2: quoted fields are not supported/],
        [`${header}\n,gemini-3-pro-preview,1,0.1,3\n`, /outcomes\.csv:2: empty instance_id or model_id/],
        [`${header}\na,some-unknown-model,1,0.1,3\n`, /none of its models has a router profile/],
      ];
      for (const [csv, message] of cases) {
        const f = fixture({ csv });
        assertUsageError(await runCli(['replay', '--tasks', f.tasks, '--outcomes', f.outcomes]), message);
      }
    });

    it('names the line of a bad task, and a task with no outcome row', async () => {
      const ok = TASKS.map((t) => JSON.stringify(t));
      const cases: [string, RegExp][] = [
        [[ok[0], '{not json', ok[1]].join('\n'), /tasks\.jsonl:2: not valid JSON/],
        [[ok[0], '[1,2]'].join('\n'), /tasks\.jsonl:2: expected a JSON object per line/],
        [[ok[0], JSON.stringify({ instance_id: 'x', repo: 'r' })].join('\n'), /tasks\.jsonl:2: "problem_statement" must be a non-empty string \(got nothing\)/],
        [[ok[0], ok[0]].join('\n'), /task org__repo-100 appears twice/],
        [JSON.stringify({ instance_id: 'unknown', repo: 'r', problem_statement: 'x' }), /no row for task unknown and model\(s\)/],
      ];
      for (const [jsonl, message] of cases) {
        const f = fixture({ jsonl });
        assertUsageError(await runCli(['replay', '--tasks', f.tasks, '--outcomes', f.outcomes]), message);
      }
    });
  });

  describe('parsing', () => {
    it('reads the per-instance CSV with its optional api_calls', () => {
      const r = parseOutcomesCsv('instance_id,model_id,resolved,cost_usd\r\nt,m,1,0.5\r\n\r\n', 'x.csv');
      assert.deepEqual(r.get('t')?.get('m'), { resolved: true, costUsd: 0.5, apiCalls: undefined });
    });

    it('keeps only what the router may see of a task', () => {
      const t = parseTaskLine(JSON.stringify({ ...TASKS[0], difficulty: '1-4 hours', gold_patch_lines_changed: 40 }), 'x:1');
      assert.deepEqual(Object.keys(t).sort(), ['instanceId', 'problemStatement', 'repo']);
    });

    it('models latency from the recorded steps at the profile speed', () => {
      const p = loadDefaultConfig({}).config.modelProfiles['gpt-5-mini'];
      assert.ok(p);
      assert.equal(modelledLatencyMs(p, 10), 10 * (p.speed.ttftMs + (1000 * 250) / p.speed.outputTokensPerSec));
      assert.equal(modelledLatencyMs(p, 20), 2 * modelledLatencyMs(p, 10));
    });
  });

  it('maps the same 24 models to the same profiles as docs/model-profiles.md, all of them defaults', () => {
    const text = readFileSync(path.join(ROOT, 'docs', 'model-profiles.md'), 'utf8');
    const section = text.split('## SWE-bench model map')[1]?.split('\n## ')[0] ?? '';
    const docs: Record<string, string> = {};
    for (const m of section.matchAll(/^\| `([^`]+)` \| `([^`]+)` \|$/gm)) docs[m[1] ?? ''] = m[2] ?? '';
    assert.deepEqual(docs, { ...SWEBENCH_PROFILE_IDS });
    assert.equal(Object.keys(SWEBENCH_PROFILE_IDS).length, 24);
    const { config } = loadDefaultConfig({});
    for (const id of Object.values(SWEBENCH_PROFILE_IDS)) assert.ok(config.modelProfiles[id], `no default profile "${id}"`);
  });
});
