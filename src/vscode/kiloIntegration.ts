import { statSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Observations, RoutingConfig } from '../engine';
import { detectIntegration } from '../kilo/detect';
import type { Integration } from '../kilo/detect';
import { installedPlugin, installKiloPlugin } from '../kilo/install';
import { LegacyKiloAdapter } from '../kilo/legacy-adapter';
import { appendOutcome, mergeObservations, observationsFromOutcomes, readActivity, readDecisions, readOutcomes } from '../kilo/logs';
import type { DecisionRecord, OutcomeRecord } from '../kilo/logs';
import { projectPaths } from '../kilo/paths';
import { writeStateFile } from '../kilo/state';
import { FilePoll } from './filePoll';
import { Disposable, Emitter } from './lifecycle';
import type { KiloView } from '../../webview/protocol';
import type { KiloBridge, PublishedState } from './seams';

/** What the adapter needs from the host. */
export interface KiloIntegrationOptions {
  extensionPath: string;
  env: Readonly<Record<string, string | undefined>>;
  log: vscode.LogOutputChannel;
  routing: () => RoutingConfig;
  /** Package version, for state.json's `writer`. */
  version: string;
}

const versionOf = (pkg: unknown): string => {
  const v = (pkg as { version?: unknown } | undefined)?.version;
  return typeof v === 'string' ? v : '';
};

const folderPath = (): string | undefined => {
  const f = vscode.workspace.workspaceFolders?.[0];
  return f?.uri.scheme === 'file' ? f.uri.fsPath : undefined;
};

/** How often the outcomes log is checked for growth, besides the file watcher. */
const OUTCOMES_POLL_MS = 3000;

/** Size and modification time of one of Kilo's logs: it changes whenever Kilo appends or rotates. */
function logStamp(file: string): string {
  try {
    const st = statSync(file);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return 'absent';
  }
}

const outcomesStamp = (folder: string): string => logStamp(projectPaths(folder).outcomes);

/**
 * The extension's side of the Kilo integration (`src/kilo`): installs the plugin, applies a pick
 * through Kilo 5.x's or Roo Code's API (Kilo 7 routes inside Kilo through the plugin), publishes
 * the session state the plugin routes with, and reads the usage Kilo reported back.
 */
export class KiloIntegration extends Disposable implements KiloBridge {
  private legacy: { adapter: LegacyKiloAdapter; api: unknown } | undefined;
  /** Observations from the outcomes log, valid while the log's size and mtime are `stamp`. */
  private usageCache: { stamp: string; observations: Observations } | undefined;
  /** The "last routed" line, valid while both logs' sizes and mtimes are `stamp`. */
  private activityCache: { stamp: string; text: string } | undefined;
  private readonly changed = this.register(new Emitter<void>());
  /** Fires when Kilo appended outcomes (the usage observations changed). */
  readonly onDidChange = this.changed.event;
  private readonly logsChanged = this.register(new Emitter<void>());
  /** Fires when the plugin (or the legacy adapter) appended to decisions.jsonl or outcomes.jsonl. */
  readonly onDidChangeLogs = this.logsChanged.event;

  constructor(private readonly options: KiloIntegrationOptions) {
    super();
    this.register({ dispose: () => this.legacy?.adapter.dispose() });
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder) {
      const watcher = this.register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '.kilo/convergence/{decisions,outcomes}.jsonl*')));
      const again = (log: 'decisions' | 'outcomes'): void => {
        this.logsChanged.fire();
        if (log !== 'outcomes') return;
        this.usageCache = undefined;
        this.changed.fire();
      };
      const fromUri = (uri: vscode.Uri): void => again(path.basename(uri.fsPath).startsWith('outcomes') ? 'outcomes' : 'decisions');
      this.register(watcher.onDidChange(fromUri));
      this.register(watcher.onDidCreate(fromUri));
      this.register(watcher.onDidDelete(fromUri));
      // File watchers can be late or miss events (remote hosts, busy machines, folders created
      // after the watch began), so a cheap stat every few seconds backs the watcher up.
      const paths = projectPaths(folder.uri.fsPath);
      for (const log of ['outcomes', 'decisions'] as const) {
        const stamp = (): Promise<string> => Promise.resolve(logStamp(paths[log]));
        this.register(new FilePoll(stamp, () => again(log), OUTCOMES_POLL_MS)).record(logStamp(paths[log]));
      }
    }
  }

  /** Both logs of the workspace, for the learner; empty without a folder. */
  readLogs(): { decisions: DecisionRecord[]; outcomes: OutcomeRecord[] } {
    const folder = folderPath();
    if (!folder) return { decisions: [], outcomes: [] };
    const decisions = readDecisions(folder);
    const outcomes = readOutcomes(folder);
    const bad = decisions.bad.length + outcomes.bad.length;
    if (bad > 0) this.options.log.warn(`kilo logs: ${bad} unreadable line(s) skipped`);
    return { decisions: decisions.records, outcomes: outcomes.records };
  }

  /** What the panel says about Kilo: the integration in force, the extension behind it, the last routed turn. */
  status(): KiloView {
    const integration = this.detect();
    let detail: string | undefined;
    if (integration.kind !== 'none') {
      const ext = vscode.extensions.all.find((e) => e.id.toLowerCase() === integration.extensionId.toLowerCase());
      const active = ext?.isActive ?? false;
      const exported =
        integration.kind === 'legacy-api'
          ? 'exports its API (RooCodeAPI: profiles, tasks, token usage)'
          : !active
            ? 'exports unknown until it is active'
            : ext?.exports === undefined
              ? 'exports nothing'
              : 'exports no API this version can use';
      detail = `${integration.extensionId} ${integration.version}, ${active ? 'active' : 'not active'}, ${exported}${integration.kind === 'kilo-plugin' ? `; routing plugin ${integration.pluginInstalled ? 'installed' : 'not installed'}` : ''}`;
    }
    const folder = folderPath();
    let activity: string | undefined;
    if (folder) {
      // Stamped, not invalidated by events: the line is never older than the logs themselves.
      const paths = projectPaths(folder);
      const stamp = `${logStamp(paths.decisions)}|${logStamp(paths.outcomes)}`;
      if (this.activityCache?.stamp !== stamp) {
        let text: string;
        try {
          text = readActivity(folder).text;
        } catch (err) {
          text = `the Kilo logs could not be read: ${err instanceof Error ? err.message : String(err)}`;
        }
        this.activityCache = { stamp, text };
      }
      activity = this.activityCache.text;
    }
    return { integration: integration.summary, kind: integration.kind, detail, others: integration.others, activity };
  }

  /** Which Kilo (or Roo) is here and how routing reaches it. */
  detect(): Integration {
    const folder = folderPath();
    const installed = installedPlugin({ project: folder, env: this.options.env });
    const extensions = vscode.extensions.all.map((e) => ({
      id: e.id,
      version: versionOf(e.packageJSON),
      isActive: e.isActive,
      exports: e.isActive ? (e.exports as unknown) : undefined,
    }));
    return detectIntegration(extensions, { pluginInstalled: installed.project !== undefined || installed.global !== undefined });
  }

  canApply(): boolean {
    return this.detect().kind === 'legacy-api';
  }

  /** Puts a model id on the clipboard; says so only when that worked (a browser may refuse). */
  private async copy(kiloModel: string): Promise<string> {
    try {
      await vscode.env.clipboard.writeText(kiloModel);
      return ` Copied ${kiloModel} to the clipboard.`;
    } catch {
      return ` The Kilo model id is ${kiloModel}.`;
    }
  }

  async applyModel(kiloModel: string, context: { modelId: string; reason: string }): Promise<string> {
    const integration = this.detect();
    switch (integration.kind) {
      case 'legacy-api': {
        const folder = folderPath();
        if (!this.legacy || this.legacy.api !== integration.api) {
          this.legacy?.adapter.dispose();
          const adapter = new LegacyKiloAdapter(integration.api, {
            flavor: integration.flavor,
            onOutcome: folder ? (o) => appendOutcome(folder, o) : undefined,
            log: (m) => this.options.log.warn(`kilo: ${m}`),
          });
          this.legacy = { adapter, api: integration.api };
        }
        const result = await this.legacy.adapter.applyRecommendedModel({ kiloModel, profileId: context.modelId });
        return result.message;
      }
      case 'kilo-plugin': {
        // Kilo 7 has no API to set a model from outside: the plugin routes each turn inside Kilo.
        let installed = '';
        if (!integration.pluginInstalled) {
          const message = await this.installPlugin();
          installed = `${message} `;
        }
        return `${installed}Kilo Code ${integration.version} routes through the routing plugin: it picks the model before each generation with the settings, patterns and learned statistics this panel uses. To force ${kiloModel} for one turn, pick it in Kilo's model menu.${await this.copy(kiloModel)}`;
      }
      case 'legacy-inactive':
        return `Not applied: ${integration.summary}${await this.copy(kiloModel)}`;
      case 'none':
        return `Not applied: ${integration.summary} With the Kilo CLI, "Install Kilo Routing Plugin" routes its turns.${await this.copy(kiloModel)}`;
      default: {
        const never: never = integration;
        return String(never);
      }
    }
  }

  /** Installs the plugin for this workspace (or, with no folder open, for the user). */
  installPlugin(): Promise<string> {
    const folder = folderPath();
    const result = installKiloPlugin({
      project: folder,
      global: folder === undefined,
      source: path.join(this.options.extensionPath, 'dist', 'kilo-plugin.js'),
      env: this.options.env,
    });
    this.options.log.info(`kilo plugin ${result.action}: ${result.target}`);
    return Promise.resolve(result.message);
  }

  /** Writes state.json for the plugin, when the plugin is installed for this workspace or user. */
  publish(state: PublishedState): void {
    const folder = folderPath();
    if (!folder) return;
    const installed = installedPlugin({ project: folder, env: this.options.env });
    if (installed.project === undefined && installed.global === undefined) return;
    try {
      writeStateFile(projectPaths(folder).state, {
        version: 1,
        updatedAt: new Date().toISOString(),
        writer: `convergence-router ${this.options.version}`,
        patternProfile: state.patternProfile,
        languages: state.languages,
        settings: state.settings,
        observations: state.observations,
        enabled: state.enabled,
      });
    } catch (err) {
      this.options.log.error(`could not publish the routing state for Kilo: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Observed cost and latency from Kilo's outcomes log, merged over `base`; read at most every few seconds. */
  observations(base: Observations): Observations {
    const folder = folderPath();
    if (!folder) return base;
    const stamp = outcomesStamp(folder);
    if (this.usageCache?.stamp !== stamp) {
      const { records, bad } = readOutcomes(folder);
      if (bad.length > 0) this.options.log.warn(`kilo outcomes: ${bad.length} unreadable line(s) skipped`);
      this.usageCache = { stamp, observations: observationsFromOutcomes(this.options.routing(), records) };
    }
    return mergeObservations(base, this.usageCache.observations);
  }
}
