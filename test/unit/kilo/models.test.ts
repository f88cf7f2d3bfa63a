import assert from 'node:assert/strict';
import { loadDefaultConfig } from '../../../src/engine';
import { KnownModels, knownModelsFromConfig, knownModelsFromProviders, parseModelKey, profileForKiloModel } from '../../../src/kilo/models';
import { providersData } from '../../support/kilo-fixtures';

describe('kilo/models', () => {
  it('splits provider/model at the first slash only', () => {
    assert.deepEqual(parseModelKey('kilo/anthropic/claude-opus-4.5'), { providerID: 'kilo', modelID: 'anthropic/claude-opus-4.5' });
    assert.equal(parseModelKey('nomodel'), undefined);
    assert.equal(parseModelKey('/x'), undefined);
  });

  it('resolves a profile model to the provider of that name', () => {
    const known = new KnownModels([{ providerID: 'anthropic', modelID: 'claude-opus-4.5' }]);
    assert.deepEqual(known.resolve('anthropic/claude-opus-4.5'), { providerID: 'anthropic', modelID: 'claude-opus-4.5' });
    assert.equal(known.resolve('openai/gpt-5.1'), undefined);
  });

  it('resolves through a gateway that serves the whole id, preferring the session provider, then Kilo', () => {
    const known = new KnownModels([
      { providerID: 'openrouter', modelID: 'anthropic/claude-opus-4.5' },
      { providerID: 'kilo', modelID: 'anthropic/claude-opus-4.5' },
    ]);
    assert.equal(known.resolve('anthropic/claude-opus-4.5')?.providerID, 'kilo');
    assert.equal(known.resolve('anthropic/claude-opus-4.5', 'openrouter')?.providerID, 'openrouter');
  });

  it('reads the models of Kilo provider list', () => {
    const known = knownModelsFromProviders(providersData('local', ['cheap', 'strong']));
    assert.deepEqual(known.list(), ['local/cheap', 'local/strong']);
    assert.equal(knownModelsFromProviders({ nonsense: true }).size, 0);
  });

  it('reads config-declared models, honouring enabled and disabled providers', () => {
    const config = {
      provider: { local: { models: { a: {}, b: {} } }, other: { models: { c: {} } }, off: { models: { d: {} } } },
      enabled_providers: ['local', 'off'],
      disabled_providers: ['off'],
    };
    assert.deepEqual(knownModelsFromConfig(config).list(), ['local/a', 'local/b']);
  });

  it('finds the profile for a model Kilo ran, directly or through a gateway', () => {
    const { config } = loadDefaultConfig();
    assert.equal(profileForKiloModel(config, 'anthropic/claude-opus-4.5')?.id, 'claude-opus-4.5');
    assert.equal(profileForKiloModel(config, 'kilo/anthropic/claude-opus-4.5')?.id, 'claude-opus-4.5');
    assert.equal(profileForKiloModel(config, 'local/unknown'), undefined);
  });
});
