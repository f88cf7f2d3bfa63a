#!/usr/bin/env node
// Stands in for the VS Code executable that @vscode/test-electron's runTests() launches
// (`vscodeExecutablePath`): desktop VS Code cannot be downloaded here, so this maps
// --extensionDevelopmentPath / --extensionTestsPath / the folder onto code-server started with
// the smoke-test driver, opened in headless Chromium. The suite's output and exit code come
// back through the driver's codeAutomationLog / codeAutomationExit hooks.
'use strict';
const path = require('node:path');
const util = require('node:util');
const { launchChromium, remoteUri, startCodeServer } = require('../support/code-server.cjs');

const SUITE_TIMEOUT_MS = Number(process.env.CONVERGENCE_SUITE_TIMEOUT_MS ?? 300_000);
// Workbench chatter that says nothing about the extension under test.
const NOISE = /ChatModelSelection|AgentHost|AccountPolicyGate|socket|connection token|open-vsx|marketplace|Extension Gallery|update check/i;

function parseArgs(argv) {
  const out = { dev: undefined, tests: undefined, folder: undefined };
  for (const a of argv) {
    let m;
    if ((m = /^--extensionDevelopmentPath=(.*)$/.exec(a))) out.dev = path.resolve(m[1]);
    else if ((m = /^--extensionTestsPath=(.*)$/.exec(a))) out.tests = path.resolve(m[1]);
    else if (!a.startsWith('-')) out.folder = path.resolve(a);
  }
  if (!out.dev || !out.tests || !out.folder) throw new Error(`code-shim: need --extensionDevelopmentPath, --extensionTestsPath and a folder; got ${argv.join(' ')}`);
  return out;
}

async function main() {
  const { dev, tests, folder } = parseArgs(process.argv.slice(2));
  const infra = JSON.parse(process.env.CONVERGENCE_INFRA_JSON ?? 'null');
  if (!infra) throw new Error('code-shim: CONVERGENCE_INFRA_JSON is not set (run through test/integration/run.mjs)');
  // Extensions installed beside the one under test (the Kilo Code 5 fixture), when run.mjs made some.
  const extensionsDir = process.env.CONVERGENCE_EXTENSIONS_DIR || undefined;
  // The untrusted pass (run.mjs --pass untrusted): workspace trust on, and the folder opened in
  // Restricted Mode without the startup prompt, as when a user answers "No, I don't trust".
  const untrusted = process.env.CONVERGENCE_TEST_PASS === 'untrusted';
  const userSettings = untrusted ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' } : undefined;
  const server = await startCodeServer({ infra, workspace: folder, smokeTestDriver: true, tmpRoot: infra.runs, extensionsDir, userSettings, workspaceTrust: untrusted });
  let browser;
  try {
    browser = await launchChromium({ chromiumPath: infra.chromium, tmpRoot: infra.runs });
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    let finish;
    const finished = new Promise((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => finish(code));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = util.format(...(args ?? []));
      if (!process.env.VERBOSE && NOISE.test(line)) return;
      (type === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
    });
    const payload = [
      ['extensionDevelopmentPath', remoteUri(server.base, dev)],
      ['extensionTestsPath', remoteUri(server.base, tests)],
    ];
    await page.goto(`${server.base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the extension test suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s`)), SUITE_TIMEOUT_MS);
    });
    const code = await Promise.race([finished, timeout]);
    clearTimeout(timer);
    return typeof code === 'number' ? code : 1;
  } finally {
    await browser?.close();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`code-shim: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(3);
  },
);
