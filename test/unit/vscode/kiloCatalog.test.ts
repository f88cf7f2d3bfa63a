import assert from 'node:assert/strict';
import { route } from '../../../src/engine';
import type { CatalogCache } from '../../../src/kilo/catalog';
import { KiloCatalog } from '../../../src/vscode/kiloCatalog';
import { aConfig, aProfile } from '../../support/builders';
import { GatewayServer, perToken } from '../../support/gateway-server';

const TOKEN = 'kilo-token-for-tests';
const T0 = Date.parse('2026-11-24T12:00:00Z');
const config = aConfig([aProfile('cheap', { pricing: { input: 0.5, output: 2 } }), aProfile('strong', { pricing: { input: 3, output: 15 } }), aProfile('gone')]);

function memoryCache(): CatalogCache & { text?: string } {
  const c: CatalogCache & { text?: string } = { read: () => c.text, write: (t) => void (c.text = t) };
  return c;
}

describe('vscode/kiloCatalog', () => {
  let gw: GatewayServer;
  let clock: number;
  let token: string | undefined;
  const logs: string[] = [];
  const make = (cache = memoryCache()): KiloCatalog =>
    new KiloCatalog({ cache, now: () => clock, baseUrl: () => gw.base, token: () => Promise.resolve(token), log: { info: (m) => logs.push(m), warn: (m) => logs.push(m) } });

  beforeEach(async () => {
    clock = T0;
    token = TOKEN;
    logs.length = 0;
    gw = await GatewayServer.start(TOKEN, [
      { id: 'test/cheap', context_length: 64000, pricing: { prompt: perToken(0.25), completion: perToken(1) } },
      { id: 'test/strong', pricing: { prompt: perToken(3), completion: perToken(15) } },
    ]);
  });
  afterEach(() => gw.close());

  it('uses the built-in profiles and says so until a list arrives', () => {
    const c = make();
    assert.equal(c.apply(config), config);
    assert.equal(c.candidates(config), undefined);
    assert.equal(c.overlay(config), undefined);
    assert.equal(c.status(config).state, 'embedded');
  });

  it("applies the gateway's prices to the profiles and restricts the candidates to what it serves", async () => {
    const c = make();
    let fired = 0;
    c.onDidChange(() => fired++);
    const r = await c.refresh();
    assert.equal(r.source, 'live');
    assert.equal(fired, 1);
    assert.deepEqual(gw.authorizations, [`Bearer ${TOKEN}`]);
    const priced = c.apply(config);
    assert.equal(c.apply(config), priced, 'the same object while nothing changed');
    assert.deepEqual(priced.modelProfiles['cheap']?.pricing, { input: 0.25, output: 1, cacheRead: undefined });
    assert.equal(priced.modelProfiles['cheap']?.contextWindow, 64000);
    assert.deepEqual(c.candidates(config), ['cheap', 'strong']);
    assert.deepEqual(route(priced, { text: 'rename x to y', models: c.candidates(config) }).scores.map((s) => s.modelId).sort(), ['cheap', 'strong']);
    const status = c.status(config);
    assert.equal(status.state, 'live');
    assert.equal(status.text, 'Prices from the Kilo gateway, fetched just now.');
    assert.deepEqual(status.missing, ['gone']);
    assert.deepEqual(Object.keys((c.overlay(config) as { modelProfiles: object }).modelProfiles), ['cheap']);
  });

  it('serves the cached list for a day without asking again, and says how old it is', async () => {
    const cache = memoryCache();
    await make(cache).refresh();
    clock = T0 + 3 * 3_600_000;
    const c = make(cache);
    assert.equal((await c.refresh()).source, 'cache');
    assert.equal(gw.authorizations.length, 1);
    assert.equal(c.status(config).text, 'Prices from the Kilo gateway, fetched 3 h ago.');
  });

  it('stays on the built-in profiles without a token, and never calls the gateway', async () => {
    token = undefined;
    const c = make();
    const r = await c.refresh();
    assert.equal(r.source, 'embedded');
    assert.equal(gw.authorizations.length, 0);
    assert.match(c.status(config).text, /^Prices from the built-in profiles \(no Kilo token/);
  });

  it('keeps the stale list when the gateway cannot be reached, and says so', async () => {
    const cache = memoryCache();
    await make(cache).refresh();
    clock = T0 + 2 * 86_400_000;
    await gw.close();
    const c = make(cache);
    const r = await c.refresh();
    assert.equal(r.source, 'cache');
    assert.match(c.status(config).text, /fetched 2 days ago, out of date \(cannot reach the Kilo gateway/);
    assert.equal(c.status(config).state, 'stale');
    assert.match(logs.join('\n'), /prices: cannot reach the Kilo gateway/);
    assert.ok(!logs.join('\n').includes(TOKEN), 'the token is never logged');
    gw = await GatewayServer.start(TOKEN, []);
  });

  it('fetches again at once when asked to (a new token)', async () => {
    const c = make();
    await c.refresh();
    gw.models = [{ id: 'test/cheap', pricing: { prompt: perToken(0.1), completion: perToken(0.4) } }];
    await c.refresh(true);
    assert.equal(c.apply(config).modelProfiles['cheap']?.pricing.input, 0.1);
    assert.deepEqual(c.candidates(config), ['cheap']);
  });
});
