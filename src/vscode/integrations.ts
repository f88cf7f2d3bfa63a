import type * as vscode from 'vscode';
import type { RoutingConfig } from '../engine';
import { ReviewIntegration } from './reviewIntegration';
import type { ApiKeyStore } from './secrets';
import type { Integrations } from './seams';

/** What the integrations are built from. */
export interface IntegrationHost {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  routing: () => RoutingConfig;
  onDidChangeRouting: vscode.Event<unknown>;
  apiKey: ApiKeyStore;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Builds the optional integrations. This is the one place where pattern detection
 * (`src/patterns`), the reviewer (`src/review`), Kilo (`src/kilo`) and learning from outcomes
 * plug in; each member left undefined makes the extension say that part is not available.
 * Heavy modules (the Anthropic SDK, parser grammars) load lazily inside their adapters.
 * Every returned object that has a `dispose` is disposed with the extension.
 */
export function createIntegrations(host: IntegrationHost): Integrations & { disposables: vscode.Disposable[] } {
  const reviewer = new ReviewIntegration({
    settings: () => host.routing().opus,
    onDidChangeSettings: host.onDidChangeRouting,
    getSecret: () => host.apiKey.get(),
    env: host.env,
    log: host.log,
    storageDir: host.context.globalStorageUri.scheme === 'file' ? host.context.globalStorageUri.fsPath : undefined,
  });
  return {
    reviewer,
    // Until learning from outcomes (issue 6) lands, the reviewer's observations are the only ones.
    observations: reviewer,
    disposables: [reviewer],
  };
}
