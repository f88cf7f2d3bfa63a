// Applies routing decisions to Kilo Code 5.x and Roo Code through the API their activate()
// returns (typed by @roo-code/types as RooCodeAPI), and reads their token usage back into the
// same outcomes log as the Kilo 7 plugin. The API object is passed in: no 'vscode' here.
import type { ProviderSettings, RooCodeAPI, RooCodeAPIEvents, RooCodeSettings, TokenUsage } from '@roo-code/types';
import type { OutcomeRecord } from './logs';
import { parseModelKey } from './models';

/** Which fork is on the other end: Kilo 5.x adds the `kilocode` provider to Roo's. */
export type LegacyFlavor = 'kilo5' | 'roo';

/** The model to apply: a profile's Kilo id (`anthropic/claude-opus-4.5`). */
export interface LegacyChoice {
  kiloModel: string;
  /** The engine's profile id, for messages. */
  profileId?: string | undefined;
  /** Ids the user's direct providers use when they differ from the Kilo id (`anthropic` → `claude-opus-4-5`). */
  providerModelIds?: Readonly<Record<string, string>> | undefined;
}

export interface ApplyResult {
  applied: boolean;
  /** The API profile that holds the choice. */
  profileName: string;
  /** The provider the profile uses (the one active before). */
  provider?: string | undefined;
  /** The settings key set and its value. */
  modelKey?: string | undefined;
  modelId?: string | undefined;
  message: string;
}

export interface LegacyAdapterOptions {
  flavor: LegacyFlavor;
  /** Name of the profile the adapter owns. Default "Convergence Router". */
  profileName?: string | undefined;
  /** Receives one record per usage update (use `appendOutcome(project, …)`). */
  onOutcome?: ((outcome: OutcomeRecord) => void) | undefined;
  now?: (() => number) | undefined;
  /** Problems while re-applying or recording; never thrown into the host. */
  log?: ((message: string) => void) | undefined;
}

/** Settings this adapter writes, beyond Roo's types: Kilo 5 adds its own provider. */
type LegacySettings = Omit<ProviderSettings, 'apiProvider'> & {
  apiProvider?: ProviderSettings['apiProvider'] | 'kilocode';
  kilocodeModel?: string;
};

/** Gateways take the Kilo id as it is, under their own settings key. */
const GATEWAY_KEYS: Readonly<Record<string, string>> = {
  kilocode: 'kilocodeModel',
  openrouter: 'openRouterModelId',
  'vercel-ai-gateway': 'vercelAiGatewayModelId',
  requesty: 'requestyModelId',
  unbound: 'unboundModelId',
  litellm: 'litellmModelId',
};

/** Direct providers serve one vendor's models under `apiModelId`. */
const DIRECT_VENDOR: Readonly<Record<string, string>> = {
  anthropic: 'anthropic',
  'openai-native': 'openai',
  gemini: 'google',
  vertex: 'google',
  deepseek: 'deepseek',
  xai: 'x-ai',
  moonshot: 'moonshotai',
  zai: 'z-ai',
  minimax: 'minimax',
  mistral: 'mistralai',
};

/** Keys of getConfiguration() that describe the profile list rather than a provider. */
const NOT_PROVIDER_KEYS = ['currentApiConfigName', 'listApiConfigMeta', 'modeApiConfigs', 'id'];

/** The model id the settings select, whichever key their provider uses. */
export function modelIdOf(settings: Readonly<Record<string, unknown>>): string | undefined {
  const provider = typeof settings['apiProvider'] === 'string' ? settings['apiProvider'] : undefined;
  const key = provider && GATEWAY_KEYS[provider] ? GATEWAY_KEYS[provider] : provider === 'openai' ? 'openAiModelId' : 'apiModelId';
  const v = settings[key];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Where a Kilo id goes in a profile of the given provider, or why it cannot: a gateway takes
 * the id as it is; a direct provider only its own vendor's models (Anthropic's ids use dashes
 * where Kilo's use dots).
 */
export function settingsForModel(provider: string, choice: LegacyChoice): { key: string; value: string } | { error: string } {
  const gatewayKey = GATEWAY_KEYS[provider];
  if (gatewayKey) return { key: gatewayKey, value: choice.kiloModel };
  const override = choice.providerModelIds?.[provider];
  if (override) return { key: provider === 'openai' ? 'openAiModelId' : 'apiModelId', value: override };
  const ref = parseModelKey(choice.kiloModel);
  const vendor = DIRECT_VENDOR[provider];
  if (ref && vendor === ref.providerID) {
    return { key: 'apiModelId', value: provider === 'anthropic' ? ref.modelID.replace(/\./g, '-') : ref.modelID };
  }
  return {
    error: `the active provider "${provider}" cannot run ${choice.kiloModel}; switch to the Kilo Code or OpenRouter provider, or give the model's id for "${provider}"`,
  };
}

/**
 * "Apply recommended model" for Kilo 5.x and Roo Code: keeps one profile of its own, pointed at
 * the chosen model with the user's current provider and credentials, and activates it (the
 * running task uses it from its next request). A mode switch activates the mode's own profile,
 * so the choice is applied again after `taskModeSwitched`. Token usage (`taskTokenUsageUpdated`,
 * `taskCompleted`, both cumulative per task) becomes one outcome record per increase.
 */
export class LegacyKiloAdapter {
  readonly profileName: string;
  private readonly api: RooCodeAPI;
  private readonly options: LegacyAdapterOptions;
  private readonly now: () => number;
  private applied: { choice: LegacyChoice; provider: string; modelId: string } | undefined;
  /** Per task: the last cumulative usage seen and when. */
  private readonly tasks = new Map<string, { usage: TokenUsage; at: number }>();
  private readonly disposers: (() => void)[] = [];

  constructor(api: RooCodeAPI, options: LegacyAdapterOptions) {
    this.api = api;
    this.options = options;
    this.profileName = options.profileName ?? 'Convergence Router';
    this.now = options.now ?? Date.now;
    this.listen('taskStarted', (taskId) => {
      this.tasks.set(taskId, { usage: emptyUsage(), at: this.now() });
    });
    this.listen('taskModeSwitched', () => {
      void this.reapply();
    });
    this.listen('taskTokenUsageUpdated', (taskId, usage) => this.record(taskId, usage));
    this.listen('taskCompleted', (taskId, usage) => {
      this.record(taskId, usage);
      this.tasks.delete(taskId);
    });
    this.listen('taskAborted', (taskId) => {
      this.tasks.delete(taskId);
    });
  }

  /** The last choice applied, if any. */
  get lastApplied(): { kiloModel: string; provider: string; modelId: string } | undefined {
    return this.applied ? { kiloModel: this.applied.choice.kiloModel, provider: this.applied.provider, modelId: this.applied.modelId } : undefined;
  }

  /** Upserts the adapter's profile for the chosen model and activates it. */
  async applyRecommendedModel(choice: LegacyChoice): Promise<ApplyResult> {
    if (!this.api.isReady()) {
      return { applied: false, profileName: this.profileName, message: `${this.hostName()} is not ready yet; try again in a moment` };
    }
    const current = this.api.getConfiguration() as Record<string, unknown>;
    const provider = typeof current['apiProvider'] === 'string' ? current['apiProvider'] : this.options.flavor === 'kilo5' ? 'kilocode' : 'openrouter';
    const target = settingsForModel(provider, choice);
    if ('error' in target) return { applied: false, profileName: this.profileName, provider, message: `Not applied: ${target.error}.` };
    const settings: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(current)) if (!NOT_PROVIDER_KEYS.includes(k)) settings[k] = v;
    settings['apiProvider'] = provider;
    settings[target.key] = target.value;
    // Kilo 5's provider is not in Roo's types; the API takes the settings object as it is.
    await this.api.upsertProfile(this.profileName, settings as LegacySettings as ProviderSettings, true);
    if (this.api.getActiveProfile() !== this.profileName) await this.api.setActiveProfile(this.profileName);
    this.applied = { choice, provider, modelId: target.value };
    return {
      applied: true,
      profileName: this.profileName,
      provider,
      modelKey: target.key,
      modelId: target.value,
      message: `${this.hostName()} now uses ${target.value} (profile "${this.profileName}", provider ${provider}); a running task switches from its next request.`,
    };
  }

  /** Starts a task on the adapter's profile (applies the choice first). */
  async startTask(choice: LegacyChoice, text: string): Promise<string> {
    const r = await this.applyRecommendedModel(choice);
    if (!r.applied) throw new Error(r.message);
    const configuration = { currentApiConfigName: this.profileName } as RooCodeSettings;
    return this.api.startNewTask({ configuration, text });
  }

  /** Removes the adapter's listeners. */
  dispose(): void {
    for (const d of this.disposers.splice(0)) d();
  }

  private listen<K extends keyof RooCodeAPIEvents>(event: K, fn: (...args: RooCodeAPIEvents[K]) => void): void {
    const wrapped = (...args: RooCodeAPIEvents[K]): void => {
      try {
        fn(...args);
      } catch (err) {
        this.options.log?.(`handling ${event} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    // Node's typed EventEmitter cannot relate a generic K to its conditional listener type.
    type Subscribe = (e: K, l: typeof wrapped) => unknown;
    (this.api.on.bind(this.api) as Subscribe)(event, wrapped);
    this.disposers.push(() => (this.api.off.bind(this.api) as Subscribe)(event, wrapped));
  }

  private async reapply(): Promise<void> {
    if (!this.applied) return;
    try {
      if (this.api.getActiveProfile() !== this.profileName && this.api.getProfiles().includes(this.profileName)) {
        await this.api.setActiveProfile(this.profileName);
      }
    } catch (err) {
      this.options.log?.(`re-applying ${this.applied.modelId} after a mode switch failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private record(taskId: string, usage: TokenUsage): void {
    const now = this.now();
    const prev = this.tasks.get(taskId) ?? { usage: emptyUsage(), at: now };
    this.tasks.set(taskId, { usage, at: now });
    const cost = usage.totalCost - prev.usage.totalCost;
    const input = usage.totalTokensIn - prev.usage.totalTokensIn;
    const output = usage.totalTokensOut - prev.usage.totalTokensOut;
    if (cost <= 0 && input <= 0 && output <= 0) return;
    const outcome: OutcomeRecord = {
      ts: new Date(now).toISOString(),
      sessionID: taskId,
      modelId: this.modelInUse(),
      costUsd: Math.max(0, cost),
      tokens: { input: Math.max(0, input), output: Math.max(0, output), cacheRead: Math.max(0, (usage.totalCacheReads ?? 0) - (prev.usage.totalCacheReads ?? 0)) },
      durationMs: Math.max(0, now - prev.at),
    };
    this.options.onOutcome?.(outcome);
  }

  /** `provider/model` for the outcome: the applied Kilo id when our profile is active. */
  private modelInUse(): string {
    if (this.applied && this.api.getActiveProfile() === this.profileName) {
      const { provider, choice } = this.applied;
      return GATEWAY_KEYS[provider] ? `${provider}/${choice.kiloModel}` : choice.kiloModel;
    }
    const config = this.api.getConfiguration() as Record<string, unknown>;
    const provider = typeof config['apiProvider'] === 'string' ? config['apiProvider'] : 'unknown';
    return `${provider}/${modelIdOf(config) ?? 'unknown'}`;
  }

  private hostName(): string {
    return this.options.flavor === 'kilo5' ? 'Kilo Code' : 'Roo Code';
  }
}

function emptyUsage(): TokenUsage {
  return { totalTokensIn: 0, totalTokensOut: 0, totalCost: 0, contextTokens: 0 };
}
