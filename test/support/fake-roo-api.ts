// An in-process implementation of RooCodeAPI (@roo-code/types) that behaves as Kilo Code 5.x
// and Roo Code do where the legacy adapter depends on them: named provider profiles with ids,
// one active profile whose settings make up the current configuration, a sticky profile per
// mode (activating a profile makes it the current mode's; switching mode loads the mode's), and
// cumulative token usage per task sent with taskTokenUsageUpdated and taskCompleted.
// No such extension can be installed here, so tests drive this instead.
import { EventEmitter } from 'node:events';
import type { ProviderSettings, ProviderSettingsEntry, RooCodeAPI, RooCodeAPIEvents, RooCodeSettings, TokenUsage } from '@roo-code/types';

type Settings = Record<string, unknown>;

interface Profile {
  id: string;
  settings: Settings;
}

/** A request the fake "sent": which provider and model were active for it. */
export interface SentRequest {
  taskId: string;
  profile: string;
  provider: string | undefined;
  model: string | undefined;
}

const MODEL_KEYS: Record<string, string> = {
  kilocode: 'kilocodeModel',
  openrouter: 'openRouterModelId',
  openai: 'openAiModelId',
};

export class FakeRooCodeApi extends EventEmitter<RooCodeAPIEvents> implements RooCodeAPI {
  private readonly profiles = new Map<string, Profile>();
  private active: string;
  private ready = true;
  private mode = 'code';
  private globals: Settings = {};
  /** mode → profile id, as Roo keeps `modeApiConfigs`. */
  private readonly modeProfiles = new Map<string, string>();
  private readonly usage = new Map<string, TokenUsage>();
  private readonly stack: string[] = [];
  private nextId = 1;
  readonly sent: SentRequest[] = [];
  /** Every call that changed profiles, for assertions on idempotence. */
  readonly calls: string[] = [];

  constructor(initial: { name: string; settings: Settings; modes?: Record<string, string> }[]) {
    super();
    for (const p of initial) this.profiles.set(p.name, { id: `id-${this.nextId++}`, settings: { ...p.settings } });
    const first = initial[0];
    if (!first) throw new Error('the fake needs at least one profile');
    this.active = first.name;
    for (const p of initial) for (const mode of Object.keys(p.modes ?? {})) this.modeProfiles.set(mode, this.idOf(p.name));
    if (!this.modeProfiles.has('code')) this.modeProfiles.set('code', this.idOf(first.name));
  }

  // --- test controls (not part of RooCodeAPI) ---

  setReady(ready: boolean): void {
    this.ready = ready;
  }

  /** The user (or the agent) switches mode: the mode's sticky profile becomes active. */
  switchMode(taskId: string, mode: string): void {
    this.mode = mode;
    const id = this.modeProfiles.get(mode);
    const name = [...this.profiles].find(([, p]) => p.id === id)?.[0];
    if (name) this.active = name;
    this.emit('taskModeSwitched', taskId, mode);
  }

  /** One API request of a task: records the model in force and emits the cumulative usage. */
  request(taskId: string, delta: { tokensIn: number; tokensOut: number; cost: number; cacheReads?: number }): void {
    const s = this.currentProfile().settings;
    const provider = typeof s['apiProvider'] === 'string' ? s['apiProvider'] : undefined;
    const key = MODEL_KEYS[provider ?? ''] ?? 'apiModelId';
    this.sent.push({ taskId, profile: this.active, provider, model: typeof s[key] === 'string' ? s[key] : undefined });
    const u = this.usage.get(taskId) ?? { totalTokensIn: 0, totalTokensOut: 0, totalCost: 0, contextTokens: 0 };
    const next: TokenUsage = {
      totalTokensIn: u.totalTokensIn + delta.tokensIn,
      totalTokensOut: u.totalTokensOut + delta.tokensOut,
      totalCacheReads: (u.totalCacheReads ?? 0) + (delta.cacheReads ?? 0),
      totalCost: u.totalCost + delta.cost,
      contextTokens: delta.tokensIn,
    };
    this.usage.set(taskId, next);
    this.emit('taskTokenUsageUpdated', taskId, next, {});
  }

  completeTask(taskId: string): void {
    const u = this.usage.get(taskId) ?? { totalTokensIn: 0, totalTokensOut: 0, totalCost: 0, contextTokens: 0 };
    this.emit('taskCompleted', taskId, u, {}, { isSubtask: false });
  }

  profileSettings(name: string): Settings | undefined {
    const p = this.profiles.get(name);
    return p ? { ...p.settings } : undefined;
  }

  // --- RooCodeAPI ---

  startNewTask({ configuration, text }: { configuration?: RooCodeSettings; text?: string; images?: string[]; newTab?: boolean }): Promise<string> {
    const name = configuration?.currentApiConfigName;
    if (name !== undefined) this.activate(name);
    const taskId = `task-${this.nextId++}`;
    this.stack.push(taskId);
    this.emit('taskCreated', taskId);
    this.emit('taskStarted', taskId);
    void text;
    return Promise.resolve(taskId);
  }

  resumeTask(taskId: string): Promise<void> {
    if (!this.usage.has(taskId) && !this.stack.includes(taskId)) return Promise.reject(new Error(`task ${taskId} not found in history`));
    return Promise.resolve();
  }

  isTaskInHistory(taskId: string): Promise<boolean> {
    return Promise.resolve(this.stack.includes(taskId));
  }

  getCurrentTaskStack(): string[] {
    return [...this.stack];
  }

  clearCurrentTask(): Promise<void> {
    this.stack.pop();
    return Promise.resolve();
  }

  cancelCurrentTask(): Promise<void> {
    const t = this.stack.pop();
    if (t) this.emit('taskAborted', t);
    return Promise.resolve();
  }

  sendMessage(): Promise<void> {
    return Promise.resolve();
  }

  pressPrimaryButton(): Promise<void> {
    return Promise.resolve();
  }

  pressSecondaryButton(): Promise<void> {
    return Promise.resolve();
  }

  isReady(): boolean {
    return this.ready;
  }

  getConfiguration(): RooCodeSettings {
    return { ...this.globals, ...this.currentProfile().settings, currentApiConfigName: this.active, mode: this.mode };
  }

  setConfiguration(values: RooCodeSettings): Promise<void> {
    this.globals = { ...this.globals, ...(values as Settings) };
    return Promise.resolve();
  }

  getProfiles(): string[] {
    return [...this.profiles.keys()];
  }

  getProfileEntry(name: string): ProviderSettingsEntry | undefined {
    const p = this.profiles.get(name);
    if (!p) return undefined;
    return { id: p.id, name, apiProvider: p.settings['apiProvider'] as ProviderSettingsEntry['apiProvider'] };
  }

  createProfile(name: string, profile: ProviderSettings = {}, activate = true): Promise<string> {
    if (this.profiles.has(name)) return Promise.reject(new Error(`profile "${name}" already exists`));
    const id = `id-${this.nextId++}`;
    this.profiles.set(name, { id, settings: stripMeta(profile) });
    this.calls.push(`create ${name}`);
    if (activate) this.activate(name);
    return Promise.resolve(id);
  }

  updateProfile(name: string, profile: ProviderSettings, activate = true): Promise<string | undefined> {
    const p = this.profiles.get(name);
    if (!p) return Promise.reject(new Error(`profile "${name}" does not exist`));
    p.settings = stripMeta(profile);
    this.calls.push(`update ${name}`);
    if (activate) this.activate(name);
    return Promise.resolve(p.id);
  }

  upsertProfile(name: string, profile: ProviderSettings, activate = true): Promise<string | undefined> {
    return this.profiles.has(name) ? this.updateProfile(name, profile, activate) : this.createProfile(name, profile, activate);
  }

  deleteProfile(name: string): Promise<void> {
    if (!this.profiles.has(name)) return Promise.reject(new Error(`profile "${name}" does not exist`));
    this.profiles.delete(name);
    if (this.active === name) this.active = this.profiles.keys().next().value ?? '';
    return Promise.resolve();
  }

  getActiveProfile(): string | undefined {
    return this.active;
  }

  setActiveProfile(name: string): Promise<string | undefined> {
    this.activate(name);
    this.calls.push(`activate ${name}`);
    return Promise.resolve(this.idOf(name));
  }

  private activate(name: string): void {
    if (!this.profiles.has(name)) throw new Error(`profile "${name}" does not exist`);
    this.active = name;
    // Activating a profile makes it the current mode's sticky profile, as in Roo.
    this.modeProfiles.set(this.mode, this.idOf(name));
  }

  private idOf(name: string): string {
    return this.profiles.get(name)?.id ?? '';
  }

  private currentProfile(): Profile {
    return this.profiles.get(this.active) as Profile;
  }
}

/** Profiles keep provider settings only; the profile list's own keys are not stored in one. */
function stripMeta(s: Settings): Settings {
  const { currentApiConfigName: _a, listApiConfigMeta: _b, modeApiConfigs: _c, mode: _d, ...rest } = s;
  return rest;
}
