#!/usr/bin/env node
// The `integration` suite: mocha inside a real VS Code extension host (code-server), started
// through @vscode/test-electron's runTests() with test/integration/code-shim.cjs as the
// "executable". Counts go to $TEST_RESULTS_FILE (written by the reporter inside the host).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { runTests } from '@vscode/test-electron';
import { CHROMIUM, ensureInfra } from '../../scripts/test-infra.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const out = path.join(root, 'out', 'test', 'integration');

/** Builds the extension when dist/ is missing (CI builds it before the tests). */
export function ensureBuilt() {
  if (existsSync(path.join(root, 'dist', 'extension.js')) && existsSync(path.join(root, 'dist', 'webview.js'))) return;
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the extension failed');
}

async function buildTests() {
  rmSync(out, { recursive: true, force: true });
  const entries = readdirSync(here).filter((f) => f.endsWith('.test.ts') || f === 'index.ts').map((f) => path.join(here, f));
  await esbuild.build({
    entryPoints: entries,
    outdir: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    loader: { '.yaml': 'text' },
    logLevel: 'warning',
  });
}

/**
 * The suite runs in passes, each in a host of its own (`--pass NAME`; index.ts picks the files):
 * - `main`: every test file not named for another pass, beside a fixture extension standing in
 *   for Kilo Code 5.x (its API is the in-process RooCodeAPI of test/support/fake-roo-api.ts);
 * - `kilo7`: the `kilo7-*` files, beside a Kilo Code 7.x fixture (no API; routing goes through
 *   the Kilo plugin);
 * - `untrusted`: the `untrusted-*` files, with workspace trust on and the folder not trusted.
 */
const PASSES = {
  main: { kilo: 'kilo5-extension', version: '5.0.0' },
  kilo7: { kilo: 'kilo7-extension', version: '7.7.7' },
  untrusted: { kilo: 'kilo5-extension', version: '5.0.0' },
};
const PASS = process.argv.includes('--pass') ? process.argv[process.argv.indexOf('--pass') + 1] : 'main';

/** An extensions folder holding the pass's Kilo fixture, built into a throwaway folder. */
async function fixtureExtensions(dir) {
  const fixture = PASSES[PASS];
  if (!fixture) throw new Error(`--pass ${PASS}: no such pass (${Object.keys(PASSES).join(', ')})`);
  const ext = path.join(dir, `kilocode.kilo-code-${fixture.version}`);
  mkdirSync(ext, { recursive: true });
  cpSync(path.join(here, 'fixtures', fixture.kilo, 'package.json'), path.join(ext, 'package.json'));
  await esbuild.build({
    entryPoints: [path.join(here, 'fixtures', fixture.kilo, 'extension.ts')],
    outfile: path.join(ext, 'extension.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return dir;
}

async function main() {
  const infra = ensureInfra();
  ensureBuilt();
  await buildTests();
  mkdirSync(infra.runs, { recursive: true });
  const workspace = mkdtempSync(path.join(infra.runs, 'ws-'));
  cpSync(path.join(here, 'fixtures', 'workspace'), workspace, { recursive: true });
  const extensionsDir = await fixtureExtensions(mkdtempSync(path.join(infra.runs, 'ext-')));
  const started = Date.now();
  try {
    const code = await runTests({
      vscodeExecutablePath: path.join(here, 'code-shim.cjs'),
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(out, 'index.js'),
      launchArgs: [workspace],
      extensionTestsEnv: {
        CONVERGENCE_INFRA_JSON: JSON.stringify({ ...infra, chromium: CHROMIUM }),
        CONVERGENCE_TEST_WORKSPACE: workspace,
        CONVERGENCE_EXTENSIONS_DIR: extensionsDir,
        CONVERGENCE_TEST_PASS: PASS,
        // A test key for the reviewer, sent only to the Messages API server the tests start on 127.0.0.1.
        ANTHROPIC_API_KEY: 'sk-ant-integration-test-key',
        TEST_RESULTS_FILE: process.env.TEST_RESULTS_FILE ?? '',
      },
    });
    console.log(`integration: finished in ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${code})`);
    return code;
  } catch (err) {
    console.error(`integration: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(extensionsDir, { recursive: true, force: true });
  }
}

process.exit(await main());
