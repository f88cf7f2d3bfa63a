import type * as vscode from 'vscode';
import type { RoutingConfig } from '../engine';
import { KiloIntegration } from './kiloIntegration';
import { PatternIntegration } from './patternIntegration';
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
  /** The extension's version, for what it writes. */
  version: string;
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
  const kilo = new KiloIntegration({ extensionPath: host.context.extensionPath, env: host.env, log: host.log, routing: host.routing, version: host.version });
  const patterns = new PatternIntegration(host.log);
  return {
    patterns,
    reviewer,
    kilo,
    // Reviews from the reviewer, with the cost and latency Kilo reported (outcomes.jsonl) merged in.
    // The learner (issue 6: Learner.observations for the request) is not wired yet.
    observations: {
      observations: () => kilo.observations(reviewer.observations()),
      onDidChange: (listener) => {
        const subs = [reviewer.onDidChange(listener), kilo.onDidChange(listener)];
        return { dispose: () => subs.forEach((d) => void d.dispose()) };
      },
    },
    disposables: [patterns, reviewer, kilo],
  };
}
