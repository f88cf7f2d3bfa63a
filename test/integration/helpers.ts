import * as vscode from 'vscode';
import type { ConvergenceApi } from '../../src/vscode/extension';

export const EXTENSION_ID = 'convergence-router.convergence-router';

/** The extension under test, activated. */
export async function extension(): Promise<vscode.Extension<ConvergenceApi>> {
  const ext = vscode.extensions.getExtension<ConvergenceApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded`);
  await ext.activate();
  return ext;
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The design's example request. */
export const AUTH_REQUEST = 'Build a production auth system with JWT, PostgreSQL, email verification';

/** Removes every user setting the tests may have written. */
export async function resetSettings(): Promise<void> {
  const cfg = vscode.workspace.getConfiguration('convergence');
  for (const key of ['weights.convergence', 'weights.latency', 'weights.cost', 'weights.patternMatch', 'hover.enabled']) {
    if (cfg.inspect(key)?.globalValue !== undefined) await cfg.update(key, undefined, vscode.ConfigurationTarget.Global);
  }
}
