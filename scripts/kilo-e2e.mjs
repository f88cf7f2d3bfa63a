#!/usr/bin/env node
// The kilo-e2e suite: installs the real Kilo CLI (cached in .test-infra/kilo), builds the plugin,
// then runs test/e2e/kilo with mocha, which writes {passed, failed, pending} to $TEST_RESULTS_FILE.
// Kilo goes into its own folder with `npm install --no-package-lock --no-save`: a lockfile that
// records @kilocode/cli lists optional platform packages the registry here lacks, and breaks `npm ci`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const KILO_VERSION = '7.7.7';
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const kiloDir = path.join(root, '.test-infra', 'kilo');

function installedVersion() {
  try {
    return JSON.parse(readFileSync(path.join(kiloDir, 'node_modules', '@kilocode', 'cli', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Installs @kilocode/cli into .test-infra/kilo unless that version is already there. */
export function ensureKilo() {
  const platformPkg = path.join(kiloDir, 'node_modules', '@kilocode', `cli-${os.platform()}-${os.arch()}`);
  if (installedVersion() === KILO_VERSION && existsSync(platformPkg)) return true;
  mkdirSync(kiloDir, { recursive: true });
  // A package.json of its own keeps npm from walking up into the project's node_modules.
  writeFileSync(path.join(kiloDir, 'package.json'), JSON.stringify({ private: true, description: 'Kilo CLI for the e2e tests and benchmarks (not a project dependency)' }, null, 2) + '\n');
  console.log(`installing @kilocode/cli@${KILO_VERSION} into ${path.relative(root, kiloDir)} ...`);
  const r = spawnSync('npm', ['install', '--no-package-lock', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `@kilocode/cli@${KILO_VERSION}`], {
    cwd: kiloDir,
    stdio: 'inherit',
  });
  return r.status === 0 && installedVersion() === KILO_VERSION;
}

function fail(message) {
  console.error(`kilo-e2e: ${message}`);
  const file = process.env.TEST_RESULTS_FILE;
  if (file) writeFileSync(file, JSON.stringify({ passed: 0, failed: 1, pending: 0 }) + '\n');
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!ensureKilo()) fail(`could not install @kilocode/cli@${KILO_VERSION} from the npm registry`);
  // The plugin under test is the one built from this tree.
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) fail('the build failed');
  const mocha = path.join(root, 'node_modules', '.bin', 'mocha');
  const run = spawnSync(
    mocha,
    ['--no-config', '--require', 'tsx/cjs', '--require', 'test/support/register-text.cjs', '--extension', 'ts', '--timeout', '120000', '--reporter', 'test/support/counting-reporter.cjs', 'test/e2e/kilo/**/*.test.ts'],
    { cwd: root, stdio: 'inherit' },
  );
  process.exit(run.status ?? 1);
}
