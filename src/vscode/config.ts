/**
 * The extension's settings as one typed, frozen snapshot. Mirrors `contributes.configuration`
 * in package.json field for field; adding a setting is the four steps in CONTRIBUTING.md.
 * No `vscode` import: the reader takes a {@link SettingsReader}, so it runs in unit tests.
 */

/** The settings section; every key below is under it. */
export const SECTION = 'convergence';

/** The weights' setting keys, in the order the panel shows them. */
export const WEIGHT_KEYS = ['convergence', 'latency', 'cost', 'patternMatch'] as const;
export type WeightKey = (typeof WEIGHT_KEYS)[number];

/** Review (the design's "Mode 2") settings; each overrides `routing.convergence.opus.*`. */
export interface ReviewConfig {
  /** `convergence.review.enabled`: review generated code with Claude. */
  readonly enabled: boolean;
  /** `convergence.review.endpoint`: Messages API base URL; empty = SDK default. Restricted in untrusted workspaces. */
  readonly endpoint: string;
  /** `convergence.review.model`: the reviewing model. */
  readonly model: string;
  /** `convergence.review.timeoutMs`: review timeout; routing never waits for it. */
  readonly timeoutMs: number;
  /** `convergence.review.cache`: cache reviews by code hash. */
  readonly cache: boolean;
  /** `convergence.review.cacheTtlHours`: lifetime of a cached review. */
  readonly cacheTtlHours: number;
  /** `convergence.review.maxCodeChars`: code sent is cut to this many characters. */
  readonly maxCodeChars: number;
}

/** Edit tracking (feeds the pattern tracker). */
export interface TrackingConfig {
  /** `convergence.tracking.debounceMs`: quiet time after the last edit before analysis. */
  readonly debounceMs: number;
  /** `convergence.tracking.maxFileSizeKb`: larger documents are skipped. */
  readonly maxFileSizeKb: number;
  /** `convergence.tracking.exclude`: globs of files never analysed. */
  readonly exclude: readonly string[];
}

/** Learning from outcomes and the rollout experiment (docs/learning.md); none of these is in the routing config file. */
export interface LearningConfig {
  /** `convergence.learning.enabled`: route with what was learned; off = profiles alone (outcomes still recorded). */
  readonly enabled: boolean;
  /** `convergence.rolloutPercent`: share (0–100) of requests routed by convergence; the rest by the old latency rule. */
  readonly rolloutPercent: number;
  /** `convergence.exploration.*`: the most exploring may take, as shares (0–1) of decisions and of spend. */
  readonly exploration: { readonly maxRequestShare: number; readonly maxBudgetShare: number };
}

/** Every setting of the extension, read once per change. */
export interface Config {
  /** `convergence.enabled`: convergence scoring on; off means latency fallback. */
  readonly enabled: boolean;
  /** `convergence.weights.*`: the four weights, 0–1 each, normalised by the engine. */
  readonly weights: Readonly<Record<WeightKey, number>>;
  /** `convergence.thresholds.*`: the risk gates. */
  readonly thresholds: { readonly minConvergence: number; readonly minRobustness: number };
  readonly review: ReviewConfig;
  /** `convergence.models.*`: candidate filters and stickiness. */
  readonly models: { readonly allow: readonly string[]; readonly deny: readonly string[]; readonly stickiness: number };
  /** `convergence.maxCostPerRequest`: USD cap per request; null = none. */
  readonly maxCostPerRequest: number | null;
  /** `convergence.configPath`: the workspace YAML file. Restricted in untrusted workspaces. */
  readonly configPath: string;
  /** `convergence.hover.enabled`: the inline score hover. */
  readonly hover: { readonly enabled: boolean };
  readonly tracking: TrackingConfig;
  readonly learning: LearningConfig;
  /** `convergence.kilo.gatewayUrl`: the Kilo gateway whose model list refreshes prices. Restricted in untrusted workspaces. */
  readonly kilo: { readonly gatewayUrl: string };
  /**
   * Keys (without `convergence.`) that the user set. Only these override the config file, so
   * the manifest defaults never shadow a workspace's YAML.
   */
  readonly userSet: ReadonlySet<string>;
}

/** Where settings come from: `vscode.workspace.getConfiguration('convergence')` in the host. */
export interface SettingsReader {
  /** The effective value (user, workspace or the manifest default). */
  get(key: string): unknown;
  /** True when a user or workspace value is set for `key`. */
  isSet(key: string): boolean;
}

/** The outcome of reading settings: the snapshot, and one message per value that was refused. */
export interface ReadResult {
  config: Config;
  /** `convergence.weights.cost: must be a number between 0 and 1 (got "high"); keeping 0.2`. */
  problems: string[];
}

/** The manifest defaults, the same figures as config/convergence-routing.yaml. */
export const DEFAULTS: Config = deepFreeze({
  enabled: true,
  weights: { convergence: 0.45, latency: 0.25, cost: 0.2, patternMatch: 0.1 },
  thresholds: { minConvergence: 0.65, minRobustness: 70 },
  review: { enabled: true, endpoint: '', model: 'claude-opus-4-5-20251101', timeoutMs: 5000, cache: true, cacheTtlHours: 24, maxCodeChars: 2000 },
  models: { allow: [], deny: ['kilo-auto/free', 'kilo-auto/small', 'qwen2.5-coder-32b'], stickiness: 0.05 },
  maxCostPerRequest: null,
  configPath: '.kilo/convergence-routing.yaml',
  hover: { enabled: true },
  tracking: { debounceMs: 750, maxFileSizeKb: 512, exclude: ['**/node_modules/**', '**/dist/**', '**/out/**', '**/*.min.js'] },
  learning: { enabled: true, rolloutPercent: 100, exploration: { maxRequestShare: 0.05, maxBudgetShare: 0.05 } },
  kilo: { gatewayUrl: 'https://api.kilo.ai/api/gateway' },
  userSet: new Set<string>(),
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Set)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

/**
 * Reads every setting. A value of the wrong type or out of range is refused with a message
 * naming the setting, and the previous snapshot's value (the last good one) is kept.
 */
export function readConfig(source: SettingsReader, previous: Config = DEFAULTS): ReadResult {
  const problems: string[] = [];
  const userSet = new Set<string>();
  const refuse = <T>(key: string, got: unknown, rule: string, keep: T): T => {
    problems.push(`${SECTION}.${key}: ${rule} (got ${show(got)}); keeping ${show(keep)}`);
    return keep;
  };
  const raw = (key: string): unknown => {
    if (source.isSet(key)) userSet.add(key);
    return source.get(key);
  };
  const bool = (key: string, keep: boolean): boolean => {
    const v = raw(key);
    return typeof v === 'boolean' ? v : v === undefined ? keep : refuse(key, v, 'must be true or false', keep);
  };
  const num = (key: string, min: number, max: number, keep: number): number => {
    const v = raw(key);
    if (v === undefined) return keep;
    return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : refuse(key, v, `must be a number between ${min} and ${max}`, keep);
  };
  const str = (key: string, keep: string, check?: (s: string) => string | undefined): string => {
    const v = raw(key);
    if (v === undefined) return keep;
    if (typeof v !== 'string') return refuse(key, v, 'must be a string', keep);
    const bad = check?.(v);
    return bad === undefined ? v : refuse(key, v, bad, keep);
  };
  const list = (key: string, keep: readonly string[]): readonly string[] => {
    const v = raw(key);
    if (v === undefined) return keep;
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? [...v] : refuse(key, v, 'must be a list of strings', keep);
  };
  const p = previous;
  const capRaw = raw('maxCostPerRequest');
  const maxCostPerRequest =
    capRaw === null || capRaw === undefined
      ? null
      : typeof capRaw === 'number' && Number.isFinite(capRaw) && capRaw >= 0
        ? capRaw
        : refuse('maxCostPerRequest', capRaw, 'must be a number >= 0 or null', p.maxCostPerRequest);

  const config: Config = {
    enabled: bool('enabled', p.enabled),
    weights: {
      convergence: num('weights.convergence', 0, 1, p.weights.convergence),
      latency: num('weights.latency', 0, 1, p.weights.latency),
      cost: num('weights.cost', 0, 1, p.weights.cost),
      patternMatch: num('weights.patternMatch', 0, 1, p.weights.patternMatch),
    },
    thresholds: {
      minConvergence: num('thresholds.minConvergence', 0, 1, p.thresholds.minConvergence),
      minRobustness: num('thresholds.minRobustness', 0, 100, p.thresholds.minRobustness),
    },
    review: {
      enabled: bool('review.enabled', p.review.enabled),
      endpoint: str('review.endpoint', p.review.endpoint, (s) => (s === '' || /^https?:\/\/\S+$/.test(s) ? undefined : 'must be an http(s) URL or empty')),
      model: str('review.model', p.review.model, (s) => (/\S/.test(s) ? undefined : 'must be a model id')),
      timeoutMs: num('review.timeoutMs', 100, 600_000, p.review.timeoutMs),
      cache: bool('review.cache', p.review.cache),
      cacheTtlHours: num('review.cacheTtlHours', 0, 8760, p.review.cacheTtlHours),
      maxCodeChars: num('review.maxCodeChars', 100, 1_000_000, p.review.maxCodeChars),
    },
    models: {
      allow: list('models.allow', p.models.allow),
      deny: list('models.deny', p.models.deny),
      stickiness: num('models.stickiness', 0, 1, p.models.stickiness),
    },
    maxCostPerRequest,
    configPath: str('configPath', p.configPath),
    hover: { enabled: bool('hover.enabled', p.hover.enabled) },
    tracking: {
      debounceMs: num('tracking.debounceMs', 50, 60_000, p.tracking.debounceMs),
      maxFileSizeKb: num('tracking.maxFileSizeKb', 1, 100_000, p.tracking.maxFileSizeKb),
      exclude: list('tracking.exclude', p.tracking.exclude),
    },
    learning: {
      enabled: bool('learning.enabled', p.learning.enabled),
      rolloutPercent: num('rolloutPercent', 0, 100, p.learning.rolloutPercent),
      exploration: {
        maxRequestShare: num('exploration.maxRequestShare', 0, 1, p.learning.exploration.maxRequestShare),
        maxBudgetShare: num('exploration.maxBudgetShare', 0, 1, p.learning.exploration.maxBudgetShare),
      },
    },
    kilo: { gatewayUrl: str('kilo.gatewayUrl', p.kilo.gatewayUrl, (s) => (/^https?:\/\/\S+$/.test(s) ? undefined : 'must be an http(s) URL')) },
    userSet,
  };
  return { config: deepFreeze(config), problems };
}

/**
 * The settings the user set, as an overlay shaped like `routing.convergence` for the engine's
 * `overlayFromObject`. Settings the user left alone are absent, so the YAML file shows through.
 */
export function settingsOverlay(config: Config): Record<string, unknown> {
  const set = (key: string): boolean => config.userSet.has(key);
  const out: Record<string, Record<string, unknown> | boolean> = {};
  const into = (section: string, key: string, value: unknown): void => {
    const s = (out[section] ??= {}) as Record<string, unknown>;
    s[key] = value;
  };
  if (set('enabled')) out['enabled'] = config.enabled;
  for (const k of WEIGHT_KEYS) if (set(`weights.${k}`)) into('weights', k, config.weights[k]);
  if (set('thresholds.minConvergence')) into('thresholds', 'minConvergence', config.thresholds.minConvergence);
  if (set('thresholds.minRobustness')) into('thresholds', 'minRobustness', config.thresholds.minRobustness);
  if (set('review.enabled')) into('opus', 'enabled', config.review.enabled);
  if (set('review.endpoint')) into('opus', 'endpoint', config.review.endpoint);
  if (set('review.model')) into('opus', 'model', config.review.model);
  if (set('review.timeoutMs')) into('opus', 'timeout', config.review.timeoutMs);
  if (set('review.cache')) into('opus', 'cache', config.review.cache);
  if (set('review.cacheTtlHours')) into('opus', 'cacheTTL', config.review.cacheTtlHours * 3_600_000);
  if (set('review.maxCodeChars')) into('opus', 'maxCodeChars', config.review.maxCodeChars);
  if (set('models.allow')) into('selection', 'allow', [...config.models.allow]);
  if (set('models.deny')) into('selection', 'deny', [...config.models.deny]);
  if (set('models.stickiness')) into('selection', 'stickiness', config.models.stickiness);
  if (set('maxCostPerRequest')) into('selection', 'maxCostPerRequest', config.maxCostPerRequest);
  return out;
}

/** True when a settings change needs the routing config rebuilt (hover and tracking keys do not). */
export function affectsRouting(changed: (key: string) => boolean): boolean {
  const routing = ['enabled', 'weights', 'thresholds', 'review', 'models', 'maxCostPerRequest', 'configPath'];
  return routing.some((k) => changed(`${SECTION}.${k}`));
}
