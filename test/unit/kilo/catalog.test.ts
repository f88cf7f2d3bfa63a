import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadDefaultConfig, overlayFromObject, parseDefaultLayer, resolveConfig } from '../../../src/engine';
import { applyCatalog, catalogOverlay, fetchGatewayModels, fileCatalogCache, freshness, GatewayCatalog, parseGatewayModels } from '../../../src/kilo/catalog';
import type { CatalogCache, CatalogSnapshot } from '../../../src/kilo/catalog';
import { tempProject } from '../../support/kilo-fixtures';

const TOKEN = 'kilo-test-token-123';
const LIST = {
  data: [
    { id: 'anthropic/claude-opus-4.5', name: 'Claude Opus 4.5', context_length: 200000, pricing: { prompt: '0.000004', completion: '0.00002', input_cache_read: '0.0000004' } },
    { id: 'anthropic/claude-haiku-4.5', name: 'Claude Haiku 4.5', context_length: 180000, pricing: { prompt: '0.000001', completion: '0.000005' } },
    { id: 'kilo-auto/balanced', name: 'Auto', context_length: 1000000, pricing: { prompt: '-1', completion: '-1' } },
    { name: 'no id' },
  ],
};

/** A gateway on 127.0.0.1 that serves LIST at /api/gateway/models to the right token. */
class Gateway {
  requests = 0;
  status = 200;
  hang = false;
  private server = http.createServer((req, res) => {
    this.requests++;
    if (this.hang) return;
    if (req.url !== '/api/gateway/models') return void res.writeHead(404).end();
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end('{"error":"unauthorized"}');
    if (this.status !== 200) return void res.writeHead(this.status).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(LIST));
  });
  base = '';
  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/gateway`;
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

function memoryCache(): CatalogCache & { text?: string } {
  const c: CatalogCache & { text?: string } = { read: () => c.text, write: (t) => void (c.text = t) };
  return c;
}

describe('kilo/catalog', () => {
  let gw: Gateway;
  let clock: number;
  const now = (): number => clock;
  beforeEach(async () => {
    gw = new Gateway();
    await gw.start();
    clock = Date.parse('2026-11-24T12:00:00Z');
  });
  afterEach(() => gw.stop());

  it('reads prices per token as USD per million tokens, and keeps unpriced models unpriced', () => {
    const { models, problems } = parseGatewayModels(LIST);
    assert.deepEqual(models[0], { id: 'anthropic/claude-opus-4.5', name: 'Claude Opus 4.5', contextLength: 200000, pricing: { input: 4, output: 20, cacheRead: 0.4 } });
    assert.equal(models[2]?.pricing, undefined);
    assert.deepEqual(problems, ['entry 3 has no model id; skipped']);
  });

  it('fetches the list from the gateway with the token', async () => {
    const models = await fetchGatewayModels({ token: TOKEN, baseUrl: gw.base });
    assert.equal(models.length, 3);
  });

  it('says the token was refused without showing it', async () => {
    await assert.rejects(fetchGatewayModels({ token: 'wrong-token-xyz', baseUrl: gw.base }), (e: Error) => {
      assert.match(e.message, /refused the token \(HTTP 401\)/);
      assert.doesNotMatch(e.message, /wrong-token-xyz/);
      return true;
    });
  });

  it('gives up on a gateway that does not answer', async () => {
    gw.hang = true;
    await assert.rejects(fetchGatewayModels({ token: TOKEN, baseUrl: gw.base, timeoutMs: 100 }), /no answer within 100 ms/);
  });

  it('fetches once a day and serves the cache in between', async () => {
    const catalog = new GatewayCatalog({ cache: memoryCache(), now, baseUrl: gw.base });
    assert.equal((await catalog.get(TOKEN)).source, 'live');
    clock += 23 * 3_600_000;
    const cached = await catalog.get(TOKEN);
    assert.equal(cached.source, 'cache');
    assert.equal(gw.requests, 1);
    clock += 2 * 3_600_000;
    assert.equal((await catalog.get(TOKEN)).source, 'live');
    assert.equal(gw.requests, 2);
  });

  it('serves the last list when offline, and says how old it is', async () => {
    const cache = memoryCache();
    await new GatewayCatalog({ cache, now, baseUrl: gw.base }).get(TOKEN);
    await gw.stop();
    clock += 3 * 86_400_000;
    const r = await new GatewayCatalog({ cache, now, baseUrl: gw.base, timeoutMs: 500 }).get(TOKEN);
    assert.equal(r.source, 'cache');
    assert.match(r.error ?? '', /cannot reach the Kilo gateway/);
    const f = freshness(r, clock);
    assert.equal(f.state, 'stale');
    assert.match(f.text, /^Prices from the Kilo gateway, fetched 3 days ago, out of date \(cannot reach/);
    gw = new Gateway();
    await gw.start();
  });

  it('falls back to the built-in profiles with no token and no cache', async () => {
    const r = await new GatewayCatalog({ cache: memoryCache(), now, baseUrl: gw.base }).get(undefined);
    assert.equal(r.source, 'embedded');
    assert.equal(gw.requests, 0);
    assert.match(freshness(r, clock).text, /^Prices from the built-in profiles \(no Kilo token/);
  });

  it('keeps the cache in a file across instances', async () => {
    const p = tempProject();
    try {
      const cache = fileCatalogCache(path.join(p.dir, 'catalog.json'));
      await new GatewayCatalog({ cache, now, baseUrl: gw.base }).get(TOKEN);
      clock += 60_000;
      const r = await new GatewayCatalog({ cache: fileCatalogCache(path.join(p.dir, 'catalog.json')), now, baseUrl: gw.base }).get(TOKEN);
      assert.equal(r.source, 'cache');
      assert.equal(freshness(r, clock).text, 'Prices from the Kilo gateway, fetched 1 min ago.');
      assert.equal(gw.requests, 1);
    } finally {
      p.cleanup();
    }
  });

  it('does not use a cache from another gateway URL', async () => {
    const cache = memoryCache();
    await new GatewayCatalog({ cache, now, baseUrl: gw.base }).get(TOKEN);
    const r = await new GatewayCatalog({ cache, now, baseUrl: `${gw.base}/`.replace('127.0.0.1', 'localhost') }).get(undefined);
    assert.equal(r.source, 'embedded');
  });

  it('refreshes profile prices and context windows and lists what the gateway serves', async () => {
    const models = await fetchGatewayModels({ token: TOKEN, baseUrl: gw.base });
    const snapshot: CatalogSnapshot = { fetchedAt: clock, baseUrl: gw.base, models };
    const { config } = loadDefaultConfig();
    const r = applyCatalog(config, snapshot);
    assert.deepEqual(r.available.sort(), ['claude-haiku-4.5', 'claude-opus-4.5', 'kilo-auto-balanced']);
    assert.ok(r.updated.includes('claude-opus-4.5') && r.updated.includes('claude-haiku-4.5'));
    assert.deepEqual(r.config.modelProfiles['kilo-auto-balanced']?.pricing, config.modelProfiles['kilo-auto-balanced']?.pricing, 'a router without a fixed price keeps its profile price');
    assert.ok(r.missing.includes('gpt-5.1'));
    assert.deepEqual(r.config.modelProfiles['claude-opus-4.5']?.pricing, { input: 4, output: 20, cacheRead: 0.4 });
    assert.equal(r.config.modelProfiles['claude-haiku-4.5']?.contextWindow, 180000);
    assert.equal(r.config.modelProfiles['claude-haiku-4.5']?.pricing.cacheRead, 0.1, 'unlisted cache price keeps the profile one');
    assert.match(r.config.modelProfiles['claude-opus-4.5']?.source['pricing'] ?? '', /Kilo gateway model list .*fetched 2026-11-24T12:00:00.000Z/);
    assert.equal(config.modelProfiles['claude-opus-4.5']?.pricing.input, 5, 'input config untouched');
  });

  it('expresses the refresh as a settings overlay the engine accepts', async () => {
    const models = await fetchGatewayModels({ token: TOKEN, baseUrl: gw.base });
    const overlay = catalogOverlay(loadDefaultConfig().config, { fetchedAt: clock, baseUrl: gw.base, models });
    const layer = overlayFromObject(overlay, 'state.json settings').layer;
    const { config } = resolveConfig([parseDefaultLayer({}).layer, layer]);
    assert.equal(config.modelProfiles['claude-opus-4.5']?.pricing.output, 20);
  });
});
