import type * as vscode from 'vscode';
import type { ScorePanelHost } from '../panel';
import type { RoutingConfigService } from '../routingConfig';
import type { ApiKeyStore, KiloTokenStore } from '../secrets';
import type { Integrations } from '../seams';
import type { RoutingSession } from '../session';

/** What command handlers work with; built once in `activate`. */
export interface CommandContext {
  session: RoutingSession;
  panel: ScorePanelHost;
  settings: RoutingConfigService;
  apiKey: ApiKeyStore;
  kiloToken: KiloTokenStore;
  integrations: Integrations;
  log: vscode.LogOutputChannel;
}
