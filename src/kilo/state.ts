import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { PATTERNS } from '../engine';
import { prepareDataDir } from './jsonl';
import type { ModelObservations, Observations, PatternName, PatternProfile } from '../engine';

/** The schema version this code writes and reads. */
export const STATE_VERSION = 1;

/**
 * What the VS Code extension publishes for the Kilo plugin, in
 * `<project>/.kilo/convergence/state.json`. The plugin only reads it; the extension writes it
 * with {@link writeStateFile} (temp file + rename), so the plugin never sees half a file.
 * Every field but `version` is optional; the plugin treats a missing or unreadable file as
 * "no session state" and routes on the config alone.
 *
 * ```json
 * {
 *   "version": 1,
 *   "updatedAt": "2026-11-24T10:00:00.000Z",
 *   "writer": "convergence-router 0.1.0",
 *   "patternProfile": { "ERROR_SWALLOWING": 3.5, "CLEAN_ARCHITECTURE": 1.2 },
 *   "languages": ["typescript"],
 *   "settings": { "weights": { "cost": 0.3 }, "selection": { "deny": ["openai/*"] } },
 *   "respectExplicitModel": true,
 *   "enabled": true,
 *   "observations": { "claude-sonnet-4.5": { "reviews": { "count": 3, "meanRobustness": 82 } } }
 * }
 * ```
 */
export interface KiloRoutingState {
  version: typeof STATE_VERSION;
  /** ISO time of the write; shown, never trusted for ordering. */
  updatedAt?: string | undefined;
  /** Who wrote it, e.g. `convergence-router 0.1.0`. */
  writer?: string | undefined;
  /** The session's pattern profile (findings per kLOC), from the pattern tracker. */
  patternProfile?: PatternProfile | undefined;
  /** Languages of the code in play (VS Code language ids). */
  languages?: string[] | undefined;
  /**
   * Settings overrides, shaped like the inside of `routing.convergence` (the same object the
   * extension passes to `overlayFromObject`). Layered above the config files, below the
   * plugin's own options.
   */
  settings?: Record<string, unknown> | undefined;
  /** Keep a model the caller named for one turn (default true). */
  respectExplicitModel?: boolean | undefined;
  /** `false` pauses routing from the editor without uninstalling the plugin. */
  enabled?: boolean | undefined;
  /** Learned statistics by profile id (reviews, kept/reverted outcomes, usage). */
  observations?: Observations | undefined;
}

export interface StateReadResult {
  /** Undefined when there is no file or it cannot be used at all. */
  state: KiloRoutingState | undefined;
  /** What was wrong, naming the file and the field; parts that were fine are kept. */
  problems: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

function parsePatternProfile(v: unknown, where: string, problems: string[]): PatternProfile | undefined {
  if (!isObj(v)) {
    problems.push(`${where}: patternProfile must be an object of pattern → findings per kLOC (got ${show(v)})`);
    return undefined;
  }
  const out: PatternProfile = {};
  for (const [k, n] of Object.entries(v)) {
    if (!(PATTERNS as readonly string[]).includes(k)) problems.push(`${where}: patternProfile.${k}: unknown pattern, ignored; known: ${PATTERNS.join(', ')}`);
    else if (!isCount(n)) problems.push(`${where}: patternProfile.${k}: must be a number >= 0 (got ${show(n)})`);
    else out[k as PatternName] = n;
  }
  return out;
}

function parseModelObservations(v: unknown, where: string, problems: string[]): ModelObservations | undefined {
  if (!isObj(v)) {
    problems.push(`${where}: must be an object with reviews, outcomes or usage (got ${show(v)})`);
    return undefined;
  }
  const out: ModelObservations = {};
  const r = v['reviews'];
  if (r !== undefined) {
    if (isObj(r) && isCount(r['count']) && typeof r['meanRobustness'] === 'number' && r['meanRobustness'] >= 0 && r['meanRobustness'] <= 100) {
      out.reviews = { count: r['count'], meanRobustness: r['meanRobustness'] };
    } else problems.push(`${where}.reviews: needs count >= 0 and meanRobustness 0–100 (got ${show(r)})`);
  }
  const o = v['outcomes'];
  if (o !== undefined) {
    if (isObj(o) && isCount(o['successes']) && isCount(o['failures'])) out.outcomes = { successes: o['successes'], failures: o['failures'] };
    else problems.push(`${where}.outcomes: needs successes and failures >= 0 (got ${show(o)})`);
  }
  const u = v['usage'];
  if (u !== undefined) {
    const lat = isObj(u) ? u['meanLatencyMs'] : undefined;
    const cost = isObj(u) ? u['meanCostUsd'] : undefined;
    if (isObj(u) && isCount(u['count']) && (lat === undefined || isCount(lat)) && (cost === undefined || isCount(cost))) {
      out.usage = { count: u['count'], ...(lat !== undefined ? { meanLatencyMs: lat } : {}), ...(cost !== undefined ? { meanCostUsd: cost } : {}) };
    } else problems.push(`${where}.usage: needs count >= 0 and optional meanLatencyMs, meanCostUsd >= 0 (got ${show(u)})`);
  }
  return out;
}

/**
 * Reads state text. Never throws: a file that is not JSON, or of another version, gives no
 * state and one problem; a bad field is dropped with a problem naming it, the rest is kept.
 */
export function parseState(text: string, file: string): StateReadResult {
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { state: undefined, problems: [`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)}); session state ignored`] };
  }
  if (!isObj(raw)) return { state: undefined, problems: [`${file}: must be a JSON object; session state ignored`] };
  if (raw['version'] !== STATE_VERSION) {
    return { state: undefined, problems: [`${file}: version ${show(raw['version'])} is not supported (expected ${STATE_VERSION}); session state ignored`] };
  }
  const state: KiloRoutingState = { version: STATE_VERSION };
  const str = (k: 'updatedAt' | 'writer'): void => {
    const v = raw[k];
    if (v === undefined) return;
    if (typeof v === 'string') state[k] = v;
    else problems.push(`${file}: ${k} must be a string (got ${show(v)})`);
  };
  str('updatedAt');
  str('writer');
  if (raw['patternProfile'] !== undefined) state.patternProfile = parsePatternProfile(raw['patternProfile'], file, problems);
  const langs = raw['languages'];
  if (langs !== undefined) {
    if (Array.isArray(langs) && langs.every((l) => typeof l === 'string')) state.languages = langs;
    else problems.push(`${file}: languages must be a list of strings (got ${show(langs)})`);
  }
  const settings = raw['settings'];
  if (settings !== undefined) {
    if (isObj(settings)) state.settings = settings;
    else problems.push(`${file}: settings must be an object shaped like routing.convergence (got ${show(settings)})`);
  }
  for (const k of ['respectExplicitModel', 'enabled'] as const) {
    const v = raw[k];
    if (v === undefined) continue;
    if (typeof v === 'boolean') state[k] = v;
    else problems.push(`${file}: ${k} must be true or false (got ${show(v)})`);
  }
  const obs = raw['observations'];
  if (obs !== undefined) {
    if (isObj(obs)) {
      const out: Observations = {};
      for (const [id, v] of Object.entries(obs)) {
        const m = parseModelObservations(v, `${file}: observations.${id}`, problems);
        if (m) out[id] = m;
      }
      state.observations = out;
    } else problems.push(`${file}: observations must be an object keyed by profile id (got ${show(obs)})`);
  }
  return { state, problems };
}

/** Reads the state file; a missing file is no state and no problem. */
export function readStateFile(file: string): StateReadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { state: undefined, problems: [] };
    return { state: undefined, problems: [`${file}: cannot read (${code ?? String(err)}); session state ignored`] };
  }
  return parseState(text, file);
}

let tmpCounter = 0;

/**
 * Writes text to `file` atomically: a temp file in the same folder, flushed to disk, then
 * renamed over the target. A reader sees the old file or the new one, never a torn one.
 */
export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${++tmpCounter}.tmp`;
  try {
    const fd = openSync(tmp, 'w', 0o644);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Writes the session state for the plugin (temp file + rename). Checks it first with the
 * same reader the plugin uses and refuses, naming the field, anything the plugin would drop.
 */
export function writeStateFile(file: string, state: KiloRoutingState): void {
  const text = JSON.stringify(state, null, 2) + '\n';
  const { problems } = parseState(text, file);
  if (problems.length > 0) throw new Error(`refusing to write invalid session state: ${problems.join('; ')}`);
  prepareDataDir(path.dirname(file));
  writeFileAtomic(file, text);
}

/**
 * Read, change, write: keeps fields the caller does not touch (another writer's observations,
 * say). A missing or unreadable file starts from an empty state.
 */
export function updateStateFile(file: string, change: (current: KiloRoutingState) => KiloRoutingState): KiloRoutingState {
  const current = readStateFile(file).state ?? { version: STATE_VERSION };
  const next = change(current);
  writeStateFile(file, next);
  return next;
}
