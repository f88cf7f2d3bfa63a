// End to end, as a person would: the command palette, the input box, the score panel's webview,
// a weight slider moved with the keyboard, a window reload, "Use this model", a thumbs down and
// what was learned kept across a reload.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { findProfile, loadDefaultConfig, overlayFromObject, parseDefaultLayer, resolveConfig, route } from '../../src/engine';
import type { RoutingConfig, RoutingDecision } from '../../src/engine';
import { launchChromium, startCodeServer } from '../support/code-server.cjs';
import type { InfraPaths } from '../support/code-server.cjs';

const REQUEST = 'Build a production auth system with JWT, PostgreSQL, email verification';
const ARTIFACTS = path.resolve(__dirname, 'artifacts');
const infra = JSON.parse(process.env['CONVERGENCE_INFRA_JSON'] ?? 'null') as InfraPaths | null;

function withWeights(weights: Record<string, number>): RoutingConfig {
  return resolveConfig([parseDefaultLayer({}).layer, overlayFromObject({ weights }, 'test').layer]).config;
}

describe('score panel in the browser (code-server + Chromium)', function () {
  let server: Awaited<ReturnType<typeof startCodeServer>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let panel: FrameLocator;
  const defaults = loadDefaultConfig({}).config;
  const expected: RoutingDecision = route(defaults, { text: REQUEST, languages: [] }, { env: {} });
  const costHeavy: RoutingDecision = route(withWeights({ cost: 1 }), { text: REQUEST, languages: [] }, { env: {} });
  const rows = (): Locator => panel.locator('#scores tbody tr');
  const order = async (): Promise<string[]> => rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-model-id') ?? ''));
  const waitForOrder = async (want: string[], what: string): Promise<void> => {
    const end = Date.now() + 60_000;
    let got: string[] = [];
    while (Date.now() < end) {
      got = await order().catch(() => []);
      if (got.join() === want.join()) return;
      await page.waitForTimeout(100);
    }
    assert.deepEqual(got, want, `${what}: the panel's rows never reached the expected order`);
  };

  const runFromPalette = async (title: string): Promise<void> => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 30_000 });
    await input.fill(`>${title}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
  };

  before(async function () {
    if (!infra) throw new Error('CONVERGENCE_INFRA_JSON is not set: run through test/e2e/run.mjs');
    const work = process.env['E2E_WORK'] ?? infra.runs;
    const workspace = mkdtempSync(path.join(work, 'ws-'));
    // A quiet workbench: no welcome page, no chat side bar, no git prompt over the panel.
    const userSettings = {
      'workbench.startupEditor': 'none',
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'git.openRepositoryInParentFolders': 'never',
      'chat.disableAIFeatures': true,
    };
    server = await startCodeServer({ infra, workspace, extensionsDir: process.env['E2E_EXTENSIONS_DIR'], userSettings, tmpRoot: work });
    browser = await launchChromium({ chromiumPath: infra.chromium, tmpRoot: work });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(`${server.base}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  });

  after(async () => {
    if (page && this.ctx.currentTest?.state === 'failed') {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'failure.png') }).catch(() => undefined);
    }
    await browser?.close();
    await server?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, `failed-${this.currentTest.title.replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
    }
  });

  it('activates on startup and shows its status bar item', async () => {
    await page.locator('.statusbar-item', { hasText: 'Convergence' }).first().waitFor({ timeout: 90_000 });
  });

  it('runs "Route with convergence" from the command palette and shows a row per model, the recommendation and the confidence', async () => {
    await runFromPalette('Convergence: Route with convergence');
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Route with convergence' }).waitFor({ timeout: 30_000 });
    await input.fill(REQUEST);
    await page.keyboard.press('Enter');

    await rows().first().waitFor({ timeout: 60_000 });
    assert.equal(await rows().count(), expected.scores.length);
    assert.ok(expected.scores.length >= 10, 'the default config has many candidates');
    assert.deepEqual(await order(), expected.scores.map((s) => s.modelId));
    const name = findProfile(defaults, expected.selected)?.displayName ?? expected.selected;
    assert.equal((await panel.locator('#recommended').textContent())?.trim(), name);
    assert.equal((await panel.locator('#confidence').textContent())?.trim(), expected.confidenceLevel);
    assert.equal((await panel.locator('#recommendation').textContent())?.trim(), expected.recommendation);
    assert.equal((await panel.locator('#request-text').textContent())?.trim(), REQUEST);
  });

  it('re-orders the models when the cost weight slider is moved with the keyboard', async () => {
    assert.notDeepEqual(costHeavy.scores.map((s) => s.modelId), expected.scores.map((s) => s.modelId), 'the scenario must change the order');
    const slider = panel.locator('#weight-cost');
    await slider.focus();
    await slider.press('End');
    await waitForOrder(costHeavy.scores.map((s) => s.modelId), 'after cost weight 1');
    assert.equal(await panel.locator('#weight-cost-value').textContent(), '1.00');
    assert.equal(await panel.locator('#weight-convergence-value').textContent(), '0.45', 'the other sliders stay where they were');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'score-panel.png') });
  });

  it('restores the panel with the same scores after a window reload', async () => {
    // "Developer: Reload Window" shuts the workbench down properly (state saved), as a user's reload does.
    await runFromPalette('Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await rows().first().waitFor({ timeout: 90_000 });
    await waitForOrder(costHeavy.scores.map((s) => s.modelId), 'after reload');
  });

  it('"Use this model" makes another model the choice, in the panel and the status bar', async () => {
    const other = costHeavy.scores.find((s) => s.modelId !== costHeavy.selected && s.eligible);
    assert.ok(other);
    await panel.locator(`vscode-button[data-use-model="${other.modelId}"]`).click();
    await panel.locator(`#recommended[data-model-id="${other.modelId}"]`).waitFor({ timeout: 30_000 });
    await page.locator('.statusbar-item', { hasText: `${other.modelId} · ` }).first().waitFor({ timeout: 30_000 });
    await panel.locator('#clear-override').waitFor();
  });

  it('a thumbs down on the decision shows in the learned statistics for the model in use', async () => {
    const other = costHeavy.scores.find((s) => s.modelId !== costHeavy.selected && s.eligible);
    assert.ok(other);
    assert.equal(await panel.locator(`#learned-models tbody tr[data-model-id="${other.modelId}"]`).count(), 0, 'nothing learned before');
    await panel.locator('#decision-down').click();
    const row = panel.locator(`#learned-models tbody tr[data-model-id="${other.modelId}"]`);
    await row.waitFor({ timeout: 30_000 });
    assert.match((await row.locator('.observations').textContent()) ?? '', /^1 \(0 ok, 1 not\)$/);
    assert.equal(await panel.locator('#decision-down').getAttribute('aria-pressed'), 'true');
    await panel.locator('#rollout').waitFor();
    await panel.locator('#learning').scrollIntoViewIfNeeded();
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'learned-statistics.png') });
  });

  it('keeps what it learned across a window reload', async () => {
    const other = costHeavy.scores.find((s) => s.modelId !== costHeavy.selected && s.eligible);
    assert.ok(other);
    await runFromPalette('Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await rows().first().waitFor({ timeout: 90_000 });
    const row = panel.locator(`#learned-models tbody tr[data-model-id="${other.modelId}"]`);
    await row.waitFor({ timeout: 30_000 });
    assert.match((await row.locator('.observations').textContent()) ?? '', /^1 \(0 ok, 1 not\)$/);
  });

  it('"Set Anthropic API Key" takes the key in a password box and it never reaches the panel', async () => {
    const key = 'sk-ant-e2e-0123456789';
    await runFromPalette('Convergence: Set Anthropic API Key');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Set Anthropic API Key' }).waitFor({ timeout: 30_000 });
    const input = page.locator('.quick-input-widget input');
    assert.equal(await input.getAttribute('type'), 'password');
    await input.fill(key);
    await page.keyboard.press('Enter');
    await page.locator('.notifications-toasts', { hasText: 'stored in SecretStorage' }).waitFor({ timeout: 30_000 });
    await runFromPalette('Convergence: Show Score Panel');
    await rows().first().waitFor({ timeout: 30_000 });
    const html = await panel.locator('html').evaluate((e) => e.outerHTML);
    assert.ok(!html.includes(key), 'the key is not in the webview');
    assert.ok(!(await page.content()).includes(key), 'the key is not in the workbench page');
  });
});
