// The Kilo plugin's cost per turn, and what it adds to a real `kilo run`.
// 1. kilo-plugin-decision: one chat.message decision (read config and state, score every profile
//    Kilo can run, set the model, append decisions.jsonl), against the engine's route() alone.
//    Target: under 1 ms.
// 2. kilo-run-with-plugin: wall time of `kilo run` (Kilo CLI 7.7.7, a 127.0.0.1 server playing the
//    gateway) with the plugin installed, against the same without it, runs interleaved.
//    Skipped, saying so, when the Kilo CLI is not installed (npm test kilo-e2e installs it).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Bench } from 'tinybench';
import { route } from '../src/engine';
import { installKiloPlugin } from '../src/kilo/install';
import { KnownModels, parseModelKey } from '../src/kilo/models';
import type { KiloModelRef } from '../src/kilo/models';
import { KiloPluginRouter } from '../src/kilo/plugin-router';
import { writeStateFile } from '../src/kilo/state';
import { kiloBinary, kiloRun, writeKiloConfig } from '../test/support/kilo-cli';
import { chatOutput, HARD_REQUEST, tempProject, textPart, TWO_MODEL_YAML } from '../test/support/kilo-fixtures';
import { OpenAiCompatibleServer } from '../test/support/openai-server';
import { ROOT, fmt, latencyOf, percentile, recordResult } from './support';

const RUNS_PER_SIDE = Number(process.env['KILO_BENCH_RUNS'] ?? 3);

async function decisionTime(): Promise<void> {
  const p = tempProject();
  try {
    // Worst realistic case: every default profile runnable (14 candidates), a session state with
    // a pattern profile and observations, and learned usage from outcomes.
    writeStateFile(path.join(p.dir, '.kilo/convergence/state.json'), {
      version: 1,
      patternProfile: { ERROR_SWALLOWING: 3, INSUFFICIENT_VALIDATION: 2, CLEAN_ARCHITECTURE: 1 },
      observations: { 'claude-sonnet-4.5': { reviews: { count: 4, meanRobustness: 81 } } },
    });
    const router = new KiloPluginRouter({ directory: p.dir, home: p.home, env: { HOME: p.home } });
    const { config } = router.load();
    const refs = Object.values(config.modelProfiles)
      .map((m) => (m.kiloModel ? parseModelKey(m.kiloModel) : undefined))
      .filter((r): r is KiloModelRef => r !== undefined);
    const known = new KnownModels(refs);
    let turn = 0;
    const decide = (): void => {
      const out = chatOutput([textPart(HARD_REQUEST)]);
      const r = router.decide({ sessionID: `s${turn++ % 50}` }, out, known);
      if (!r.decision) throw new Error(`no decision: ${r.skipped}`);
    };
    decide();
    const ids = Object.keys(config.modelProfiles);
    const bench = new Bench({ time: 1500, warmup: true });
    bench.add('plugin decision', decide);
    bench.add('route() alone', () => {
      route(config, { text: HARD_REQUEST, models: ids }, {});
    });
    await bench.run();
    const stat = (name: string): { p50: number; p99: number; mean: number } => latencyOf(bench, name);
    const plugin = stat('plugin decision');
    const engine = stat('route() alone');
    console.log(`plugin decision per turn: p50 ${fmt(plugin.p50)} ms, p99 ${fmt(plugin.p99)} ms, mean ${fmt(plugin.mean)} ms (${refs.length} candidates; target < 1 ms)`);
    console.log(`route() alone:            p50 ${fmt(engine.p50)} ms, p99 ${fmt(engine.p99)} ms`);
    recordResult({ name: 'kilo-plugin-decision', value: plugin.p50, unit: 'ms', baseline: engine.p50, ratio: plugin.p50 / engine.p50 });
  } finally {
    p.cleanup();
  }
}

async function kiloRunTime(): Promise<void> {
  const binary = kiloBinary(ROOT);
  const pluginFile = path.join(ROOT, 'dist', 'kilo-plugin.js');
  if (!binary) {
    console.log('SKIPPED kilo-run-with-plugin: the Kilo CLI is not installed in .test-infra/kilo (run `npm test kilo-e2e` once to install it).');
    return;
  }
  if (!existsSync(pluginFile)) {
    console.log('SKIPPED kilo-run-with-plugin: dist/kilo-plugin.js is missing (run `npm run build`).');
    return;
  }
  const p = tempProject();
  const server = new OpenAiCompatibleServer();
  try {
    const baseURL = await server.start();
    const withPlugin = path.join(p.dir, 'with');
    const without = path.join(p.dir, 'without');
    for (const dir of [withPlugin, without]) {
      writeKiloConfig(dir, baseURL);
      mkdirSync(path.join(dir, '.kilo'), { recursive: true });
      writeFileSync(path.join(dir, '.kilo/convergence-routing.yaml'), TWO_MODEL_YAML);
    }
    installKiloPlugin({ project: withPlugin, source: pluginFile, env: { HOME: p.home }, home: p.home });
    // One unmeasured run each: Kilo's first start in a fresh HOME creates its database.
    for (const dir of [without, withPlugin]) await kiloRun(binary, dir, p.home, 'warm up');
    const times: Record<'with' | 'without', number[]> = { with: [], without: [] };
    for (let i = 0; i < RUNS_PER_SIDE; i++) {
      for (const [side, dir] of [['without', without], ['with', withPlugin]] as const) {
        const r = await kiloRun(binary, dir, p.home, HARD_REQUEST);
        if (r.code !== 0) throw new Error(`kilo run (${side} plugin) exited ${r.code}: ${r.stderr.slice(-500)}`);
        times[side].push(r.ms);
      }
    }
    const med = { with: percentile(times.with, 50), without: percentile(times.without, 50) };
    const models = server.requests.filter((r) => r.text.includes(HARD_REQUEST)).map((r) => r.model);
    console.log(`kilo run, median of ${RUNS_PER_SIDE}: with plugin ${fmt(med.with)} ms, without ${fmt(med.without)} ms (models used: ${[...new Set(models)].join(', ')})`);
    console.log(`  with:    ${times.with.map((t) => fmt(t)).join(', ')} ms`);
    console.log(`  without: ${times.without.map((t) => fmt(t)).join(', ')} ms`);
    recordResult({ name: 'kilo-run-with-plugin', value: med.with, unit: 'ms', baseline: med.without, ratio: med.with / med.without });
  } finally {
    await server.stop();
    p.cleanup();
  }
}

void (async () => {
  await decisionTime();
  await kiloRunTime();
})().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
