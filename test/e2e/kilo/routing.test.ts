// End to end with the real Kilo CLI 7.7.7: the plugin built by esbuild, installed by the
// project's own install function, choosing the model before each generation of `kilo run`,
// with a real OpenAI-compatible server on 127.0.0.1 playing the gateway.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installKiloPlugin } from '../../../src/kilo/install';
import { readDecisions, readOutcomes } from '../../../src/kilo/logs';
import { projectPaths } from '../../../src/kilo/paths';
import { kiloBinary, kiloRun } from '../../support/kilo-cli';
import type { KiloRun } from '../../support/kilo-cli';
import { writeKiloConfig } from '../../support/kilo-cli';
import { HARD_REQUEST, TRIVIAL_REQUEST, TWO_MODEL_YAML } from '../../support/kilo-fixtures';
import { OpenAiCompatibleServer } from '../../support/openai-server';

const PLUGIN = path.resolve(__dirname, '../../../dist/kilo-plugin.js');
/** Prices in kilo.jsonc (USD per MTok) and the usage the server reports for every request. */
const PRICE = { cheap: { input: 0.1, output: 0.4 }, strong: { input: 3, output: 15 } };
const USAGE = { prompt_tokens: 1000, completion_tokens: 200 };
const costOf = (p: { input: number; output: number }): number => (USAGE.prompt_tokens * p.input + USAGE.completion_tokens * p.output) / 1e6;

describe('Kilo CLI 7.7.7 with the routing plugin (e2e)', function () {
  this.timeout(120_000);
  let root: string;
  let home: string;
  let server: OpenAiCompatibleServer;
  let baseURL: string;
  let binary: string;
  let seq = 0;

  before(async function () {
    const bin = kiloBinary();
    if (!bin) throw new Error('the Kilo CLI is not installed in .test-infra/kilo; run this suite through `npm test kilo-e2e`');
    if (!existsSync(PLUGIN)) throw new Error(`${PLUGIN} is missing; run "npm run build" first`);
    binary = bin;
    root = mkdtempSync(path.join(os.tmpdir(), 'cr-kilo-e2e-'));
    home = path.join(root, 'home');
    server = new OpenAiCompatibleServer({ usage: USAGE });
    baseURL = await server.start();
  });

  after(async () => {
    await server?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** A project whose kilo.jsonc offers local/cheap and local/strong, with the plugin installed. */
  function project(): string {
    const dir = path.join(root, `project-${++seq}`);
    writeKiloConfig(dir, baseURL);
    writeFileSync(path.join(dir, '.gitignore'), '');
    const paths = projectPaths(dir);
    installKiloPlugin({ project: dir, source: PLUGIN, env: { HOME: home }, home });
    writeFileSync(paths.config, TWO_MODEL_YAML);
    return dir;
  }

  function explain(run: KiloRun, dir: string): string {
    const log = projectPaths(dir).pluginLog;
    return `exit ${run.code} after ${Math.round(run.ms)} ms\nstdout: ${run.stdout.slice(-800)}\nstderr: ${run.stderr.slice(-1500)}\nplugin.log: ${existsSync(log) ? readFileSync(log, 'utf8') : '(none)'}\nserver saw: ${server.requests.map((r) => r.model).join(', ')}`;
  }

  async function routeOnce(prompt: string, expected: 'cheap' | 'strong'): Promise<void> {
    const dir = project();
    const run = await kiloRun(binary, dir, home, prompt);
    assert.equal(run.code, 0, explain(run, dir));
    const reached = server.requestsFor(prompt);
    assert.ok(reached.length > 0, `the server never saw the prompt\n${explain(run, dir)}`);
    assert.deepEqual([...new Set(reached.map((r) => r.model))], [expected], `models used for the prompt\n${explain(run, dir)}`);

    const decisions = readDecisions(dir).records;
    assert.equal(decisions.length, 1, explain(run, dir));
    const d = decisions[0];
    assert.ok(d);
    assert.equal(d.selected, `local/${expected}`);
    assert.equal(d.applied, true);
    assert.equal(d.previous, 'local/cheap', "Kilo's own choice was its default model");
    assert.ok(d.requestPreview.includes(prompt));

    const outcomes = readOutcomes(dir).records;
    assert.ok(outcomes.length >= 1, explain(run, dir));
    for (const o of outcomes) {
      assert.equal(o.sessionID, d.sessionID, 'outcome and decision share the session');
      assert.equal(o.modelId, `local/${expected}`);
      assert.deepEqual(o.tokens, { input: USAGE.prompt_tokens, output: USAGE.completion_tokens, cacheRead: 0 });
      assert.ok(Math.abs(o.costUsd - costOf(PRICE[expected])) < 1e-9, `cost ${o.costUsd} is what Kilo computes from kilo.jsonc prices (${costOf(PRICE[expected])})`);
      assert.ok(o.durationMs >= 0);
    }
  }

  it('sends the auth-system request to the strong model and logs matching lines', async () => {
    await routeOnce(HARD_REQUEST, 'strong');
  });

  it('sends a trivial rename to the cheap model', async () => {
    await routeOnce(TRIVIAL_REQUEST, 'cheap');
  });

  it('keeps a model named with -m for the turn (respectExplicitModel)', async () => {
    const dir = project();
    const prompt = `${TRIVIAL_REQUEST} (explicit model)`;
    const run = await kiloRun(binary, dir, home, prompt, { args: ['-m', 'local/strong'] });
    assert.equal(run.code, 0, explain(run, dir));
    assert.deepEqual([...new Set(server.requestsFor(prompt).map((r) => r.model))], ['strong'], explain(run, dir));
    const [d] = readDecisions(dir).records;
    assert.equal(d?.applied, false);
    assert.equal(d?.selected, 'local/cheap', 'the recommendation is logged all the same');
    assert.match(d?.reason ?? '', /explicit model local\/strong kept/);
  });

  it('lets the request through with a corrupt state.json, and says why in the plugin log', async () => {
    const dir = project();
    mkdirSync(projectPaths(dir).dataDir, { recursive: true });
    writeFileSync(projectPaths(dir).state, '{"version": 1, "patternProfile": {"ERROR_SW');
    const prompt = `${HARD_REQUEST} (corrupt state)`;
    const run = await kiloRun(binary, dir, home, prompt);
    assert.equal(run.code, 0, explain(run, dir));
    assert.deepEqual([...new Set(server.requestsFor(prompt).map((r) => r.model))], ['strong'], explain(run, dir));
    assert.match(readFileSync(projectPaths(dir).pluginLog, 'utf8'), /state\.json: not valid JSON/);
    assert.match(run.stdout, /Done\./, 'the answer reached the user');
  });

  it('leaves the model to Kilo when CONVERGENCE_ROUTING_ENABLED=false', async () => {
    const dir = project();
    const prompt = `${HARD_REQUEST} (routing off)`;
    const run = await kiloRun(binary, dir, home, prompt, { env: { CONVERGENCE_ROUTING_ENABLED: 'false' } });
    assert.equal(run.code, 0, explain(run, dir));
    assert.deepEqual([...new Set(server.requestsFor(prompt).map((r) => r.model))], ['cheap'], explain(run, dir));
    assert.equal(readDecisions(dir).records.length, 0);
    assert.equal(readOutcomes(dir).records.length, 1, 'outcomes are still recorded');
  });
});
