import * as vscode from 'vscode';
import { Commands, PANEL_VIEW_TYPE } from './commandIds';
import { registerCommands } from './commands';
import { EditTracker } from './editTracker';
import { ScoreHoverProvider } from './hover';
import { createIntegrations } from './integrations';
import { ScorePanelHost } from './panel';
import { RoutingConfigService } from './routingConfig';
import { ApiKeyStore } from './secrets';
import { RoutingSession } from './session';
import { RoutingStatusBar } from './statusBar';
import { trustGuardedReviewer } from './trust';

/**
 * What `activate` returns: the live objects, for the integration tests and for automation.
 * Not a stable API.
 */
export interface ConvergenceApi {
  readonly session: RoutingSession;
  readonly panel: ScorePanelHost;
  readonly settings: RoutingConfigService;
  readonly commands: typeof Commands;
}

/** The composition root: read config, build objects, register them, hand every disposable to VS Code. */
export async function activate(context: vscode.ExtensionContext): Promise<ConvergenceApi> {
  const log = vscode.window.createOutputChannel('Convergence', { log: true });
  const built = createIntegrations(context, log);
  // Whatever the reviewer integration does, nothing is sent for review in an untrusted workspace.
  const integrations = { ...built, reviewer: built.reviewer && trustGuardedReviewer(built.reviewer, () => vscode.workspace.isTrusted) };
  const settings = new RoutingConfigService(log);
  await settings.reload('activation');
  const session = new RoutingSession(() => settings.routing, integrations, context.workspaceState, process.env);
  const panel = new ScorePanelHost(context.extensionUri, session, settings, log);
  context.subscriptions.push(
    log,
    settings,
    session,
    panel,
    settings.onDidChange(() => session.rescore()),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, panel),
    registerCommands({ session, panel, settings, apiKey: new ApiKeyStore(context.secrets, process.env), integrations, log }),
    new RoutingStatusBar(session),
    new ScoreHoverProvider(session, settings, integrations),
  );
  if (integrations.patterns) context.subscriptions.push(new EditTracker(integrations.patterns, () => settings.settings.tracking, log));
  for (const source of [integrations.patterns, integrations.reviewer, integrations.observations]) {
    if (source?.onDidChange) context.subscriptions.push(source.onDidChange(() => session.rescore()));
  }
  session.rescore();
  log.info(`activated (${Object.keys(settings.routing.modelProfiles).length} models, integrations: ${Object.entries(integrations).filter(([, v]) => v !== undefined).map(([k]) => k).join(', ') || 'none'})`);
  return { session, panel, settings, commands: Commands };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
