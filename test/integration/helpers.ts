import * as vscode from 'vscode';
import type { ConvergenceApi } from '../../src/vscode/extension';
import { Commands } from '../../src/vscode/commandIds';

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

/** The text of this extension's hover at a position (other providers' hovers left out). */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .filter((t) => t.includes('**Convergence**'))
    .join('\n');
}

/** The test workspace's folder: every pass opens one. */
export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests run with a workspace folder');
  return folder;
}

/** Opens a file of the test workspace in an editor and returns its document. */
export async function showWorkspaceFile(...segments: string[]): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceFolder().uri, ...segments));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** The extension's API and the workspace folder's path, after routing the design's request with the panel open. */
export async function routedWithPanel(): Promise<{ api: ConvergenceApi; folder: string }> {
  const api = (await extension()).exports;
  await vscode.commands.executeCommand(Commands.route, { text: AUTH_REQUEST });
  await vscode.commands.executeCommand(Commands.showPanel);
  return { api, folder: workspaceFolder().uri.fsPath };
}
