#!/usr/bin/env node
// The `ui-e2e` suite: packages the extension as a .vsix, installs it into a fresh code-server
// (started WITHOUT the smoke-test driver, which would hide notifications) and drives the
// workbench in Debian's Chromium with playwright-core. Counts go to $TEST_RESULTS_FILE.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, ensureInfra } from '../../scripts/test-infra.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(command, args, opts = {}) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function main() {
  const infra = ensureInfra();
  run(process.execPath, ['esbuild.mjs']);
  mkdirSync(infra.runs, { recursive: true });
  const work = mkdtempSync(path.join(infra.runs, 'e2e-'));
  try {
    const vsix = path.join(work, 'convergence-router.vsix');
    run(bin('vsce'), ['package', '--no-dependencies', '--out', vsix], { stdio: ['ignore', 'ignore', 'inherit'] });
    const extensionsDir = path.join(work, 'extensions');
    run(infra.node24, [infra.codeServer, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, XDG_CONFIG_HOME: path.join(work, 'xdg'), XDG_DATA_HOME: path.join(work, 'xdg'), XDG_CACHE_HOME: path.join(work, 'xdg') },
    });
    const r = spawnSync(
      bin('mocha'),
      ['--no-config', '--require', 'tsx/cjs', '--require', 'test/support/register-text.cjs', '--reporter', 'test/support/counting-reporter.cjs', '--timeout', '180000', 'test/e2e/*.e2e.ts'],
      {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, CONVERGENCE_INFRA_JSON: JSON.stringify({ ...infra, chromium: CHROMIUM }), E2E_EXTENSIONS_DIR: extensionsDir, E2E_WORK: work },
      },
    );
    return r.status ?? 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  process.exit(main());
} catch (err) {
  console.error(`ui-e2e: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
