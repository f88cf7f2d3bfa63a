import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { RoutingDecision } from '../../src/engine';
import { KILO_EXTENSION_ID } from '../../src/kilo/detect';
import { projectPaths } from '../../src/kilo/paths';
import { Commands } from '../../src/vscode/commandIds';
import type { ApplyOutcome } from '../../src/vscode/commands';
import type { ConvergenceApi } from '../../src/vscode/extension';
import type { FakeRooCodeApi } from '../support/fake-roo-api';
import { GatewayServer, perToken } from '../support/gateway-server';
import { resetSettings, routedWithPanel, waitFor } from './helpers';

describe('Kilo extras: the integration in force, the legacy API, the live catalog', () => {
  let api: ConvergenceApi;
  let folder: string;

  before(async () => {
    ({ api, folder } = await routedWithPanel());
  });
  after(resetSettings);

  it('says plainly in the panel which Kilo is installed, its version, and that it is not active yet', async () => {
    const snap = api.panel.snapshot();
    assert.equal(snap.kilo?.kind, 'legacy-inactive');
    assert.match(snap.kilo?.integration ?? '', /^Kilo Code 5\.0\.0 is installed but it is not active yet/);
    assert.equal(snap.kilo?.detail, `${KILO_EXTENSION_ID} 5.0.0, not active, exports unknown until it is active`);
    await waitFor('the panel to draw the Kilo line', () => api.panel.lastRendered?.drawn.kilo === snap.kilo?.integration);
  });

  it('switches to the legacy API once Kilo Code 5 is active, and says so', async () => {
    const kilo = vscode.extensions.getExtension<FakeRooCodeApi>(KILO_EXTENSION_ID);
    assert.ok(kilo, 'the fixture is installed');
    await kilo.activate();
    api.session.rescore();
    const snap = api.panel.snapshot();
    assert.equal(snap.kilo?.kind, 'legacy-api');
    assert.match(snap.kilo?.integration ?? '', /^Kilo Code 5\.0\.0: "Apply Recommended Model" switches its API profile/);
    assert.match(snap.kilo?.detail ?? '', /, active, exports its API \(RooCodeAPI/);
    await waitFor('the panel to draw the new Kilo line', () => api.panel.lastRendered?.drawn.kilo === snap.kilo?.integration);
  });

  it('"Apply Recommended Model to Kilo" applies the pick through the API and records its usage for learning', async () => {
    const fake = vscode.extensions.getExtension<FakeRooCodeApi>(KILO_EXTENSION_ID)?.exports;
    assert.ok(fake);
    const chosen = api.session.chosenModel;
    assert.ok(chosen);
    const outcome = await vscode.commands.executeCommand<ApplyOutcome | undefined>(Commands.applyToKilo);
    assert.ok(outcome);
    assert.equal(outcome.kiloModel, api.settings.routing.modelProfiles[chosen]?.kiloModel);
    assert.match(outcome.message, /^Kilo Code now uses .+ \(profile "Convergence Router", provider kilocode\)/);
    assert.equal(fake.getActiveProfile(), 'Convergence Router');
    assert.equal(fake.profileSettings('Convergence Router')?.['kilocodeModel'], outcome.kiloModel);
    assert.equal(fake.profileSettings('default')?.['kilocodeModel'], 'anthropic/claude-sonnet-4.5', "the user's own profile is untouched");
    // A Kilo 5 task's token usage reaches the same outcomes log as the Kilo 7 plugin's.
    fake.request('task-itest', { tokensIn: 1200, tokensOut: 300, cost: 0.0042 });
    const line = await waitFor('the outcome in outcomes.jsonl', () => {
      try {
        return readFileSync(projectPaths(folder).outcomes, 'utf8')
          .split('\n')
          .find((l) => l.includes('"sessionID":"task-itest"'));
      } catch {
        return undefined;
      }
    });
    const record = JSON.parse(line) as { modelId: string; costUsd: number };
    assert.equal(record.modelId, `kilocode/${outcome.kiloModel}`, "the gateway provider and the model, as Kilo names them");
    assert.equal(record.costUsd, 0.0042);
  });

  describe('live catalog from a Kilo gateway on 127.0.0.1', () => {
    const TOKEN = 'kilo-itest-token-5b1f';
    let gw: GatewayServer;
    let priced: string;
    let kiloModel: string;

    before(async () => {
      const decision = await vscode.commands.executeCommand<RoutingDecision>(Commands.route, { text: 'Add a CSV export to the reports page' });
      assert.ok(decision);
      // Price two candidates far below their profiles; the gateway lists nothing else.
      const [a, b] = decision.scores.filter((s) => api.settings.routing.modelProfiles[s.modelId]?.kiloModel).map((s) => s.modelId);
      assert.ok(a && b);
      priced = a;
      kiloModel = api.settings.routing.modelProfiles[a]?.kiloModel ?? '';
      gw = await GatewayServer.start(TOKEN, [
        { id: kiloModel, context_length: 123_456, pricing: { prompt: perToken(0.01), completion: perToken(0.02) } },
        { id: api.settings.routing.modelProfiles[b]?.kiloModel ?? '', pricing: { prompt: perToken(0.03), completion: perToken(0.04) } },
      ]);
      await vscode.workspace.getConfiguration('convergence').update('kilo.gatewayUrl', gw.base, vscode.ConfigurationTarget.Global);
      await waitFor('the gateway setting to apply', () => api.settings.settings.kilo.gatewayUrl === gw.base);
    });
    after(async () => {
      await vscode.commands.executeCommand(Commands.setKiloToken, '');
      await vscode.workspace.getConfiguration('convergence').update('kilo.gatewayUrl', undefined, vscode.ConfigurationTarget.Global);
      await waitFor('the built-in prices again', () => api.panel.snapshot().prices?.state === 'embedded');
      await gw?.close();
    });

    it('stays on the built-in profiles without a token, and never calls the gateway', async () => {
      await waitFor('the price line', () => api.panel.snapshot().prices?.state === 'embedded');
      assert.match(api.panel.snapshot().prices?.text ?? '', /^Prices from the built-in profiles/);
      assert.equal(gw.authorizations.length, 0);
    });

    it('"Set Kilo Token" fetches the list, and the prices and candidates apply to the scores and the panel', async () => {
      assert.equal(await vscode.commands.executeCommand<boolean>(Commands.setKiloToken, TOKEN), true);
      const snap = await waitFor('live prices in the panel snapshot', () => {
        const s = api.panel.snapshot();
        return s.prices?.state === 'live' && s;
      });
      assert.deepEqual(gw.authorizations, [`Bearer ${TOKEN}`]);
      assert.equal(snap.prices?.text, 'Prices from the Kilo gateway, fetched just now.');
      assert.ok((snap.prices?.missing.length ?? 0) > 5, 'the profiles the gateway does not list are named');
      assert.deepEqual(api.session.routing.modelProfiles[priced]?.pricing, { input: 0.01, output: 0.02, cacheRead: api.settings.routing.modelProfiles[priced]?.pricing.cacheRead });
      assert.equal(api.session.routing.modelProfiles[priced]?.contextWindow, 123_456);
      const d = await waitFor('a re-score among the two listed models', () => {
        const latest = api.session.lastDecision;
        return latest?.scores.length === 2 && latest;
      });
      assert.ok(d.scores.some((s) => s.modelId === priced));
      await waitFor('the panel to draw the price line', () => api.panel.lastRendered?.drawn.prices === snap.prices?.text);
      const html = JSON.stringify(api.panel.snapshot());
      assert.ok(!html.includes(TOKEN), 'the token never reaches the panel');
    });
  });
});
