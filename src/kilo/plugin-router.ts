import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, formatIssue, overlayFromObject, parseConfigText, parseDefaultLayer, resolveConfig, route, routingEnabled } from '../engine';
import type { ConfigLayer, Observations, RoutingConfig, RoutingDecision } from '../engine';
import { appendJsonLine, DEFAULT_LOG_MAX_BYTES } from './jsonl';
import { addToTotals, appendDecision, appendOutcome, mergeObservations, observationsFromTotals, readOutcomes } from './logs';
import type { DecisionRecord, OutcomeRecord, UsageTotals } from './logs';
import { KnownModels, knownModelsFromConfig, knownModelsFromProviders, modelKey, parseModelKey } from './models';
import type { KiloModelRef } from './models';
import { projectPaths, userConfigPath } from './paths';
import type { ProjectPaths } from './paths';
import { readStateFile } from './state';
import type { KiloRoutingState } from './state';

type Env = Readonly<Record<string, string | undefined>>;

/** Plugin options that are not routing config (everything else in the options is). */
export interface RouterOptions {
  /** Keep a model the caller named for this turn (`-m`, an SDK caller). Default true. */
  respectExplicitModel: boolean;
  /** Restrict the candidates to these Kilo models (`provider/model`) or profile ids. */
  models: string[] | undefined;
  /** Size at which decisions.jsonl and outcomes.jsonl rotate. Default 5 MiB. */
  logMaxBytes: number;
  /** How long the first turn may wait for Kilo's provider list. Default 3000 ms. */
  modelsTimeoutMs: number;
}

const OPTION_KEYS = ['respectExplicitModel', 'models', 'logMaxBytes', 'modelsTimeoutMs'] as const;
const OVERLAY_KEYS = ['enabled', 'weights', 'thresholds', 'opus', 'selection', 'modelProfiles'] as const;

/** Turn outcomes remembered per process, so a repeated `message.updated` is counted once. */
const SEEN_LIMIT = 2000;
/** How often the provider list is refreshed in the background, so a newly added model shows up. */
const PROVIDERS_TTL_MS = 60_000;

/** The part of Kilo's `chat.message` input the router reads. */
export interface ChatInput {
  sessionID: string;
  /** The agent (mode) of the turn, e.g. `code`. */
  agent?: string | undefined;
  /** Set when the caller named a model for this turn. */
  model?: KiloModelRef | undefined;
}

/** A message part as far as the router cares (text parts carry the prompt). */
export interface PartLike {
  type: string;
  text?: string | undefined;
  synthetic?: boolean | undefined;
  ignored?: boolean | undefined;
  filename?: string | undefined;
}

/** The part of Kilo's `chat.message` output the router reads and changes. */
export interface ChatOutput {
  message: { model?: KiloModelRef | undefined };
  parts: readonly PartLike[];
}

/** What the host gives the router. Only `directory` is required. */
export interface RouterDeps {
  /** The project folder (Kilo's `ctx.directory`). */
  directory: string;
  env?: Env | undefined;
  /** For the user-level config; defaults to `$HOME`. */
  home?: string | undefined;
  /** The plugin options from Kilo's config (`"plugin": [["…", {options}]]`). */
  options?: Record<string, unknown> | undefined;
  now?: (() => number) | undefined;
  /** Kilo's provider list (`client.config.providers()` data); absent → config only. */
  loadProviders?: (() => Promise<unknown>) | undefined;
  /** A second sink for problems (Kilo's own log); the plugin log file is always written. */
  log?: ((level: 'info' | 'warn' | 'error', message: string) => void) | undefined;
}

/** What one turn came to; returned for tests and benchmarks, also logged. */
export interface TurnResult {
  /** Undefined when nothing was routed (disabled, no text, no candidates, an error). */
  decision?: DecisionRecord | undefined;
  routing?: RoutingDecision | undefined;
  skipped?: string | undefined;
}

interface FileLayer {
  key: string;
  layer: ConfigLayer | undefined;
}

interface Loaded {
  config: RoutingConfig;
  state: KiloRoutingState | undefined;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses and checks the plugin options; problems become messages, never throws. */
export function parsePluginOptions(raw: Record<string, unknown> | undefined): { options: RouterOptions; overlay: Record<string, unknown> | undefined; problems: string[] } {
  const problems: string[] = [];
  const options: RouterOptions = { respectExplicitModel: true, models: undefined, logMaxBytes: DEFAULT_LOG_MAX_BYTES, modelsTimeoutMs: 3000 };
  if (!raw) return { options, overlay: undefined, problems };
  const overlay: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if ((OVERLAY_KEYS as readonly string[]).includes(k)) overlay[k] = v;
    else if (!(OPTION_KEYS as readonly string[]).includes(k)) {
      problems.push(`plugin option "${k}" is unknown and ignored; known: ${[...OPTION_KEYS, ...OVERLAY_KEYS].join(', ')}`);
    }
  }
  const r = raw['respectExplicitModel'];
  if (r !== undefined) {
    if (typeof r === 'boolean') options.respectExplicitModel = r;
    else problems.push(`plugin option respectExplicitModel must be true or false (got ${JSON.stringify(r)})`);
  }
  const m = raw['models'];
  if (m !== undefined) {
    if (Array.isArray(m) && m.every((x) => typeof x === 'string')) options.models = m;
    else problems.push(`plugin option models must be a list of "provider/model" strings (got ${JSON.stringify(m)})`);
  }
  for (const [k, min] of [['logMaxBytes', 1024], ['modelsTimeoutMs', 0]] as const) {
    const v = raw[k];
    if (v === undefined) continue;
    if (typeof v === 'number' && Number.isFinite(v) && v >= min) options[k] = v;
    else problems.push(`plugin option ${k} must be a number >= ${min} (got ${JSON.stringify(v)})`);
  }
  return { options, overlay: Object.keys(overlay).length > 0 ? overlay : undefined, problems };
}

const LANGUAGE_BY_EXT: Record<string, string> = {
  ts: 'typescript', tsx: 'typescriptreact', js: 'javascript', jsx: 'javascriptreact', mjs: 'javascript', cjs: 'javascript',
  py: 'python', rs: 'rust', go: 'go', java: 'java', kt: 'kotlin', cs: 'csharp', cpp: 'cpp', cc: 'cpp', c: 'c', h: 'c',
  rb: 'ruby', php: 'php', swift: 'swift', scala: 'scala', sql: 'sql', sh: 'shellscript', hs: 'haskell', ex: 'elixir',
};

/** Text of the turn as the user wrote it: text parts, not ones Kilo made up or was told to ignore. */
export function requestText(parts: readonly PartLike[]): string {
  const texts: string[] = [];
  for (const p of parts) if (p.type === 'text' && !p.synthetic && !p.ignored && p.text) texts.push(p.text);
  return texts.join('\n').trim();
}

function languagesOf(parts: readonly PartLike[], base: readonly string[] | undefined): string[] | undefined {
  const out = new Set(base ?? []);
  for (const p of parts) {
    if (p.type !== 'file' || !p.filename) continue;
    const ext = path.extname(p.filename).slice(1).toLowerCase();
    const lang = LANGUAGE_BY_EXT[ext];
    if (lang) out.add(lang);
  }
  return out.size > 0 ? [...out] : undefined;
}

/** Kilo's default model (`model`) and per-agent models (`agent.<name>.model`) from its config. */
function configDefaults(config: unknown): { model: KiloModelRef | undefined; agents: Map<string, KiloModelRef> } {
  const agents = new Map<string, KiloModelRef>();
  if (!isObj(config)) return { model: undefined, agents };
  const model = typeof config['model'] === 'string' ? parseModelKey(config['model']) : undefined;
  const agentSection = config['agent'];
  if (isObj(agentSection)) {
    for (const [name, a] of Object.entries(agentSection)) {
      const ref = isObj(a) && typeof a['model'] === 'string' ? parseModelKey(a['model']) : undefined;
      if (ref) agents.set(name, ref);
    }
  }
  return { model, agents };
}

const sameRef = (a: KiloModelRef | undefined, b: KiloModelRef | undefined): boolean =>
  a !== undefined && b !== undefined && a.providerID === b.providerID && a.modelID === b.modelID;

/**
 * The Kilo plugin's brain, free of Kilo's types so it can be driven in-process by tests and
 * benchmarks. Before each turn it builds the request from the message parts, scores the
 * profiles whose model Kilo can run, and sets the message's model. It never throws into Kilo:
 * whatever goes wrong, the turn goes ahead with Kilo's own choice and the problem is logged.
 */
export class KiloPluginRouter {
  readonly project: string;
  readonly paths: ProjectPaths;
  readonly options: RouterOptions;
  private readonly env: Env;
  private readonly now: () => number;
  private readonly deps: RouterDeps;
  private readonly userConfig: string;
  private readonly pluginOverlay: ConfigLayer | undefined;

  private defaultLayer: ConfigLayer | undefined;
  private readonly fileLayers = new Map<string, FileLayer>();
  private stateCache: { key: string; state: KiloRoutingState | undefined } | undefined;
  private settingsLayer: { source: Record<string, unknown> | undefined; layer: ConfigLayer | undefined } = { source: undefined, layer: undefined };
  private resolved: { key: string; config: RoutingConfig } | undefined;
  private lastGood: RoutingConfig | undefined;

  private configModels = new KnownModels([]);
  private providers: { known: KnownModels; at: number } | undefined;
  private pendingProviders: Promise<void> | undefined;

  /** Per session: the model its last turn ran (for stickiness) and the model the caller sent with it. */
  private readonly sessions = new Map<string, { ran: KiloModelRef; asked: KiloModelRef | undefined }>();
  /** Kilo's configured default model, and per agent, from the `config` hook. */
  private defaults: { model: KiloModelRef | undefined; agents: Map<string, KiloModelRef> } = { model: undefined, agents: new Map() };
  /** Usage by Kilo model key, from outcomes.jsonl at start and every step since. */
  private usage: Map<string, UsageTotals> | undefined;
  private readonly seen = new Set<string>();
  private readonly said = new Set<string>();

  constructor(deps: RouterDeps) {
    this.deps = deps;
    this.env = deps.env ?? {};
    this.now = deps.now ?? Date.now;
    this.project = deps.directory;
    this.paths = projectPaths(deps.directory);
    this.userConfig = userConfigPath(this.env, deps.home);
    const parsed = parsePluginOptions(deps.options);
    this.options = parsed.options;
    for (const p of parsed.problems) this.warnOnce(p);
    let overlay: ConfigLayer | undefined;
    if (parsed.overlay) {
      try {
        const r = overlayFromObject(parsed.overlay, 'plugin options');
        overlay = r.layer;
        for (const w of r.warnings) this.warnOnce(w);
      } catch (err) {
        this.warnOnce(`plugin options ignored: ${describe(err)}`);
      }
    }
    this.pluginOverlay = overlay;
  }

  /** Starts loading Kilo's provider list in the background (it overlaps Kilo's own start-up). */
  start(): void {
    this.refreshProviders();
  }

  /** The `config` hook: remembers the models the config declares, as a fallback. */
  onConfig(config: unknown): void {
    try {
      this.configModels = knownModelsFromConfig(config);
      this.defaults = configDefaults(config);
    } catch (err) {
      this.log('error', `reading Kilo's config failed: ${describe(err)}`);
    }
  }

  /** The `chat.message` hook. Never throws. */
  async onChatMessage(input: ChatInput, output: ChatOutput): Promise<TurnResult> {
    try {
      if (requestText(output.parts) === '') return { skipped: 'no text to route on' };
      const skip = this.disabledReason(this.load());
      if (skip) return { skipped: skip };
      const known = await this.knownModels();
      return this.decide(input, output, known);
    } catch (err) {
      this.log('error', `routing failed, Kilo's own model choice stands: ${describe(err)}`);
      return { skipped: `error: ${describe(err)}` };
    }
  }

  /**
   * One turn, synchronously, given the models Kilo knows. Throws only on a bug; the hook
   * wrapper turns that into a logged, fail-open skip.
   */
  decide(input: ChatInput, output: ChatOutput, known: KnownModels): TurnResult {
    const text = requestText(output.parts);
    const loaded = this.load();
    const { config, state } = loaded;
    const skip = this.disabledReason(loaded);
    if (skip) return { skipped: skip };

    const kiloDefault = output.message.model;
    const candidates = this.candidates(config, known, kiloDefault?.providerID);
    if (candidates.size === 0) {
      this.warnOnce(
        `no model profile maps to a model Kilo knows, so Kilo's own choice stands. Kilo knows: ${known.list().slice(0, 20).join(', ') || 'nothing yet'}; ` +
          `give profiles a kiloModel among these in ${this.paths.config}`,
      );
      return { skipped: 'no candidate' };
    }

    const session = this.sessions.get(input.sessionID);
    const last = session?.ran;
    const currentProfile = last ? this.profileFor(candidates, last) : undefined;
    const observations = this.observations(config, state);
    const routing = route(
      config,
      {
        text,
        languages: languagesOf(output.parts, state?.languages),
        patternProfile: state?.patternProfile,
        currentModel: currentProfile,
        models: [...candidates.keys()],
      },
      { observations, env: this.env },
    );
    const chosen = candidates.get(routing.selected) as KiloModelRef;

    const respect = state?.respectExplicitModel ?? this.options.respectExplicitModel;
    const explicit = this.isExplicit(input, session);
    const previous = last ?? kiloDefault;
    let applied = false;
    let reason: string | undefined;
    let ran: KiloModelRef;
    if (explicit && respect) {
      reason = `explicit model ${modelKey(input.model as KiloModelRef)} kept (respectExplicitModel)`;
      ran = input.model as KiloModelRef;
    } else {
      output.message.model = { providerID: chosen.providerID, modelID: chosen.modelID };
      applied = true;
      ran = chosen;
    }
    this.sessions.set(input.sessionID, { ran, asked: input.model });
    if (this.sessions.size > SEEN_LIMIT) this.sessions.delete(this.sessions.keys().next().value as string);

    const decision: DecisionRecord = {
      ts: new Date(this.now()).toISOString(),
      sessionID: input.sessionID,
      requestHash: createHash('sha256').update(text).digest('hex').slice(0, 16),
      requestPreview: text.replace(/\s+/g, ' ').slice(0, 120),
      selected: modelKey(chosen),
      previous: previous ? modelKey(previous) : null,
      applied,
      ...(reason !== undefined ? { reason } : {}),
      confidenceLevel: routing.confidenceLevel,
      scores: routing.scores.map((s) => ({ modelId: modelKey(candidates.get(s.modelId) as KiloModelRef), totalScore: s.totalScore })),
    };
    try {
      appendDecision(this.project, decision, this.options.logMaxBytes);
    } catch (err) {
      this.warnOnce(`cannot write ${this.paths.decisions}: ${describe(err)}`);
    }
    return { decision, routing };
  }

  /**
   * Whether the caller chose this turn's model. Clients such as an editor's model picker send
   * their standing selection with every prompt; that is not a choice for this turn. So a model
   * counts as explicit when it differs from what the caller sent last turn and from what the
   * session ran (the picker was changed mid-session), or, on a session's first turn, from Kilo's
   * configured default for the agent (`kilo run -m other/model`).
   */
  private isExplicit(input: ChatInput, session: { ran: KiloModelRef; asked: KiloModelRef | undefined } | undefined): boolean {
    const asked = input.model;
    if (asked === undefined) return false;
    if (session) return !sameRef(asked, session.asked) && !sameRef(asked, session.ran);
    const standing = (input.agent !== undefined ? this.defaults.agents.get(input.agent) : undefined) ?? this.defaults.model;
    return !sameRef(asked, standing);
  }

  /** Why routing is off, if it is: `CONVERGENCE_ROUTING_ENABLED=false`, the config, or the editor. */
  private disabledReason({ config, state }: Loaded): string | undefined {
    if (routingEnabled(config, this.env)) return state?.enabled === false ? 'paused from the editor (state.json enabled: false)' : undefined;
    return config.enabled ? 'CONVERGENCE_ROUTING_ENABLED is off' : 'routing is disabled in the config (enabled: false)';
  }

  /** The `event` hook: one outcome line per completed assistant step. Never throws. */
  onEvent(event: unknown): OutcomeRecord | undefined {
    try {
      if (!isObj(event) || event['type'] !== 'message.updated' || !isObj(event['properties'])) return undefined;
      const info = event['properties']['info'];
      if (!isObj(info) || info['role'] !== 'assistant' || !isObj(info['time'])) return undefined;
      const completed = info['time']['completed'];
      const created = info['time']['created'];
      const id = info['id'];
      if (typeof completed !== 'number' || typeof id !== 'string' || this.seen.has(id)) return undefined;
      this.seen.add(id);
      if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.values().next().value as string);
      const tokens = isObj(info['tokens']) ? info['tokens'] : {};
      const cache = isObj(tokens['cache']) ? tokens['cache'] : {};
      const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
      const record: OutcomeRecord = {
        ts: new Date(completed).toISOString(),
        sessionID: String(info['sessionID']),
        modelId: `${String(info['providerID'])}/${String(info['modelID'])}`,
        costUsd: num(info['cost']),
        tokens: { input: num(tokens['input']), output: num(tokens['output']), cacheRead: num(cache['read']) },
        durationMs: typeof created === 'number' ? Math.max(0, completed - created) : 0,
      };
      appendOutcome(this.project, record, this.options.logMaxBytes);
      if (this.usage) addToTotals(this.usage, record);
      return record;
    } catch (err) {
      this.log('error', `recording an outcome failed: ${describe(err)}`);
      return undefined;
    }
  }

  /** Kilo's models, waiting (bounded) for the provider list on the first turn. */
  async knownModels(): Promise<KnownModels> {
    if (this.options.models) return new KnownModels(this.options.models.map(parseModelKey).filter((r): r is KiloModelRef => r !== undefined));
    if (this.providers) {
      if (this.now() - this.providers.at > PROVIDERS_TTL_MS) this.refreshProviders();
      return this.providers.known;
    }
    this.refreshProviders();
    const pending = this.pendingProviders;
    if (pending) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.options.modelsTimeoutMs);
      });
      await Promise.race([pending, timeout]);
      clearTimeout(timer);
    }
    if (this.providers) return (this.providers as { known: KnownModels }).known;
    if (this.deps.loadProviders) this.warnOnce(`Kilo's provider list was not ready within ${this.options.modelsTimeoutMs} ms; using the models declared in Kilo's config`);
    return this.configModels;
  }

  private refreshProviders(): void {
    const load = this.deps.loadProviders;
    if (!load || this.pendingProviders) return;
    this.pendingProviders = load()
      .then((data) => {
        const known = knownModelsFromProviders(data);
        if (known.size > 0) this.providers = { known, at: this.now() };
        else this.warnOnce("Kilo's provider list came back empty; using the models declared in Kilo's config");
      })
      .catch((err: unknown) => this.warnOnce(`cannot read Kilo's provider list: ${describe(err)}`))
      .finally(() => {
        this.pendingProviders = undefined;
      });
  }

  /** Profile id → the Kilo model it runs on, for every profile Kilo can run (and the options allow). */
  private candidates(config: RoutingConfig, known: KnownModels, preferProvider: string | undefined): Map<string, KiloModelRef> {
    const out = new Map<string, KiloModelRef>();
    for (const p of Object.values(config.modelProfiles)) {
      if (!p.kiloModel) continue;
      const ref = known.resolve(p.kiloModel, preferProvider);
      if (ref) out.set(p.id, ref);
    }
    return out;
  }

  private profileFor(candidates: Map<string, KiloModelRef>, ref: KiloModelRef): string | undefined {
    for (const [id, r] of candidates) if (sameRef(r, ref)) return id;
    return undefined;
  }

  private observations(config: RoutingConfig, state: KiloRoutingState | undefined): Observations | undefined {
    if (!this.usage) {
      this.usage = new Map();
      try {
        for (const o of readOutcomes(this.project).records) addToTotals(this.usage, o);
      } catch (err) {
        this.warnOnce(`cannot read ${this.paths.outcomes}: ${describe(err)}`);
      }
    }
    if (this.usage.size === 0) return state?.observations;
    return mergeObservations(state?.observations, observationsFromTotals(config, this.usage));
  }

  /** The config in force and the session state, re-read only when a file changed. */
  load(): Loaded {
    const state = this.loadState();
    this.defaultLayer ??= parseDefaultLayer(this.env).layer;
    const user = this.fileLayer(this.userConfig);
    const project = this.fileLayer(this.paths.config);
    const settings = this.settingsOverlay(state);
    const key = `${user.key}|${project.key}|${this.stateCache?.key ?? ''}`;
    if (this.resolved?.key === key) return { config: this.resolved.config, state };
    const layers = [this.defaultLayer, user.layer, project.layer, settings, this.pluginOverlay].filter((l): l is ConfigLayer => l !== undefined);
    let config: RoutingConfig;
    try {
      const r = resolveConfig(layers);
      config = r.config;
      for (const w of r.warnings) this.warnOnce(w);
      this.lastGood = config;
    } catch (err) {
      this.warnOnce(`config refused, ${this.lastGood ? 'keeping the last good one' : 'using the embedded default'}: ${describe(err)}`);
      config = this.lastGood ?? resolveConfig([this.defaultLayer]).config;
    }
    this.resolved = { key, config };
    return { config, state };
  }

  private fileLayer(file: string): FileLayer {
    let key: string;
    try {
      const s = statSync(file);
      key = `${file}:${s.mtimeMs}:${s.size}`;
    } catch {
      return { key: `${file}:none`, layer: undefined };
    }
    const cached = this.fileLayers.get(file);
    if (cached?.key === key) return cached;
    let layer: ConfigLayer | undefined;
    try {
      const r = parseConfigText(readFileSync(file, 'utf8'), { file, env: this.env });
      layer = r.layer;
      for (const w of r.warnings) this.warnOnce(w);
    } catch (err) {
      this.log('error', `${file} ignored until fixed: ${describe(err)}`);
    }
    const entry = { key, layer };
    this.fileLayers.set(file, entry);
    return entry;
  }

  private loadState(): KiloRoutingState | undefined {
    const file = this.paths.state;
    let key: string;
    try {
      const s = statSync(file);
      key = `${s.mtimeMs}:${s.size}`;
    } catch {
      key = 'none';
    }
    if (this.stateCache?.key === key) return this.stateCache.state;
    const { state, problems } = key === 'none' ? { state: undefined, problems: [] } : readStateFile(file);
    for (const p of problems) this.log('warn', p);
    this.stateCache = { key, state };
    return state;
  }

  private settingsOverlay(state: KiloRoutingState | undefined): ConfigLayer | undefined {
    const source = state?.settings;
    if (source === this.settingsLayer.source) return this.settingsLayer.layer;
    let layer: ConfigLayer | undefined;
    if (source) {
      try {
        const r = overlayFromObject(source, `${this.paths.state} settings`);
        layer = r.layer;
        for (const w of r.warnings) this.warnOnce(w);
      } catch (err) {
        this.log('error', `settings in ${this.paths.state} ignored: ${describe(err)}`);
      }
    }
    this.settingsLayer = { source, layer };
    return layer;
  }

  private warnOnce(message: string): void {
    if (this.said.has(message)) return;
    if (this.said.size > 500) this.said.clear();
    this.said.add(message);
    this.log('warn', message);
  }

  /** Writes to `.kilo/convergence/plugin.log` and to the host's log; never throws. */
  log(level: 'info' | 'warn' | 'error', message: string): void {
    try {
      appendJsonLine(this.paths.pluginLog, { ts: new Date(this.now()).toISOString(), level, message }, 1024 * 1024);
    } catch {
      // The log is best effort: a read-only project must not stop Kilo.
    }
    try {
      this.deps.log?.(level, message);
    } catch {
      // Same for the host's log.
    }
  }
}

function describe(err: unknown): string {
  if (err instanceof ConfigError) {
    const first = err.issues[0];
    return first ? formatIssue(first) + (err.issues.length > 1 ? ` (and ${err.issues.length - 1} more)` : '') : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
