import path from 'node:path';
import type * as vscode from 'vscode';
import type { RoutingConfig } from '../engine';
import { fileCatalogCache } from '../kilo/catalog';
import type { Config } from './config';
import { KiloCatalog } from './kiloCatalog';
import { KiloIntegration } from './kiloIntegration';
import { LearningIntegration } from './learningIntegration';
import { PatternIntegration } from './patternIntegration';
import { ReviewIntegration } from './reviewIntegration';
import type { ApiKeyStore, KiloTokenStore } from './secrets';
import type { Integrations } from './seams';

/** What the integrations are built from. */
export interface IntegrationHost {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  routing: () => RoutingConfig;
  onDidChangeRouting: vscode.Event<unknown>;
  /** The settings snapshot in force, and its changes that do not touch routing. */
  settings: () => Config;
  onDidChangeSettings: vscode.Event<Config>;
  apiKey: ApiKeyStore;
  kiloToken: KiloTokenStore;
  env: Readonly<Record<string, string | undefined>>;
  /** The extension's version, for what it writes. */
  version: string;
}

/** How often the gateway's list is looked at again (it is fetched only when the day-long cache is out of date). */
const CATALOG_CHECK_MS = 60 * 60_000;

/**
 * Builds the optional integrations. This is the one place where pattern detection
 * (`src/patterns`), the reviewer (`src/review`), Kilo (`src/kilo`), the gateway's live prices
 * and learning from outcomes plug in; each member left undefined makes the extension say that
 * part is not available. Heavy modules (the Anthropic SDK, parser grammars) load lazily inside
 * their adapters. Every returned object that has a `dispose` is disposed with the extension.
 */
export function createIntegrations(host: IntegrationHost): Integrations & { disposables: vscode.Disposable[] } {
  const storageDir = host.context.globalStorageUri.scheme === 'file' ? host.context.globalStorageUri.fsPath : undefined;
  const reviewer = new ReviewIntegration({
    settings: () => host.routing().opus,
    onDidChangeSettings: host.onDidChangeRouting,
    getSecret: () => host.apiKey.get(),
    env: host.env,
    log: host.log,
    storageDir,
  });
  const kilo = new KiloIntegration({ extensionPath: host.context.extensionPath, env: host.env, log: host.log, routing: host.routing, version: host.version });
  const patterns = new PatternIntegration(host.log);
  const prices = new KiloCatalog({
    cache: storageDir ? fileCatalogCache(path.join(storageDir, 'kilo-catalog.json')) : { read: () => undefined, write: () => undefined },
    now: Date.now,
    baseUrl: () => host.settings().kilo.gatewayUrl,
    token: () => host.kiloToken.get(),
    log: host.log,
  });
  const priced = (): RoutingConfig => prices.apply(host.routing());
  const learning = new LearningIntegration({
    context: host.context,
    log: host.log,
    config: priced,
    learning: () => host.settings().learning,
    tracking: () => host.settings().tracking,
    kilo,
  });
  let gatewayUrl = host.settings().kilo.gatewayUrl;
  const catalogTimer = setInterval(() => void prices.refresh(), CATALOG_CHECK_MS);
  // Activation does not wait for the cache file or the network.
  const firstRead = setTimeout(() => void prices.refresh(), 0);
  const disposables: vscode.Disposable[] = [
    patterns,
    reviewer,
    kilo,
    prices,
    learning,
    host.kiloToken.onDidChange(() => void prices.refresh(true)),
    host.onDidChangeSettings((s) => {
      if (s.kilo.gatewayUrl === gatewayUrl) return;
      gatewayUrl = s.kilo.gatewayUrl;
      void prices.refresh();
    }),
    {
      dispose: () => {
        clearInterval(catalogTimer);
        clearTimeout(firstRead);
      },
    },
  ];
  return {
    patterns,
    reviewer,
    kilo,
    prices,
    learning: learning.service,
    // Reviews from the reviewer, with the cost and latency Kilo reported (outcomes.jsonl) merged
    // in; the learner's outcomes and usage for the request take their place inside the policy.
    observations: {
      observations: () => kilo.observations(reviewer.observations()),
      onDidChange: (listener) => {
        const subs = [reviewer.onDidChange(listener), kilo.onDidChange(listener)];
        return { dispose: () => subs.forEach((d) => void d.dispose()) };
      },
    },
    disposables,
  };
}
