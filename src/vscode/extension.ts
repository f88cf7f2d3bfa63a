import * as vscode from 'vscode';
import { Commands, PANEL_VIEW_TYPE } from './commandIds';
import { registerCommands } from './commands';
import { EditTracker } from './editTracker';
import { ScoreHoverProvider } from './hover';
import { createIntegrations } from './integrations';
import { ScorePanelHost } from './panel';
import { RoutingConfigService } from './routingConfig';
import { ApiKeyStore, KiloTokenStore } from './secrets';
import { RoutingSession } from './session';
import { StatePublisher } from './statePublisher';
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

const versionOf = (context: vscode.ExtensionContext): string => {
  const v = (context.extension.packageJSON as { version?: unknown }).version;
  return typeof v === 'string' ? v : '0.0.0';
};

/** The composition root: read config, build objects, register them, hand every disposable to VS Code. */
export async function activate(context: vscode.ExtensionContext): Promise<ConvergenceApi> {
  const log = vscode.window.createOutputChannel('Convergence', { log: true });
  const settings = new RoutingConfigService(log);
  context.subscriptions.push(log, settings);
  await settings.reload('activation');
  const apiKey = new ApiKeyStore(context.secrets, process.env);
  const kiloToken = new KiloTokenStore(context.secrets);
  const { disposables, ...built } = createIntegrations({
    context,
    log,
    routing: () => settings.routing,
    onDidChangeRouting: settings.onDidChange,
    settings: () => settings.settings,
    onDidChangeSettings: settings.onDidChangeSettings,
    apiKey,
    kiloToken,
    env: process.env,
    version: versionOf(context),
  });
  context.subscriptions.push(...disposables);
  // Whatever the reviewer integration does, nothing is sent for review in an untrusted workspace.
  const integrations = { ...built, reviewer: built.reviewer && trustGuardedReviewer(built.reviewer, () => vscode.workspace.isTrusted) };
  const session = new RoutingSession(() => settings.routing, integrations, context.workspaceState, process.env);
  const panel = new ScorePanelHost(context.extensionUri, session, settings, log);
  context.subscriptions.push(
    session,
    panel,
    settings.onDidChange(() => session.rescore()),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, panel),
    registerCommands({ session, panel, settings, apiKey, kiloToken, integrations, log }),
    new RoutingStatusBar(session),
    new ScoreHoverProvider(session, settings, integrations),
  );
  if (integrations.patterns) context.subscriptions.push(new EditTracker(integrations.patterns, () => settings.settings.tracking, log));
  const changeEvents = new Set([
    integrations.patterns?.onDidChange,
    integrations.reviewer?.onDidChange,
    integrations.observations?.onDidChange,
    integrations.learning?.onDidChange,
    integrations.prices?.onDidChange,
  ]);
  // Learning and rollout settings are not part of the routing config: they re-score too.
  context.subscriptions.push(settings.onDidChangeSettings(() => session.rescore()));
  for (const onDidChange of changeEvents) if (onDidChange) context.subscriptions.push(onDidChange(() => session.rescore()));
  const kilo = integrations.kilo;
  if (kilo?.publish) context.subscriptions.push(new StatePublisher((state) => kilo.publish?.(state), settings, session, integrations));
  session.rescore();
  const present = Object.entries(integrations).filter(([, v]) => v !== undefined).map(([k]) => k);
  log.info(`activated (${Object.keys(settings.routing.modelProfiles).length} models, integrations: ${present.join(', ') || 'none'})`);
  return { session, panel, settings, commands: Commands };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
