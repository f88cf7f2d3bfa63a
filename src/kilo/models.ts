import type { ModelProfile, RoutingConfig } from '../engine';

/** A model as Kilo names it in `output.message.model`. */
export interface KiloModelRef {
  providerID: string;
  modelID: string;
}

/** `provider/model`, the form Kilo's config and `-m` use. */
export const modelKey = (ref: KiloModelRef): string => `${ref.providerID}/${ref.modelID}`;

/** Splits `provider/model` at the first slash (model ids may contain slashes themselves). */
export function parseModelKey(key: string): KiloModelRef | undefined {
  const i = key.indexOf('/');
  if (i <= 0 || i === key.length - 1) return undefined;
  return { providerID: key.slice(0, i), modelID: key.slice(i + 1) };
}

/** Providers that serve other vendors' models under the vendor's own `vendor/model` id. */
const GATEWAYS = ['kilo', 'kilocode', 'openrouter'];

/**
 * The models Kilo can run right now, from its provider list. A profile's `kiloModel`
 * (`anthropic/claude-opus-4.5`) resolves to the provider of that name, or to a gateway that
 * serves the same id (`kilo` → model `anthropic/claude-opus-4.5`).
 */
export class KnownModels {
  private readonly keys = new Set<string>();
  /** model id → providers that serve it. */
  private readonly byModel = new Map<string, string[]>();

  constructor(refs: Iterable<KiloModelRef>) {
    for (const r of refs) {
      const k = modelKey(r);
      if (this.keys.has(k)) continue;
      this.keys.add(k);
      const list = this.byModel.get(r.modelID) ?? [];
      list.push(r.providerID);
      this.byModel.set(r.modelID, list);
    }
  }

  get size(): number {
    return this.keys.size;
  }

  has(ref: KiloModelRef): boolean {
    return this.keys.has(modelKey(ref));
  }

  /** Every known model, `provider/model`, sorted. */
  list(): string[] {
    return [...this.keys].sort();
  }

  /**
   * Where Kilo can run a profile's model: the exact `provider/model`, else a provider that serves
   * the whole id as its model id (preferring `preferProvider`, then the Kilo gateway).
   */
  resolve(kiloModel: string, preferProvider?: string): KiloModelRef | undefined {
    const exact = parseModelKey(kiloModel);
    if (exact && this.has(exact)) return exact;
    const providers = this.byModel.get(kiloModel);
    if (!providers || providers.length === 0) return undefined;
    const ranked = [...providers].sort((a, b) => rank(a, preferProvider) - rank(b, preferProvider) || (a < b ? -1 : 1));
    return { providerID: ranked[0] as string, modelID: kiloModel };
  }
}

function rank(provider: string, prefer: string | undefined): number {
  if (provider === prefer) return 0;
  const g = GATEWAYS.indexOf(provider);
  return g === -1 ? GATEWAYS.length + 1 : g + 1;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * From the answer of Kilo's `GET /config/providers` (`client.config.providers()`):
 * `{providers: [{id, models: {<modelID>: {...}}}], default}`. Unknown shapes give no models.
 */
export function knownModelsFromProviders(data: unknown): KnownModels {
  const refs: KiloModelRef[] = [];
  const providers = isObj(data) ? data['providers'] : undefined;
  if (Array.isArray(providers)) {
    for (const p of providers) {
      if (!isObj(p) || typeof p['id'] !== 'string' || !isObj(p['models'])) continue;
      for (const modelID of Object.keys(p['models'])) refs.push({ providerID: p['id'], modelID });
    }
  }
  return new KnownModels(refs);
}

/**
 * From Kilo's resolved config (the `config` hook's argument): the models declared under
 * `provider.<id>.models`, honouring `enabled_providers` and `disabled_providers`. This misses
 * providers whose model lists come from Kilo's catalog, so it is the fallback when the
 * provider list cannot be had in time.
 */
export function knownModelsFromConfig(config: unknown): KnownModels {
  const refs: KiloModelRef[] = [];
  if (!isObj(config) || !isObj(config['provider'])) return new KnownModels(refs);
  const enabled = Array.isArray(config['enabled_providers']) ? (config['enabled_providers'] as unknown[]) : undefined;
  const disabled = Array.isArray(config['disabled_providers']) ? (config['disabled_providers'] as unknown[]) : [];
  for (const [providerID, p] of Object.entries(config['provider'])) {
    if (enabled && !enabled.includes(providerID)) continue;
    if (disabled.includes(providerID)) continue;
    if (!isObj(p) || !isObj(p['models'])) continue;
    for (const modelID of Object.keys(p['models'])) refs.push({ providerID, modelID });
  }
  return new KnownModels(refs);
}

/**
 * The profile for a model Kilo ran (`local/strong`, `kilo/anthropic/claude-opus-4.5`): the one
 * whose `kiloModel` is that id, or that id without a gateway's provider prefix.
 */
export function profileForKiloModel(config: RoutingConfig, key: string): ModelProfile | undefined {
  const lower = key.toLowerCase();
  const slash = lower.indexOf('/');
  const withoutProvider = slash > 0 ? lower.slice(slash + 1) : undefined;
  let viaGateway: ModelProfile | undefined;
  for (const p of Object.values(config.modelProfiles)) {
    const k = p.kiloModel?.toLowerCase();
    if (k === undefined) continue;
    if (k === lower) return p;
    if (k === withoutProvider) viaGateway ??= p;
  }
  return viaGateway;
}
