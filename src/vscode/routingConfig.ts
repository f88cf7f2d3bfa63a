import * as vscode from 'vscode';
import { ConfigStore, formatIssue, loadDefaultConfig, overlayFromObject, parseConfigText, parseDefaultLayer } from '../engine';
import type { ConfigError, ParseResult, RoutingConfig } from '../engine';
import { affectsRouting, DEFAULTS, readConfig, SECTION, settingsOverlay } from './config';
import type { Config, SettingsReader, WeightKey } from './config';
import { FilePoll } from './filePoll';
import type { FileSignature } from './filePoll';
import { Disposable, Emitter } from './lifecycle';
import { trustAwareReader } from './trust';

/** Label of the settings layer in messages. */
const SETTINGS_LABEL = 'settings';

/** Translates an engine key path of the settings layer back to the setting the user edits. */
const SETTING_FOR_PATH: Record<string, string> = {
  'routing.convergence.enabled': 'convergence.enabled',
  'routing.convergence.opus.timeout': 'convergence.review.timeoutMs',
  'routing.convergence.opus.cacheTTL': 'convergence.review.cacheTtlHours',
  'routing.convergence.opus': 'convergence.review',
  'routing.convergence.selection.maxCostPerRequest': 'convergence.maxCostPerRequest',
  'routing.convergence.selection': 'convergence.models',
  'routing.convergence': 'convergence',
};

function describeError(err: ConfigError): string {
  return err.issues
    .map((i) => {
      if (i.file !== SETTINGS_LABEL) return formatIssue(i);
      const prefix = Object.keys(SETTING_FOR_PATH).find((p) => i.path === p || i.path.startsWith(`${p}.`));
      const setting = prefix ? `${SETTING_FOR_PATH[prefix]}${i.path.slice(prefix.length)}` : i.path;
      return formatIssue({ ...i, path: setting });
    })
    .join('; ');
}

/** A settings reader over `vscode.workspace.getConfiguration('convergence')`, honouring workspace trust. */
function settingsReader(trusted: boolean): SettingsReader {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  return trustAwareReader((key) => cfg.inspect(key), trusted);
}

/**
 * Holds the routing config in force: the embedded default, then the workspace YAML file (only
 * in a trusted workspace), then the settings the user set. A bad value anywhere keeps the last
 * good config and says what is wrong and where.
 */
export class RoutingConfigService extends Disposable {
  private readonly changed = this.register(new Emitter<RoutingConfig>());
  /** Fires after every reload that changed the routing config. */
  readonly onDidChange = this.changed.event;
  private readonly uiChanged = this.register(new Emitter<Config>());
  /** Fires when a setting that does not affect routing (hover, tracking) changed. */
  readonly onDidChangeSettings = this.uiChanged.event;
  private readonly store: ConfigStore;
  private current: Config;
  private watcher: vscode.FileSystemWatcher | undefined;
  private poll: FilePoll | undefined;
  private watchedPath: string | undefined;
  private loads = 0;
  private raw: Record<WeightKey, number> = { ...DEFAULTS.weights };

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    super();
    this.store = new ConfigStore(loadDefaultConfig(env).config);
    this.current = readConfig(settingsReader(vscode.workspace.isTrusted)).config;
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(SECTION)) return;
        if (affectsRouting((k) => e.affectsConfiguration(k))) void this.reload('settings changed');
        else {
          this.readSettings();
          this.uiChanged.fire(this.current);
        }
      }),
    );
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reload('workspace trusted')));
    this.register({
      dispose: () => {
        this.watcher?.dispose();
        this.poll?.dispose();
      },
    });
  }

  /** The routing config in force. */
  get routing(): RoutingConfig {
    return this.store.config;
  }

  /** The settings snapshot in force. */
  get settings(): Config {
    return this.current;
  }

  /**
   * The weights as written, before the engine normalises them: the user's settings over the
   * config file over the default. The panel's sliders show these, so moving one slider does not
   * appear to move the others.
   */
  get rawWeights(): Readonly<Record<WeightKey, number>> {
    return this.raw;
  }

  /** How many reloads finished; tests wait on it. */
  get loadCount(): number {
    return this.loads;
  }

  /** The workspace config file, when there is a folder to resolve it against (trusted or not). */
  configFileUri(): vscode.Uri | undefined {
    const p = this.current.configPath.trim();
    if (p === '') return undefined;
    if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) return vscode.Uri.file(p);
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? vscode.Uri.joinPath(folder.uri, p) : undefined;
  }

  private readSettings(): string[] {
    const { config, problems } = readConfig(settingsReader(vscode.workspace.isTrusted), this.current);
    this.current = config;
    return problems;
  }

  private queue: Promise<void> = Promise.resolve();

  /** Re-reads settings and the config file and rebuilds the routing config; reloads run one at a time, in order. */
  reload(reason: string): Promise<void> {
    this.queue = this.queue
      .then(() => this.load(reason))
      .catch((err: unknown) => this.log.error(`reloading the routing config failed: ${err instanceof Error ? err.message : String(err)}`));
    return this.queue;
  }

  private async load(reason: string): Promise<void> {
    const problems = this.readSettings();
    const trusted = vscode.workspace.isTrusted;
    const fileUri = trusted ? this.configFileUri() : undefined;
    this.watch(fileUri);
    let fileText: string | undefined;
    if (fileUri) {
      // Recorded before reading: a write in between shows as a change at the next poll.
      this.poll?.record(await signatureOf(fileUri));
      try {
        fileText = new TextDecoder().decode(await vscode.workspace.fs.readFile(fileUri));
      } catch {
        fileText = undefined; // No workspace file is the normal case.
      }
    } else if (!trusted && this.configFileUri()) {
      this.log.info('untrusted workspace: the workspace routing config file is ignored');
    }
    const fileLabel = fileUri ? vscode.workspace.asRelativePath(fileUri) : '';
    let layers: ParseResult[] = [];
    const outcome = this.store.reload(() => {
      layers = [parseDefaultLayer(this.env)];
      if (fileText !== undefined) layers.push(parseConfigText(fileText, { file: fileLabel, env: this.env }));
      layers.push(overlayFromObject(settingsOverlay(this.current), SETTINGS_LABEL));
      return layers;
    });
    if (!outcome.error) this.raw = layers.reduce<Record<WeightKey, number>>((w, l) => ({ ...w, ...l.layer.overlay.weights }), { ...DEFAULTS.weights });
    for (const w of outcome.warnings) this.log.warn(w);
    if (outcome.error) problems.push(`${describeError(outcome.error)}; keeping the last good routing config`);
    for (const p of problems) {
      this.log.error(p);
      void vscode.window.showWarningMessage(`Convergence: ${p}`, 'Show Log').then((pick) => {
        if (pick) this.log.show(true);
      });
    }
    this.loads++;
    this.log.info(`routing config reloaded (${reason})${fileText !== undefined ? ` with ${fileLabel}` : ''}`);
    this.changed.fire(this.store.config);
  }

  private watch(uri: vscode.Uri | undefined): void {
    const key = uri?.toString();
    if (key === this.watchedPath) return;
    this.watcher?.dispose();
    this.poll?.dispose();
    this.watcher = undefined;
    this.poll = undefined;
    this.watchedPath = key;
    if (!uri) return;
    // Watch through the workspace folder when the file is inside it: the folder exists even when
    // `.vscode/` does not yet, so creating the file is seen too.
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const pattern = folder
      ? new vscode.RelativePattern(folder, vscode.workspace.asRelativePath(uri, false))
      : new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), uri.path.split('/').pop() ?? '');
    const w = vscode.workspace.createFileSystemWatcher(pattern);
    const again = (): void => void this.reload('config file changed');
    w.onDidChange(again);
    w.onDidCreate(again);
    w.onDidDelete(again);
    this.watcher = w;
    // A watcher can miss events (one that was not ready yet when the file was first written, or
    // a machine out of inotify watches); a look every few seconds catches what it missed.
    this.poll = new FilePoll(() => signatureOf(uri), again);
  }

  /**
   * Writes one weight where the user keeps it: the workspace when it already sets weights,
   * the user settings otherwise. The change then comes back through `onDidChangeConfiguration`.
   */
  async writeWeight(name: WeightKey, value: number): Promise<void> {
    const cfg = vscode.workspace.getConfiguration(SECTION);
    const key = `weights.${name}`;
    const i = cfg.inspect(key);
    const target = i?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await cfg.update(key, Math.round(value * 100) / 100, target);
  }
}

/** The config file's modification time and size, or "missing". */
async function signatureOf(uri: vscode.Uri): Promise<FileSignature> {
  try {
    const st = await vscode.workspace.fs.stat(uri);
    return `${st.mtime}:${st.size}`;
  } catch {
    return 'missing';
  }
}
