// The Kilo gateway's live model list: current prices and context windows for the profiles, and
// which profiles the gateway can serve at all. Fetched with the user's Kilo token (the caller
// reads it from SecretStorage), cached for a day, and never required: offline, the embedded
// profiles stand, and freshness() says so.
import { readFileSync } from 'node:fs';
import type { ModelProfile, RoutingConfig } from '../engine';
import { writeFileAtomic } from './state';

/** The gateway's base URL; `<base>/models` lists models, `<base>/chat/completions` serves them. */
export const DEFAULT_GATEWAY_URL = 'https://api.kilo.ai/api/gateway';
/** How long a fetched list counts as fresh. */
export const CATALOG_TTL_MS = 24 * 60 * 60 * 1000;

/** One gateway model, prices converted to USD per million tokens (the profiles' unit). */
export interface CatalogModel {
  /** `vendor/model`, as the gateway and Kilo name it. */
  id: string;
  name?: string | undefined;
  contextLength?: number | undefined;
  /** Absent when the gateway gives no fixed price (routers such as `kilo-auto/*`). */
  pricing?: { input: number; output: number; cacheRead?: number | undefined } | undefined;
}

/** A fetched list and when and where it came from. */
export interface CatalogSnapshot {
  /** Epoch milliseconds of the fetch. */
  fetchedAt: number;
  baseUrl: string;
  models: CatalogModel[];
}

/** The gateway could not be read; the message never contains the token. */
export class CatalogError extends Error {
  override readonly name = 'CatalogError';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** USD per token as the gateway writes it ("0.000003") → USD per million tokens; undefined if unusable. */
function perMillion(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : NaN;
  if (!Number.isFinite(n) || n < 0) return undefined;
  return Math.round(n * 1e6 * 1e6) / 1e6;
}

/**
 * Reads the OpenRouter-shaped list (`{data: [{id, name, context_length, pricing: {prompt,
 * completion, input_cache_read}}]}`, or the array alone). Entries without an id are skipped
 * and reported; entries without usable prices are kept without `pricing`.
 */
export function parseGatewayModels(json: unknown): { models: CatalogModel[]; problems: string[] } {
  const list = Array.isArray(json) ? json : isObj(json) && Array.isArray(json['data']) ? json['data'] : undefined;
  if (!list) return { models: [], problems: ['the model list is not {"data": [...]} or an array'] };
  const models: CatalogModel[] = [];
  const problems: string[] = [];
  list.forEach((entry: unknown, i) => {
    if (!isObj(entry) || typeof entry['id'] !== 'string' || entry['id'] === '') {
      problems.push(`entry ${i} has no model id; skipped`);
      return;
    }
    const m: CatalogModel = { id: entry['id'] };
    if (typeof entry['name'] === 'string') m.name = entry['name'];
    const ctx = entry['context_length'];
    if (typeof ctx === 'number' && Number.isFinite(ctx) && ctx > 0) m.contextLength = Math.floor(ctx);
    const p = isObj(entry['pricing']) ? entry['pricing'] : undefined;
    const input = perMillion(p?.['prompt']);
    const output = perMillion(p?.['completion']);
    if (input !== undefined && output !== undefined) {
      const cacheRead = perMillion(p?.['input_cache_read']);
      m.pricing = { input, output, ...(cacheRead !== undefined ? { cacheRead } : {}) };
    }
    models.push(m);
  });
  return { models, problems };
}

export interface FetchOptions {
  token: string;
  baseUrl?: string | undefined;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch | undefined;
  timeoutMs?: number | undefined;
}

/** GETs `<base>/models` with the token. Throws {@link CatalogError} with a message for the user. */
export async function fetchGatewayModels(options: FetchOptions): Promise<CatalogModel[]> {
  const base = (options.baseUrl ?? DEFAULT_GATEWAY_URL).replace(/\/+$/, '');
  const url = `${base}/models`;
  const doFetch = options.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(url, {
      headers: { Authorization: `Bearer ${options.token}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (err) {
    const why = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError') ? `no answer within ${options.timeoutMs ?? 10_000} ms` : describeNetwork(err);
    throw new CatalogError(`cannot reach the Kilo gateway at ${url}: ${why}`);
  }
  if (res.status === 401 || res.status === 403) throw new CatalogError(`the Kilo gateway refused the token (HTTP ${res.status}); sign in to Kilo again`);
  if (!res.ok) throw new CatalogError(`the Kilo gateway answered HTTP ${res.status} for ${url}`);
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new CatalogError(`the Kilo gateway's model list at ${url} is not JSON`);
  }
  const { models, problems } = parseGatewayModels(json);
  if (models.length === 0) throw new CatalogError(`the Kilo gateway's model list at ${url} has no usable model${problems[0] ? ` (${problems[0]})` : ''}`);
  return models;
}

function describeNetwork(err: unknown): string {
  const cause = err instanceof Error && isObj(err.cause) ? err.cause : undefined;
  const code = typeof cause?.['code'] === 'string' ? cause['code'] : undefined;
  return code ?? (err instanceof Error ? err.message : String(err));
}

/** Where a snapshot is kept between runs (the extension's global storage, a file). */
export interface CatalogCache {
  read: () => string | undefined;
  write: (text: string) => void;
}

/** A cache in one JSON file, written atomically. */
export function fileCatalogCache(file: string): CatalogCache {
  return {
    read: () => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
    write: (text) => writeFileAtomic(file, text),
  };
}

/** What {@link GatewayCatalog.get} came to. */
export interface CatalogResult {
  /** `live`: fetched now; `cache`: a stored list (fresh, or stale when the fetch failed); `embedded`: none at all. */
  source: 'live' | 'cache' | 'embedded';
  snapshot?: CatalogSnapshot | undefined;
  /** Why a fetch was not made or failed. */
  error?: string | undefined;
}

export interface GatewayCatalogOptions {
  cache: CatalogCache;
  now: () => number;
  baseUrl?: string | undefined;
  fetch?: typeof fetch | undefined;
  ttlMs?: number | undefined;
  timeoutMs?: number | undefined;
}

function readSnapshot(text: string | undefined): CatalogSnapshot | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    if (!isObj(v) || typeof v['fetchedAt'] !== 'number' || typeof v['baseUrl'] !== 'string') return undefined;
    const { models } = parseGatewayModelsFromSnapshot(v['models']);
    return { fetchedAt: v['fetchedAt'], baseUrl: v['baseUrl'], models };
  } catch {
    return undefined;
  }
}

function parseGatewayModelsFromSnapshot(v: unknown): { models: CatalogModel[] } {
  if (!Array.isArray(v)) return { models: [] };
  return { models: v.filter((m): m is CatalogModel => isObj(m) && typeof m['id'] === 'string') };
}

/** The gateway's list with a one-day cache; offline it serves the last list it had, or none. */
export class GatewayCatalog {
  readonly baseUrl: string;
  private readonly options: GatewayCatalogOptions;

  constructor(options: GatewayCatalogOptions) {
    this.options = options;
    this.baseUrl = (options.baseUrl ?? DEFAULT_GATEWAY_URL).replace(/\/+$/, '');
  }

  /** The cached list if fresh, else a fetch (with a token), else the stale cache, else nothing. */
  async get(token: string | undefined, opts: { force?: boolean } = {}): Promise<CatalogResult> {
    const cached = readSnapshot(this.options.cache.read());
    const usable = cached && cached.baseUrl === this.baseUrl ? cached : undefined;
    const ttl = this.options.ttlMs ?? CATALOG_TTL_MS;
    if (usable && !opts.force && this.options.now() - usable.fetchedAt < ttl) return { source: 'cache', snapshot: usable };
    if (!token) {
      const error = 'no Kilo token: sign in to Kilo to refresh prices from the gateway';
      return usable ? { source: 'cache', snapshot: usable, error } : { source: 'embedded', error };
    }
    try {
      const models = await fetchGatewayModels({ token, baseUrl: this.baseUrl, fetch: this.options.fetch, timeoutMs: this.options.timeoutMs });
      const snapshot: CatalogSnapshot = { fetchedAt: this.options.now(), baseUrl: this.baseUrl, models };
      try {
        this.options.cache.write(JSON.stringify(snapshot));
      } catch {
        // A cache that cannot be written only costs a refetch next time.
      }
      return { source: 'live', snapshot };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      return usable ? { source: 'cache', snapshot: usable, error } : { source: 'embedded', error };
    }
  }
}

/** How fresh the prices in use are, in one sentence for the panel. */
export interface Freshness {
  state: 'live' | 'fresh' | 'stale' | 'embedded';
  ageMs?: number | undefined;
  text: string;
}

function age(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.round(ms / 3_600_000);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(ms / 86_400_000)} days ago`;
}

export function freshness(result: CatalogResult, now: number, ttlMs: number = CATALOG_TTL_MS): Freshness {
  const s = result.snapshot;
  if (!s) return { state: 'embedded', text: `Prices from the built-in profiles${result.error ? ` (${result.error})` : ''}.` };
  const ageMs = Math.max(0, now - s.fetchedAt);
  if (result.source === 'live') return { state: 'live', ageMs, text: `Prices from the Kilo gateway, fetched ${age(ageMs)}.` };
  const stale = ageMs >= ttlMs;
  return {
    state: stale ? 'stale' : 'fresh',
    ageMs,
    text: `Prices from the Kilo gateway, fetched ${age(ageMs)}${stale ? ', out of date' : ''}${result.error ? ` (${result.error})` : ''}.`,
  };
}

/** The catalog entry for a profile: its `kiloModel`, with or without a gateway provider prefix. */
function entryFor(profile: ModelProfile, byId: ReadonlyMap<string, CatalogModel>): CatalogModel | undefined {
  const k = profile.kiloModel;
  if (!k) return undefined;
  return byId.get(k) ?? byId.get(k.replace(/^(kilo|kilocode)\//, ''));
}

export interface AppliedCatalog {
  /** The config with refreshed prices and context windows. */
  config: RoutingConfig;
  /** Profiles whose figures changed. */
  updated: string[];
  /** Profiles the gateway serves: the candidate list when routing through the gateway. */
  available: string[];
  /** Profiles with a Kilo model the gateway does not list. */
  missing: string[];
}

/**
 * Refreshes each profile's prices and context window from the gateway's list, noting the
 * source, and reports which profiles the gateway serves. Pure: the config passed in is kept.
 */
export function applyCatalog(config: RoutingConfig, snapshot: CatalogSnapshot): AppliedCatalog {
  const byId = new Map(snapshot.models.map((m) => [m.id, m]));
  const when = new Date(snapshot.fetchedAt).toISOString();
  const modelProfiles: Record<string, ModelProfile> = {};
  const updated: string[] = [];
  const available: string[] = [];
  const missing: string[] = [];
  for (const [id, p] of Object.entries(config.modelProfiles)) {
    const entry = entryFor(p, byId);
    if (!entry) {
      if (p.kiloModel) missing.push(id);
      modelProfiles[id] = p;
      continue;
    }
    available.push(id);
    const next: ModelProfile = { ...p, source: { ...p.source } };
    if (entry.pricing) {
      next.pricing = { input: entry.pricing.input, output: entry.pricing.output, cacheRead: entry.pricing.cacheRead ?? p.pricing.cacheRead };
      next.source['pricing'] = `Kilo gateway model list (${snapshot.baseUrl}/models), fetched ${when}`;
    }
    if (entry.contextLength) {
      next.contextWindow = entry.contextLength;
      next.source['contextWindow'] = `Kilo gateway model list, fetched ${when}`;
    }
    const changed =
      next.pricing.input !== p.pricing.input || next.pricing.output !== p.pricing.output || next.pricing.cacheRead !== p.pricing.cacheRead || next.contextWindow !== p.contextWindow;
    if (changed) updated.push(id);
    modelProfiles[id] = next;
  }
  return { config: { ...config, modelProfiles }, updated, available, missing };
}

/**
 * The same refresh as a settings overlay (shaped like `routing.convergence`), for the
 * `settings` of state.json, so the Kilo plugin routes on the prices the panel shows.
 */
export function catalogOverlay(config: RoutingConfig, snapshot: CatalogSnapshot): Record<string, unknown> {
  const { config: next, updated } = applyCatalog(config, snapshot);
  const modelProfiles: Record<string, unknown> = {};
  for (const id of updated) {
    const p = next.modelProfiles[id] as ModelProfile;
    modelProfiles[id] = {
      pricing: { input: p.pricing.input, output: p.pricing.output, ...(p.pricing.cacheRead !== undefined ? { cacheRead: p.pricing.cacheRead } : {}) },
      contextWindow: p.contextWindow,
      source: Object.fromEntries(['pricing', 'contextWindow'].flatMap((k) => (p.source[k] ? [[k, p.source[k]]] : []))),
    };
  }
  return { modelProfiles };
}
