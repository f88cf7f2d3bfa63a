import type * as vscode from 'vscode';
import type { Integrations } from './seams';

/**
 * Builds the optional integrations. This is the one place where pattern detection
 * (`src/patterns`), the reviewer (`src/review`), Kilo (`src/kilo`) and learning from outcomes
 * plug in; each member left undefined makes the extension say that part is not available.
 * Heavy modules (the Anthropic SDK) must be loaded lazily inside their adapters, not here.
 */
export function createIntegrations(_context: vscode.ExtensionContext, _log: vscode.LogOutputChannel): Integrations {
  return {};
}
