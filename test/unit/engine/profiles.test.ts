import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONFIG_TEXT, loadDefaultConfig, route } from '../../../src/engine';
import type { ModelProfile, RoutingConfig } from '../../../src/engine';

// The default profiles are data with provenance: these tests hold every figure to the rule the
// YAML header and docs/model-profiles.md state for it, so a figure cannot drift from its source.

const repoRoot = path.resolve(__dirname, '../../..');
/** The public data lives beside the clone (CI: ../shared); SHARED_DATA_DIR overrides for worktrees. */
const dataDir = process.env['SHARED_DATA_DIR'] ?? path.join(repoRoot, '..', 'shared', 'data');
const modelsCsv = path.join(dataDir, 'swebench_verified_bashonly_models.csv');
const docsPath = path.join(repoRoot, 'docs', 'model-profiles.md');

const { config } = loadDefaultConfig({});
const profiles: ModelProfile[] = Object.values(config.modelProfiles);
const byId = (id: string): ModelProfile => {
  const p = config.modelProfiles[id];
  assert.ok(p, `no default profile "${id}"`);
  return p;
};

interface LeaderboardRow {
  modelId: string;
  resolved: number;
  instances: number;
  consistent: boolean;
}

/** Reads the bash-only leaderboard CSV; undefined when the shared data is not beside the repo. */
function readLeaderboard(): Map<string, LeaderboardRow> | undefined {
  if (!existsSync(modelsCsv)) return undefined;
  const [head, ...lines] = readFileSync(modelsCsv, 'utf8').trim().split(/\r?\n/);
  const cols = (head ?? '').split(',');
  const col = (name: string): number => {
    const i = cols.indexOf(name);
    assert.ok(i >= 0, `${modelsCsv}: no column "${name}"`);
    return i;
  };
  const [iModel, iResolved, iN, iConsistent] = [col('model_id'), col('per_instance_resolved'), col('n_instances'), col('consistent')];
  const rows = new Map<string, LeaderboardRow>();
  for (const line of lines) {
    // The leaderboard names contain no commas, so a plain split is exact for this file.
    const f = line.split(',');
    const modelId = f[iModel] ?? '';
    rows.set(modelId, {
      modelId,
      resolved: Number(f[iResolved]),
      instances: Number(f[iN]),
      consistent: f[iConsistent] === 'True',
    });
  }
  return rows;
}

function skipWithoutData(ctx: Mocha.Context, rows: Map<string, LeaderboardRow> | undefined): asserts rows {
  if (!rows) {
    console.log(`    shared data missing: ${modelsCsv} not found (expected ../shared/data beside the repo); skipping the leaderboard comparison`);
    ctx.skip();
  }
}

/** The SWE-bench model_id -> profile id table in docs/model-profiles.md. */
function docsModelMap(): Map<string, string> {
  const text = readFileSync(docsPath, 'utf8');
  const section = text.split('## SWE-bench model map')[1]?.split('\n## ')[0];
  assert.ok(section, 'docs/model-profiles.md has no "## SWE-bench model map" section');
  const map = new Map<string, string>();
  for (const m of section.matchAll(/^\| `([^`]+)` \| `([^`]+)` \|$/gm)) map.set(m[1] ?? '', m[2] ?? '');
  return map;
}

/** The leaderboard row a measured profile cites: "... bash-only row <model_id>: <n>/500 resolved". */
function citedRow(p: ModelProfile): { modelId: string; resolved: number } | undefined {
  const m = /bash-only row (\S+): (\d+)\/500 resolved/.exec(p.source['baseConvergence'] ?? '');
  return m ? { modelId: m[1] ?? '', resolved: Number(m[2]) } : undefined;
}

/** The header's ratio and the four (model_id, bash-only %, vendor %) pairs it is the mean of. */
function headerRatio(): { ratio: number; pairs: { modelId: string; bashOnly: number; vendor: number }[] } {
  const header = DEFAULT_CONFIG_TEXT.split('\nrouting:')[0] ?? '';
  const flat = header.replace(/\n#\s*/g, ' ');
  const ratio = /figure scaled by ([\d.]+)/.exec(flat);
  assert.ok(ratio, 'the YAML header does not state the vendor-figure ratio ("scaled by R")');
  const pairs = [...flat.matchAll(/(\S+) (\d+\.\d)\/(\d+\.\d)/g)].map((m) => ({
    modelId: m[1] ?? '',
    bashOnly: Number(m[2]),
    vendor: Number(m[3]),
  }));
  return { ratio: Number(ratio[1]), pairs };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};

describe('default model profiles', () => {
  it('load without warnings', () => {
    assert.deepEqual(loadDefaultConfig({}).warnings, []);
  });

  it('give every profile a source for its quality, prices, speed and context window', () => {
    for (const p of profiles) {
      for (const figure of ['baseConvergence', 'pricing', 'speed', 'contextWindow']) {
        const text = p.source[figure];
        assert.ok(text !== undefined && text.trim().length > 20, `${p.id}: source.${figure} is missing or too short to say where the figure came from`);
      }
    }
  });

  it('use each Kilo model id once', () => {
    const seen = new Map<string, string>();
    for (const p of profiles) {
      assert.ok(p.kiloModel, `${p.id}: no kiloModel`);
      const other = seen.get(p.kiloModel);
      assert.equal(other, undefined, `${p.id} and ${other ?? ''} share kiloModel ${p.kiloModel}`);
      seen.set(p.kiloModel, p.id);
    }
  });

  it('repeat in the pricing source the exact prices the profile uses', () => {
    for (const p of profiles) {
      const text = p.source['pricing'] ?? '';
      if (p.pricing.input === 0 && p.pricing.output === 0) {
        assert.match(text, /\$0 per MTok/, `${p.id}: a free profile must say so in its pricing source`);
        continue;
      }
      const m = /\$([\d.]+) in, \$([\d.]+) out/.exec(text);
      assert.ok(m, `${p.id}: pricing source does not state "$X in, $Y out"`);
      assert.equal(Number(m[1]), p.pricing.input, `${p.id}: input price differs from its source`);
      assert.equal(Number(m[2]), p.pricing.output, `${p.id}: output price differs from its source`);
      const cache = /\$([\d.]+) (?:cache read|cached input)/.exec(text);
      assert.equal(cache ? Number(cache[1]) : undefined, p.pricing.cacheRead, `${p.id}: cached-input price differs from its source`);
    }
  });

  it('repeat in the context source the exact window the profile uses', () => {
    for (const p of profiles) {
      const m = /([\d,]{5,}) tokens/.exec(p.source['contextWindow'] ?? '');
      assert.ok(m, `${p.id}: context source does not state "N tokens"`);
      assert.equal(Number((m[1] ?? '').replace(/,/g, '')), p.contextWindow, `${p.id}: context window differs from its source`);
    }
  });

  it('grade quality as measured exactly when it comes from a bash-only row', () => {
    for (const p of profiles) {
      assert.equal(citedRow(p) !== undefined, p.evidence === 'measured', `${p.id}: evidence ${p.evidence} but source "${p.source['baseConvergence'] ?? ''}"`);
    }
  });

  it('give every measured profile the share of the 500 tasks its cited row resolved', () => {
    for (const p of profiles.filter((x) => x.evidence === 'measured')) {
      const row = citedRow(p);
      assert.ok(row);
      assert.equal(p.baseConvergence, row.resolved / 500, `${p.id}: baseConvergence ${p.baseConvergence} but its row says ${row.resolved}/500`);
    }
  });

  it('match every measured profile to per_instance_resolved/500 in the shared leaderboard data', function () {
    const rows = readLeaderboard();
    skipWithoutData(this, rows);
    const map = docsModelMap();
    for (const p of profiles.filter((x) => x.evidence === 'measured')) {
      const cited = citedRow(p);
      assert.ok(cited);
      const row = rows.get(cited.modelId);
      assert.ok(row, `${p.id}: cites leaderboard row ${cited.modelId}, which is not in ${modelsCsv}`);
      assert.ok(row.consistent, `${p.id}: cites ${cited.modelId}, which the data marks inconsistent`);
      assert.equal(row.instances, 500);
      assert.equal(p.baseConvergence, row.resolved / row.instances, `${p.id}: ${p.baseConvergence} but ${cited.modelId} resolved ${row.resolved}/500`);
      assert.equal(map.get(cited.modelId), p.id, `${p.id}: docs map ${cited.modelId} to ${map.get(cited.modelId) ?? 'nothing'}`);
    }
  });

  it('map each of the 24 consistent leaderboard models to a profile in the docs', function () {
    const rows = readLeaderboard();
    skipWithoutData(this, rows);
    const consistent = [...rows.values()].filter((r) => r.consistent).map((r) => r.modelId);
    assert.equal(consistent.length, 24);
    assert.ok(!consistent.includes('claude-3-7-sonnet-20250219'));
    const map = docsModelMap();
    assert.deepEqual([...map.keys()].sort(), [...consistent].sort());
    for (const [modelId, profileId] of map) {
      const p = byId(profileId);
      assert.equal(citedRow(p)?.modelId, modelId, `${profileId}: docs map ${modelId} to it but its source cites another row`);
    }
  });

  it('state a vendor ratio in the header that is the mean of its listed pairs', () => {
    const { ratio, pairs } = headerRatio();
    assert.equal(pairs.length, 4);
    const mean = pairs.reduce((sum, x) => sum + x.bashOnly / x.vendor, 0) / pairs.length;
    assert.equal(round3(mean), ratio);
  });

  it('take the bash-only side of the header ratio from the leaderboard data', function () {
    const rows = readLeaderboard();
    skipWithoutData(this, rows);
    for (const pair of headerRatio().pairs) {
      const row = rows.get(pair.modelId);
      assert.ok(row, `header ratio cites ${pair.modelId}, which is not in the data`);
      assert.equal(pair.bashOnly, round3((100 * row.resolved) / row.instances), `header pair ${pair.modelId}`);
    }
  });

  it('give every derived or estimated profile its vendor figure times the header ratio', () => {
    const { ratio } = headerRatio();
    const others = profiles.filter((x) => x.evidence !== 'measured');
    assert.ok(others.length > 0);
    for (const p of others) {
      const m = /([\d.]+)% [^x]*?x ([\d.]+) \(header ratio\)/.exec(p.source['baseConvergence'] ?? '');
      assert.ok(m, `${p.id}: source does not state "V% ... x R (header ratio)"`);
      assert.equal(Number(m[2]), ratio, `${p.id}: uses ratio ${m[2] ?? ''}, header says ${ratio}`);
      assert.equal(p.baseConvergence, round3((Number(m[1]) / 100) * ratio), `${p.id}: ${p.baseConvergence} is not ${m[1] ?? ''}% x ${ratio}`);
    }
  });

  it('mark every speed source as measured or derived, naming the rule', () => {
    for (const p of profiles) {
      assert.match(p.source['speed'] ?? '', /^(measured: |derived \((sibling|underlying model|median rule)[^)]*\): |partly derived: )/, `${p.id}: speed source`);
    }
  });

  it('give median-rule speeds the medians of the fully measured profiles', () => {
    const measured = profiles.filter((p) => (p.source['speed'] ?? '').startsWith('measured: '));
    assert.ok(measured.length >= 5, 'too few measured speeds for a median');
    const ttft = median(measured.map((p) => p.speed.ttftMs));
    const tps = median(measured.map((p) => p.speed.outputTokensPerSec));
    const header = DEFAULT_CONFIG_TEXT.split('\nrouting:')[0] ?? '';
    assert.match(header.replace(/\n#\s*/g, ' '), new RegExp(`median rule\\)": ${ttft} ms TTFT and ${tps} tok/s`));
    let uses = 0;
    for (const p of profiles) {
      const text = p.source['speed'] ?? '';
      const both = text.startsWith('derived (median rule)');
      if (both || /TTFT by median rule/.test(text)) {
        assert.equal(p.speed.ttftMs, ttft, `${p.id}: TTFT by median rule should be ${ttft}`);
        uses++;
      }
      if (both || /tok\/s by median rule/.test(text)) {
        assert.equal(p.speed.outputTokensPerSec, tps, `${p.id}: tok/s by median rule should be ${tps}`);
        uses++;
      }
    }
    assert.ok(uses > 0);
  });

  it('route the Kilo Auto tiers by their Kilo ids and keep free, small and the tool-less model out of the default pool', () => {
    for (const tier of ['frontier', 'balanced', 'efficient', 'free', 'small']) {
      const p = profiles.find((x) => x.kiloModel === `kilo-auto/${tier}`);
      assert.ok(p, `no profile for kilo-auto/${tier}`);
      assert.notEqual(p.evidence, 'measured');
    }
    assert.deepEqual(config.selection.deny, ['kilo-auto/free', 'kilo-auto/small', 'qwen2.5-coder-32b']);
    assert.match(byId('qwen2.5-coder-32b').source['pricing'] ?? '', /tool calling unsupported/);
    const pool = route(config, { text: 'add a helper that formats dates' }).scores.map((s) => s.modelId);
    assert.equal(pool.length, profiles.length - 3);
    for (const denied of ['kilo-auto-free', 'kilo-auto-small', 'qwen2.5-coder-32b']) assert.ok(!pool.includes(denied), `${denied} is in the default pool`);
  });
});

describe('the design examples on the default profiles', () => {
  const decide = (cfg: RoutingConfig, text: string) => route(cfg, { text });

  it('give the auth-system request a model within 0.01 of the best quality on offer', () => {
    const d = decide(config, 'Build a production auth system with JWT, PostgreSQL, email verification');
    const candidates = d.scores.map((s) => byId(s.modelId));
    const best = Math.max(...candidates.map((p) => p.baseConvergence));
    const chosen = byId(d.selected);
    assert.ok(best - chosen.baseConvergence <= 0.01 + 1e-9, `picked ${chosen.id} (${chosen.baseConvergence}); best candidate has ${best}`);
    assert.equal(d.mode, 'convergence');
  });

  it('give the rename request a model that is cheap and fast among the candidates', () => {
    const d = decide(config, 'rename variable x to count in utils.ts');
    const chosen = d.scores.find((s) => s.modelId === d.selected);
    assert.ok(chosen);
    assert.ok(chosen.breakdown.costNormalized >= 0.8, `picked ${d.selected} with costNormalized ${chosen.breakdown.costNormalized}`);
    assert.ok(chosen.breakdown.latencyNormalized >= 0.8, `picked ${d.selected} with latencyNormalized ${chosen.breakdown.latencyNormalized}`);
    assert.ok(chosen.clearsThresholds);
  });
});
