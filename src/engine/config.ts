import { isMap, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import type { Document } from 'yaml';
import { STRENGTHS } from './types';
import type {
  Evidence,
  ModelProfile,
  Pricing,
  ReviewSettings,
  RoutingConfig,
  SelectionSettings,
  Speed,
  Strength,
  Thresholds,
  Weights,
} from './types';

/** One problem found in a config source, with where it is. */
export interface ConfigIssue {
  /** File name, or a label such as `settings` for values that came from VS Code settings. */
  file: string;
  /** 1-based; 0 when the source has no lines (settings). */
  line: number;
  column: number;
  /** Dotted key path, e.g. `routing.convergence.weights.cost`. */
  path: string;
  /** The offending value as written (JSON), empty when a key is missing. */
  value: string;
  message: string;
}

/** Formats an issue as `file:line:col: path: message (got value)`. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  const got = issue.value === '' ? '' : ` (got ${issue.value})`;
  const path = issue.path === '' ? '' : `${issue.path}: `;
  return `${where}: ${path}${issue.message}${got}`;
}

/** A config source that cannot be used. Nothing from it is applied. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(first ? formatIssue(first) + more : 'invalid configuration');
    this.issues = issues;
  }
}

/** A partial profile as a layer states it; merged over the profile of the same id, if any. */
export type ProfileOverlay = Partial<Omit<ModelProfile, 'id' | 'pricing' | 'speed' | 'source'>> & {
  pricing?: Partial<Pricing>;
  speed?: Partial<Speed>;
  source?: Record<string, string>;
};

/** What one config layer (defaults, a file, settings) says; everything is optional. */
export interface ConfigOverlay {
  enabled?: boolean;
  weights?: Partial<Weights>;
  thresholds?: Partial<Thresholds>;
  opus?: Partial<ReviewSettings>;
  selection?: Partial<SelectionSettings>;
  modelProfiles?: Record<string, ProfileOverlay>;
}

/** A validated layer, with the positions of its keys so later checks can point at them. */
export interface ConfigLayer {
  file: string;
  overlay: ConfigOverlay;
  /**
   * Position of a key path in the source, when it has one: of its value (default) or of the
   * key itself. A path that is not there resolves to its deepest existing ancestor.
   */
  locate: (path: string, at?: 'key' | 'value') => { line: number; column: number } | undefined;
}

export interface ParseOptions {
  /** Name used in messages. */
  file: string;
  /** Values for `${NAME}` and `${NAME:-default}`. */
  env: Readonly<Record<string, string | undefined>>;
}

export interface ParseResult {
  layer: ConfigLayer;
  warnings: string[];
}

type Json = unknown;
type Obj = Record<string, Json>;

const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: Json): string => (v === undefined ? '' : (JSON.stringify(v) ?? 'undefined'));

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;
const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `5000ms`, `5s`, `24h`, `1d` or a plain number of milliseconds. */
export function parseDuration(value: Json): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value !== 'string') return undefined;
  const m = DURATION.exec(value.trim());
  if (!m?.[1] || !m[2]) return undefined;
  return Number(m[1]) * (DURATION_MS[m[2]] ?? 1);
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${NAME}` / `${NAME:-default}` in every string scalar. A value that becomes a
 * number or boolean after substitution is read as one, so `${TIMEOUT_MS}` works for numbers.
 */
function interpolate(doc: Document, env: ParseOptions['env'], warn: (path: string, msg: string) => void): void {
  visit(doc, {
    Scalar(_key, node, ancestors) {
      if (typeof node.value !== 'string' || !node.value.includes('${')) return;
      let missing: string | undefined;
      const replaced = node.value.replace(ENV_REF, (_m, name: string, fallback: string | undefined) => {
        const v = env[name];
        if (v !== undefined && v !== '') return v;
        if (fallback === undefined) missing = name;
        return fallback ?? '';
      });
      if (missing) warn(pathOf(ancestors), `environment variable ${missing} is not set; using ""`);
      node.value = coerceScalar(replaced);
    },
  });
}

function pathOf(ancestors: readonly unknown[]): string {
  const keys: string[] = [];
  for (const a of ancestors) {
    if (a && typeof a === 'object' && 'key' in a) {
      const key: unknown = a.key;
      if (isScalar(key)) keys.push(String(key.value));
    }
  }
  return keys.join('.');
}

function coerceScalar(text: string): string | number | boolean {
  if (/^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  return text;
}

/** Collects issues and warnings while a layer is checked. */
class Checker {
  readonly issues: ConfigIssue[] = [];
  readonly warnings: string[] = [];

  constructor(
    private readonly file: string,
    private readonly locate: ConfigLayer['locate'],
  ) {}

  error(path: string, value: Json, message: string): void {
    const at = this.locate(path);
    this.issues.push({ file: this.file, line: at?.line ?? 0, column: at?.column ?? 0, path, value: show(value), message });
  }

  warn(path: string, message: string): void {
    const at = this.locate(path, 'key');
    const where = at ? `${this.file}:${at.line}:${at.column}` : this.file;
    this.warnings.push(`${where}: ${path}: ${message}`);
  }

  /** Warns about keys that are not in `known`, suggesting the nearest known key. */
  unknownKeys(obj: Obj, path: string, known: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (known.includes(key)) continue;
      const near = nearest(key, known);
      this.warn(`${path}.${key}`, `unknown key, ignored${near ? ` (did you mean "${near}"?)` : ''}`);
    }
  }

  number(obj: Obj, key: string, path: string, min: number, max: number): number | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      const range = max === Infinity ? `>= ${min}` : `between ${min} and ${max}`;
      this.error(`${path}.${key}`, v, `must be a number ${range}`);
      return undefined;
    }
    return v;
  }

  boolean(obj: Obj, key: string, path: string): boolean | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') {
      this.error(`${path}.${key}`, v, 'must be true or false');
      return undefined;
    }
    return v;
  }

  string(obj: Obj, key: string, path: string, pattern?: RegExp, hint?: string): string | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || (pattern && !pattern.test(v))) {
      this.error(`${path}.${key}`, v, hint ?? 'must be a string');
      return undefined;
    }
    return v;
  }

  duration(obj: Obj, key: string, path: string): number | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    const ms = parseDuration(v);
    if (ms === undefined) this.error(`${path}.${key}`, v, 'must be a duration such as 5000ms, 5s, 24h or a number of milliseconds');
    return ms;
  }

  stringList(obj: Obj, key: string, path: string): string[] | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      this.error(`${path}.${key}`, v, 'must be a list of strings');
      return undefined;
    }
    return v as string[];
  }

  section(obj: Obj, key: string, path: string): Obj | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (!isObj(v)) {
      this.error(`${path}.${key}`, v, 'must be a mapping of keys to values');
      return undefined;
    }
    return v;
  }
}

/** Levenshtein distance ≤ 2 match, for "did you mean". */
function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

const ROOT = 'routing.convergence';
const SECTION_KEYS = ['enabled', 'weights', 'thresholds', 'opus', 'selection', 'modelProfiles'] as const;
const WEIGHT_KEYS = ['convergence', 'latency', 'cost', 'patternMatch'] as const;
const THRESHOLD_KEYS = ['minConvergence', 'minRobustness'] as const;
const OPUS_KEYS = ['enabled', 'endpoint', 'model', 'timeout', 'cache', 'cacheTTL', 'maxCodeChars'] as const;
const SELECTION_KEYS = ['allow', 'deny', 'maxCostPerRequest', 'stickiness'] as const;
const PROFILE_KEYS = [
  'displayName',
  'baseConvergence',
  'strengths',
  'pricing',
  'speed',
  'contextWindow',
  'kiloModel',
  'evidence',
  'source',
] as const;
const EVIDENCE: readonly Evidence[] = ['measured', 'derived', 'estimated'];
const KILO_MODEL = /^[A-Za-z0-9._-]+\/[A-Za-z0-9._:/-]+$/;

/**
 * Checks a plain object shaped like the YAML file (`{routing: {convergence: {...}}}`) and turns
 * it into an overlay. Used for files and, through {@link overlayFromObject}, for settings.
 */
function checkRoot(root: Json, c: Checker): ConfigOverlay {
  if (root === null || root === undefined) return {};
  if (!isObj(root)) {
    c.error('', root, 'the file must be a mapping with a top-level "routing" key');
    return {};
  }
  c.unknownKeys(root, '', ['routing']);
  const routing = c.section(root, 'routing', '');
  if (!routing) return {};
  c.unknownKeys(routing, 'routing', ['convergence']);
  const conv = c.section(routing, 'convergence', 'routing');
  if (!conv) return {};
  c.unknownKeys(conv, ROOT, SECTION_KEYS);
  return checkConvergence(conv, c);
}

function checkConvergence(conv: Obj, c: Checker): ConfigOverlay {
  const overlay: ConfigOverlay = {};
  const enabled = c.boolean(conv, 'enabled', ROOT);
  if (enabled !== undefined) overlay.enabled = enabled;

  const w = c.section(conv, 'weights', ROOT);
  if (w) {
    c.unknownKeys(w, `${ROOT}.weights`, WEIGHT_KEYS);
    const weights: Partial<Weights> = {};
    for (const k of WEIGHT_KEYS) {
      const v = c.number(w, k, `${ROOT}.weights`, 0, Infinity);
      if (v !== undefined) weights[k] = v;
    }
    overlay.weights = weights;
  }

  const t = c.section(conv, 'thresholds', ROOT);
  if (t) {
    c.unknownKeys(t, `${ROOT}.thresholds`, THRESHOLD_KEYS);
    const thresholds: Partial<Thresholds> = {};
    const minC = c.number(t, 'minConvergence', `${ROOT}.thresholds`, 0, 1);
    const minR = c.number(t, 'minRobustness', `${ROOT}.thresholds`, 0, 100);
    if (minC !== undefined) thresholds.minConvergence = minC;
    if (minR !== undefined) thresholds.minRobustness = minR;
    overlay.thresholds = thresholds;
  }

  const o = c.section(conv, 'opus', ROOT);
  if (o) overlay.opus = checkOpus(o, c);

  const s = c.section(conv, 'selection', ROOT);
  if (s) overlay.selection = checkSelection(s, c);

  const profiles = c.section(conv, 'modelProfiles', ROOT);
  if (profiles) {
    overlay.modelProfiles = {};
    for (const [id, raw] of Object.entries(profiles)) {
      const path = `${ROOT}.modelProfiles.${id}`;
      if (!isObj(raw)) {
        c.error(path, raw, 'a model profile must be a mapping');
        continue;
      }
      overlay.modelProfiles[id] = checkProfile(raw, path, c);
    }
  }
  return overlay;
}

function checkOpus(o: Obj, c: Checker): Partial<ReviewSettings> {
  const path = `${ROOT}.opus`;
  c.unknownKeys(o, path, OPUS_KEYS);
  const out: Partial<ReviewSettings> = {};
  const enabled = c.boolean(o, 'enabled', path);
  const endpoint = o['endpoint'] === null ? '' : c.string(o, 'endpoint', path, /^(|https?:\/\/\S+)$/, 'must be an http(s) URL or empty');
  const model = c.string(o, 'model', path, /\S/, 'must be a model id');
  const timeoutMs = c.duration(o, 'timeout', path);
  const cache = c.boolean(o, 'cache', path);
  const cacheTtlMs = c.duration(o, 'cacheTTL', path);
  const maxCodeChars = c.number(o, 'maxCodeChars', path, 100, 1_000_000);
  if (enabled !== undefined) out.enabled = enabled;
  if (endpoint !== undefined) out.endpoint = endpoint;
  if (model !== undefined) out.model = model;
  if (timeoutMs !== undefined) out.timeoutMs = timeoutMs;
  if (cache !== undefined) out.cache = cache;
  if (cacheTtlMs !== undefined) out.cacheTtlMs = cacheTtlMs;
  if (maxCodeChars !== undefined) out.maxCodeChars = Math.floor(maxCodeChars);
  return out;
}

function checkSelection(s: Obj, c: Checker): Partial<SelectionSettings> {
  const path = `${ROOT}.selection`;
  c.unknownKeys(s, path, SELECTION_KEYS);
  const out: Partial<SelectionSettings> = {};
  const allow = c.stringList(s, 'allow', path);
  const deny = c.stringList(s, 'deny', path);
  const stickiness = c.number(s, 'stickiness', path, 0, 1);
  if (allow) out.allow = allow;
  if (deny) out.deny = deny;
  if (stickiness !== undefined) out.stickiness = stickiness;
  if (s['maxCostPerRequest'] === null) out.maxCostPerRequest = undefined;
  else {
    const cap = c.number(s, 'maxCostPerRequest', path, 0, Infinity);
    if (cap !== undefined) out.maxCostPerRequest = cap;
  }
  return out;
}

function checkProfile(p: Obj, path: string, c: Checker): ProfileOverlay {
  c.unknownKeys(p, path, PROFILE_KEYS);
  const out: ProfileOverlay = {};
  const displayName = c.string(p, 'displayName', path);
  const base = c.number(p, 'baseConvergence', path, 0, 1);
  const contextWindow = c.number(p, 'contextWindow', path, 1, Infinity);
  const kiloModel = c.string(p, 'kiloModel', path, KILO_MODEL, 'must be a Kilo model id "provider/model"');
  const evidence = c.string(p, 'evidence', path);
  if (displayName !== undefined) out.displayName = displayName;
  if (base !== undefined) out.baseConvergence = base;
  if (contextWindow !== undefined) out.contextWindow = Math.floor(contextWindow);
  if (kiloModel !== undefined) out.kiloModel = kiloModel;
  if (evidence !== undefined) {
    if ((EVIDENCE as readonly string[]).includes(evidence)) out.evidence = evidence as Evidence;
    else c.error(`${path}.evidence`, evidence, `must be one of ${EVIDENCE.join(', ')}`);
  }

  const strengths = c.stringList(p, 'strengths', path);
  if (strengths) {
    out.strengths = [];
    for (const s of strengths) {
      if ((STRENGTHS as readonly string[]).includes(s)) out.strengths.push(s as Strength);
      else c.warn(`${path}.strengths`, `unknown strength "${s}" ignored; known: ${STRENGTHS.join(', ')}`);
    }
  }

  const pricing = c.section(p, 'pricing', path);
  if (pricing) {
    c.unknownKeys(pricing, `${path}.pricing`, ['input', 'output', 'cacheRead']);
    out.pricing = {};
    const input = c.number(pricing, 'input', `${path}.pricing`, 0, Infinity);
    const output = c.number(pricing, 'output', `${path}.pricing`, 0, Infinity);
    const cacheRead = c.number(pricing, 'cacheRead', `${path}.pricing`, 0, Infinity);
    if (input !== undefined) out.pricing.input = input;
    if (output !== undefined) out.pricing.output = output;
    if (cacheRead !== undefined) out.pricing.cacheRead = cacheRead;
  }

  const speed = c.section(p, 'speed', path);
  if (speed) {
    c.unknownKeys(speed, `${path}.speed`, ['ttftMs', 'outputTokensPerSec']);
    out.speed = {};
    const ttft = c.number(speed, 'ttftMs', `${path}.speed`, 0, Infinity);
    const tps = c.number(speed, 'outputTokensPerSec', `${path}.speed`, 0.001, Infinity);
    if (ttft !== undefined) out.speed.ttftMs = ttft;
    if (tps !== undefined) out.speed.outputTokensPerSec = tps;
  }

  const source = p['source'];
  if (typeof source === 'string') out.source = { all: source };
  else if (isObj(source)) {
    out.source = {};
    for (const [k, v] of Object.entries(source)) {
      if (typeof v === 'string') out.source[k] = v;
      else c.error(`${path}.source.${k}`, v, 'a source must be a string');
    }
  } else if (source !== undefined) c.error(`${path}.source`, source, 'must be a string or a mapping of figure names to strings');
  return out;
}

/**
 * Parses one YAML config file. Throws {@link ConfigError} naming file, line, column, key path
 * and value for anything it cannot use; returns warnings for anything it ignored.
 */
export function parseConfigText(text: string, options: ParseOptions): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors.map((e): ConfigIssue => {
    const pos = lineCounter.linePos(e.pos[0]);
    return { file: options.file, line: pos.line, column: pos.col, path: '', value: '', message: `YAML syntax: ${e.message.split('\n')[0] ?? e.code}` };
  });
  if (syntax.length > 0) throw new ConfigError(syntax);

  // Positions: a value's own position for bad values, the key's for unknown or incomplete keys.
  const locate: ConfigLayer['locate'] = (path, at = 'value') => {
    // Keys may contain dots (`gpt-5.1`), so match the longest key that prefixes the rest.
    let rest = path;
    let node: unknown = doc.contents;
    let keyNode: unknown;
    let deepest: unknown = doc.contents;
    while (rest !== '' && isMap(node)) {
      let best: { key: unknown; value: unknown; name: string } | undefined;
      for (const p of node.items) {
        if (!isScalar(p.key)) continue;
        const name = String(p.key.value);
        if ((rest === name || rest.startsWith(`${name}.`)) && name.length > (best?.name.length ?? -1)) best = { key: p.key, value: p.value, name };
      }
      if (!best) break;
      keyNode = best.key;
      node = best.value;
      deepest = at === 'key' || !best.value ? best.key : best.value;
      rest = rest.slice(best.name.length + 1);
    }
    const target = path === '' ? doc.contents : at === 'key' ? (keyNode ?? deepest) : deepest;
    const range = (target as { range?: [number, number, number] } | null | undefined)?.range;
    if (!range) return undefined;
    const pos = lineCounter.linePos(range[0]);
    return { line: pos.line, column: pos.col };
  };

  const checker = new Checker(options.file, locate);
  interpolate(doc, options.env, (path, msg) => checker.warn(path, msg));
  if (doc.contents !== null && !isMap(doc.contents) && !isScalar(doc.contents)) {
    checker.error('', doc.toJS(), 'the file must be a mapping with a top-level "routing" key');
    throw new ConfigError(checker.issues);
  }
  const overlay = checkRoot(doc.toJS({ maxAliasCount: 100 }) as Json, checker);
  if (checker.issues.length > 0) throw new ConfigError(checker.issues);
  return { layer: { file: options.file, overlay, locate }, warnings: checker.warnings };
}

/**
 * Checks an overlay built in code (e.g. from VS Code settings), shaped like the inside of
 * `routing.convergence`. Throws {@link ConfigError} with `file` set to `label`.
 */
export function overlayFromObject(value: Record<string, unknown>, label: string): ParseResult {
  const checker = new Checker(label, () => undefined);
  const overlay = checkConvergence(value, checker);
  if (checker.issues.length > 0) throw new ConfigError(checker.issues);
  return { layer: { file: label, overlay, locate: () => undefined }, warnings: checker.warnings };
}

export interface ResolveResult {
  config: RoutingConfig;
  warnings: string[];
}

const REQUIRED_PROFILE_FIELDS = ['baseConvergence', 'pricing', 'speed', 'contextWindow'] as const;

/**
 * Merges layers in order (later wins), completes and checks model profiles, and normalises
 * the weights to sum to 1. The first layer must be complete (the embedded default).
 */
export function resolveConfig(layers: readonly ConfigLayer[]): ResolveResult {
  const warnings: string[] = [];
  const issues: ConfigIssue[] = [];
  const merged: Required<Omit<ConfigOverlay, 'enabled' | 'modelProfiles'>> & { enabled?: boolean } = {
    weights: {},
    thresholds: {},
    opus: {},
    selection: {},
  };
  type Merged = ProfileOverlay & {
    pricing: Partial<Pricing>;
    speed: Partial<Speed>;
    source: Record<string, string>;
    fromFile: string;
    fromLayer: ConfigLayer;
  };
  const profiles: Record<string, Merged> = {};

  for (const layer of layers) {
    const o = layer.overlay;
    if (o.enabled !== undefined) merged.enabled = o.enabled;
    merged.weights = { ...merged.weights, ...o.weights };
    merged.thresholds = { ...merged.thresholds, ...o.thresholds };
    merged.opus = { ...merged.opus, ...o.opus };
    merged.selection = { ...merged.selection, ...o.selection };
    for (const [id, p] of Object.entries(o.modelProfiles ?? {})) {
      const prev = profiles[id];
      profiles[id] = {
        ...prev,
        ...p,
        pricing: { ...prev?.pricing, ...p.pricing },
        speed: { ...prev?.speed, ...p.speed },
        source: { ...prev?.source, ...p.source },
        fromFile: prev?.fromFile ?? layer.file,
        fromLayer: prev?.fromLayer ?? layer,
      };
    }
  }

  const modelProfiles: Record<string, ModelProfile> = {};
  for (const [id, p] of Object.entries(profiles)) {
    const path = `${ROOT}.modelProfiles.${id}`;
    const missing = REQUIRED_PROFILE_FIELDS.filter((k) => p[k] === undefined)
      .concat(p.pricing.input === undefined || p.pricing.output === undefined ? ['pricing.input/output' as never] : [])
      .concat(p.speed.ttftMs === undefined || p.speed.outputTokensPerSec === undefined ? ['speed.ttftMs/outputTokensPerSec' as never] : []);
    if (missing.length > 0) {
      const at = p.fromLayer.locate(path, 'key');
      issues.push({
        file: p.fromFile,
        line: at?.line ?? 0,
        column: at?.column ?? 0,
        path,
        value: '',
        message: `a new model profile needs ${[...new Set(missing)].join(', ')}`,
      });
      continue;
    }
    if (Object.keys(p.source).length === 0) warnings.push(`${p.fromFile}: ${path}: no source given for its figures`);
    modelProfiles[id] = {
      id,
      displayName: p.displayName,
      baseConvergence: p.baseConvergence as number,
      strengths: p.strengths ?? [],
      pricing: p.pricing as Pricing,
      speed: p.speed as Speed,
      contextWindow: p.contextWindow as number,
      kiloModel: p.kiloModel,
      evidence: p.evidence ?? 'estimated',
      source: p.source,
    };
  }

  const w = merged.weights;
  const weights: Weights = {
    convergence: w.convergence ?? 0,
    latency: w.latency ?? 0,
    cost: w.cost ?? 0,
    patternMatch: w.patternMatch ?? 0,
  };
  const sum = weights.convergence + weights.latency + weights.cost + weights.patternMatch;
  if (sum <= 0) {
    issues.push({ file: layers.at(-1)?.file ?? 'config', line: 0, column: 0, path: `${ROOT}.weights`, value: show(weights), message: 'at least one weight must be above 0' });
  } else if (Math.abs(sum - 1) > 1e-9) {
    for (const k of WEIGHT_KEYS) weights[k] = weights[k] / sum;
    warnings.push(`${ROOT}.weights summed to ${round(sum)}; normalised to ${WEIGHT_KEYS.map((k) => `${k} ${round(weights[k])}`).join(', ')}`);
  }
  if (Object.keys(modelProfiles).length === 0 && issues.length === 0) {
    issues.push({ file: layers.at(-1)?.file ?? 'config', line: 0, column: 0, path: `${ROOT}.modelProfiles`, value: '', message: 'no model profiles are defined' });
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const config: RoutingConfig = {
    enabled: merged.enabled ?? true,
    weights,
    thresholds: { minConvergence: 0.65, minRobustness: 70, ...merged.thresholds },
    opus: {
      enabled: true,
      endpoint: '',
      model: 'claude-opus-4-5-20251101',
      timeoutMs: 5000,
      cache: true,
      cacheTtlMs: 86_400_000,
      maxCodeChars: 2000,
      ...merged.opus,
    },
    selection: { allow: [], deny: [], stickiness: 0.05, ...merged.selection },
    modelProfiles,
  };
  return { config, warnings };
}

const round = (n: number): string => String(Math.round(n * 1000) / 1000);

/** The outcome of a (re)load: the config in force, and what went wrong if the new one was refused. */
export interface LoadOutcome {
  config: RoutingConfig;
  warnings: string[];
  /** Set when the new layers were refused; `config` is then the last good one. */
  error?: ConfigError;
}

/**
 * Holds the config in force. A reload that fails keeps the last good config and reports why,
 * so a half-typed edit of the YAML file never leaves the router without a configuration.
 */
export class ConfigStore {
  private current: RoutingConfig;

  constructor(initial: RoutingConfig) {
    this.current = initial;
  }

  get config(): RoutingConfig {
    return this.current;
  }

  /** Parses layers and resolves them; on any {@link ConfigError} the previous config stays. */
  reload(parse: () => ParseResult[]): LoadOutcome {
    try {
      const parsed = parse();
      const { config, warnings } = resolveConfig(parsed.map((p) => p.layer));
      this.current = config;
      return { config, warnings: [...parsed.flatMap((p) => p.warnings), ...warnings] };
    } catch (err) {
      if (err instanceof ConfigError) return { config: this.current, warnings: [], error: err };
      throw err;
    }
  }
}
