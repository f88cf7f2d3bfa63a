import assert from 'node:assert/strict';
import { LegacyKiloAdapter, modelIdOf, settingsForModel } from '../../../src/kilo/legacy-adapter';
import { loadDefaultConfig } from '../../../src/engine';
import { observationsFromOutcomes, readOutcomes, appendOutcome } from '../../../src/kilo/logs';
import type { OutcomeRecord } from '../../../src/kilo/logs';
import { FakeRooCodeApi } from '../../support/fake-roo-api';
import { tempProject } from '../../support/kilo-fixtures';

const OPUS = { kiloModel: 'anthropic/claude-opus-4.5', profileId: 'claude-opus-4.5' };

function kilo5(): FakeRooCodeApi {
  return new FakeRooCodeApi([
    { name: 'default', settings: { apiProvider: 'kilocode', kilocodeToken: 'secret-token', kilocodeModel: 'anthropic/claude-sonnet-4.5' } },
    { name: 'architect-profile', settings: { apiProvider: 'kilocode', kilocodeToken: 'secret-token', kilocodeModel: 'openai/gpt-5.1' }, modes: { architect: 'x' } },
  ]);
}

describe('kilo/legacy-adapter', () => {
  let clock: number;
  const now = (): number => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  describe('applying the recommended model', () => {
    it('creates its own profile on the Kilo provider, keeps the credentials, and activates it', async () => {
      const api = kilo5();
      const adapter = new LegacyKiloAdapter(api, { flavor: 'kilo5', now });
      const r = await adapter.applyRecommendedModel(OPUS);
      assert.equal(r.applied, true);
      assert.equal(api.getActiveProfile(), 'Convergence Router');
      const s = api.profileSettings('Convergence Router');
      assert.equal(s?.['kilocodeModel'], 'anthropic/claude-opus-4.5');
      assert.equal(s?.['kilocodeToken'], 'secret-token');
      assert.equal(api.profileSettings('default')?.['kilocodeModel'], 'anthropic/claude-sonnet-4.5', "the user's profile is untouched");
      assert.match(r.message, /Kilo Code now uses anthropic\/claude-opus-4.5 \(profile "Convergence Router", provider kilocode\)/);
      assert.doesNotMatch(r.message, /secret/);
    });

    it('updates the same profile on the next choice instead of adding another', async () => {
      const api = kilo5();
      const adapter = new LegacyKiloAdapter(api, { flavor: 'kilo5', now });
      await adapter.applyRecommendedModel(OPUS);
      await adapter.applyRecommendedModel({ kiloModel: 'anthropic/claude-haiku-4.5' });
      assert.deepEqual(api.getProfiles().filter((n) => n === 'Convergence Router'), ['Convergence Router']);
      assert.equal(api.profileSettings('Convergence Router')?.['kilocodeModel'], 'anthropic/claude-haiku-4.5');
      assert.deepEqual(api.calls.filter((c) => c.startsWith('create')), ['create Convergence Router']);
    });

    it('makes the next request of a running task use the model', async () => {
      const api = kilo5();
      const adapter = new LegacyKiloAdapter(api, { flavor: 'kilo5', now });
      const task = await api.startNewTask({ text: 'hi' });
      api.request(task, { tokensIn: 10, tokensOut: 1, cost: 0.001 });
      await adapter.applyRecommendedModel(OPUS);
      api.request(task, { tokensIn: 10, tokensOut: 1, cost: 0.001 });
      assert.deepEqual(api.sent.map((s) => s.model), ['anthropic/claude-sonnet-4.5', 'anthropic/claude-opus-4.5']);
    });

    it('applies the choice again after a mode switch brings the mode own profile back', async () => {
      const api = kilo5();
      const adapter = new LegacyKiloAdapter(api, { flavor: 'kilo5', now });
      const task = await api.startNewTask({ text: 'plan it' });
      await adapter.applyRecommendedModel(OPUS);
      api.switchMode(task, 'architect');
      await new Promise((r) => setImmediate(r));
      api.request(task, { tokensIn: 10, tokensOut: 1, cost: 0.001 });
      assert.equal(api.getActiveProfile(), 'Convergence Router');
      assert.equal(api.sent.at(-1)?.model, 'anthropic/claude-opus-4.5');
    });

    it('does not re-apply after dispose', async () => {
      const api = kilo5();
      const adapter = new LegacyKiloAdapter(api, { flavor: 'kilo5', now });
      const task = await api.startNewTask({ text: 'x' });
      await adapter.applyRecommendedModel(OPUS);
      adapter.dispose();
      api.switchMode(task, 'architect');
      await new Promise((r) => setImmediate(r));
      assert.equal(api.getActiveProfile(), 'architect-profile');
    });

    it('starts a task on its profile', async () => {
      const api = kilo5();
      const adapter = new LegacyKiloAdapter(api, { flavor: 'kilo5', now });
      const task = await adapter.startTask(OPUS, 'Build a production auth system');
      api.request(task, { tokensIn: 1, tokensOut: 1, cost: 0 });
      assert.equal(api.sent.at(-1)?.profile, 'Convergence Router');
    });

    it('uses the OpenRouter key on Roo Code with OpenRouter', async () => {
      const api = new FakeRooCodeApi([{ name: 'default', settings: { apiProvider: 'openrouter', openRouterApiKey: 'k', openRouterModelId: 'x/y' } }]);
      const r = await new LegacyKiloAdapter(api, { flavor: 'roo', now }).applyRecommendedModel(OPUS);
      assert.equal(r.modelKey, 'openRouterModelId');
      assert.equal(api.profileSettings('Convergence Router')?.['openRouterModelId'], 'anthropic/claude-opus-4.5');
      assert.match(r.message, /^Roo Code now uses/);
    });

    it('maps to a direct provider own id, and refuses another vendor model there', async () => {
      const api = new FakeRooCodeApi([{ name: 'default', settings: { apiProvider: 'anthropic', apiKey: 'k', apiModelId: 'claude-sonnet-4-5' } }]);
      const adapter = new LegacyKiloAdapter(api, { flavor: 'roo', now });
      const ok = await adapter.applyRecommendedModel(OPUS);
      assert.equal(ok.modelId, 'claude-opus-4-5');
      const no = await adapter.applyRecommendedModel({ kiloModel: 'openai/gpt-5.1' });
      assert.equal(no.applied, false);
      assert.match(no.message, /the active provider "anthropic" cannot run openai\/gpt-5.1/);
      assert.equal(api.profileSettings('Convergence Router')?.['apiModelId'], 'claude-opus-4-5', 'nothing changed');
    });

    it('waits until the extension is ready', async () => {
      const api = kilo5();
      api.setReady(false);
      const r = await new LegacyKiloAdapter(api, { flavor: 'kilo5', now }).applyRecommendedModel(OPUS);
      assert.equal(r.applied, false);
      assert.match(r.message, /not ready yet/);
      assert.equal(api.getProfiles().includes('Convergence Router'), false);
    });
  });

  describe('reading outcomes', () => {
    it('turns cumulative token usage into one outcome per request', async () => {
      const api = kilo5();
      const outcomes: OutcomeRecord[] = [];
      const adapter = new LegacyKiloAdapter(api, { flavor: 'kilo5', now, onOutcome: (o) => outcomes.push(o) });
      await adapter.applyRecommendedModel(OPUS);
      const task = await api.startNewTask({ text: 'x' });
      clock += 1500;
      api.request(task, { tokensIn: 1000, tokensOut: 200, cost: 0.01, cacheReads: 300 });
      clock += 500;
      api.request(task, { tokensIn: 500, tokensOut: 100, cost: 0.004 });
      api.completeTask(task);
      assert.equal(outcomes.length, 2, 'completion with no new usage adds nothing');
      assert.deepEqual(outcomes[0], {
        ts: new Date(1_001_500).toISOString(),
        sessionID: task,
        modelId: 'kilocode/anthropic/claude-opus-4.5',
        costUsd: 0.01,
        tokens: { input: 1000, output: 200, cacheRead: 300 },
        durationMs: 1500,
      });
      assert.equal(outcomes[1]?.durationMs, 500);
      assert.equal(outcomes[1]?.costUsd.toFixed(3), '0.004');
    });

    it('names the model of the active profile when it is not the adapter own', async () => {
      const api = kilo5();
      const outcomes: OutcomeRecord[] = [];
      new LegacyKiloAdapter(api, { flavor: 'kilo5', now, onOutcome: (o) => outcomes.push(o) });
      const task = await api.startNewTask({ text: 'x' });
      api.request(task, { tokensIn: 1, tokensOut: 1, cost: 0.1 });
      assert.equal(outcomes[0]?.modelId, 'kilocode/anthropic/claude-sonnet-4.5');
      assert.equal(modelIdOf({ apiProvider: 'openai', openAiModelId: 'm' }), 'm');
    });

    it('feeds the same outcomes log and observations as the Kilo 7 plugin', async () => {
      const p = tempProject();
      try {
        const api = kilo5();
        const adapter = new LegacyKiloAdapter(api, { flavor: 'kilo5', now, onOutcome: (o) => appendOutcome(p.dir, o) });
        await adapter.applyRecommendedModel(OPUS);
        const task = await api.startNewTask({ text: 'x' });
        clock += 2000;
        api.request(task, { tokensIn: 1000, tokensOut: 200, cost: 0.02 });
        const { records } = readOutcomes(p.dir);
        const obs = observationsFromOutcomes(loadDefaultConfig().config, records);
        assert.deepEqual(obs['claude-opus-4.5']?.usage, { count: 1, meanLatencyMs: 2000, meanCostUsd: 0.02 });
      } finally {
        p.cleanup();
      }
    });

    it('keeps going when the outcome sink throws', async () => {
      const api = kilo5();
      const logged: string[] = [];
      new LegacyKiloAdapter(api, { flavor: 'kilo5', now, onOutcome: () => { throw new Error('disk full'); }, log: (m) => logged.push(m) });
      const task = await api.startNewTask({ text: 'x' });
      assert.doesNotThrow(() => api.request(task, { tokensIn: 1, tokensOut: 1, cost: 0.1 }));
      assert.match(logged[0] ?? '', /taskTokenUsageUpdated failed: disk full/);
    });
  });

  it('knows where each provider keeps the model id', () => {
    assert.deepEqual(settingsForModel('kilocode', OPUS), { key: 'kilocodeModel', value: 'anthropic/claude-opus-4.5' });
    assert.deepEqual(settingsForModel('openai-native', { kiloModel: 'openai/gpt-5.1' }), { key: 'apiModelId', value: 'gpt-5.1' });
    assert.deepEqual(settingsForModel('bedrock', { kiloModel: 'anthropic/claude-opus-4.5', providerModelIds: { bedrock: 'anthropic.claude-opus-4-5' } }), { key: 'apiModelId', value: 'anthropic.claude-opus-4-5' });
  });
});
