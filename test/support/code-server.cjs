// Starts and stops code-server (VS Code 1.139.1 on Node 24, installed by scripts/test-infra.mjs)
// and Debian's Chromium for the editor test suites. Only 127.0.0.1 is ever bound or visited.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

/** Chromium flags for a quiet, offline, headless browser. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitHealthy(base, child, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`code-server exited early (code ${child.exitCode})`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${base}/healthz within ${timeoutMs} ms`);
}

/**
 * Starts code-server on a free loopback port, with `userSettings` as the user's settings.json; `workspaceTrust` leaves
 * workspace trust on (it is off otherwise). `smokeTestDriver` enables the hooks that run an
 * extension test suite and report its exit code; UI tests leave it off (it hides toasts).
 * Returns {base, port, stop(), logFile, dir}.
 */
async function startCodeServer({ infra, workspace, smokeTestDriver = false, extensionsDir, userDataDir, userSettings, env = {}, tmpRoot, workspaceTrust = false }) {
  const dir = fs.mkdtempSync(path.join(tmpRoot ?? os.tmpdir(), 'cs-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logFile = path.join(dir, 'code-server.log');
  const userData = userDataDir ?? path.join(dir, 'user-data');
  if (userSettings) {
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  }
  const args = [
    infra.codeServer,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--reconnection-grace-time', '5',
    '--user-data-dir', userData,
    '--extensions-dir', extensionsDir ?? path.join(dir, 'extensions'),
  ];
  // Workspace trust is off unless a test is about it (then userSettings say how to prompt).
  if (!workspaceTrust) args.push('--disable-workspace-trust');
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(workspace);
  // Keep code-server's own config and caches out of the home directory.
  const xdg = path.join(dir, 'xdg');
  const child = spawn(infra.node24, args, {
    env: { ...process.env, ...env, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg, XDG_CACHE_HOME: xdg },
    stdio: ['ignore', fs.openSync(logFile, 'w'), fs.openSync(logFile, 'a')],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (process.env.KEEP_CODE_SERVER_LOG) console.log(`code-server files kept in ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitHealthy(base, child, 60_000);
  } catch (err) {
    await stop();
    const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n') : '';
    throw new Error(`${err.message}\n${tail}`, { cause: err });
  }
  return { base, port, dir, logFile, stop };
}

/** Launches Debian's Chromium headless with a throwaway profile. */
async function launchChromium({ chromiumPath, tmpRoot, viewport = { width: 1400, height: 900 } }) {
  const { chromium } = require('playwright-core');
  const profile = fs.mkdtempSync(path.join(tmpRoot ?? os.tmpdir(), 'chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, viewport });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A `vscode-remote://` URI for a path on the server, as the workbench payload wants it. */
function remoteUri(base, absPath) {
  return `vscode-remote://${new URL(base).host}${absPath}`;
}

module.exports = { startCodeServer, launchChromium, remoteUri, CHROMIUM_ARGS };
