import * as vscode from 'vscode';
import type { CommandContext } from './context';
import { inform, reportError } from './ui';

/** What a new workspace config file starts with: the keys people change most, commented. */
export const CONFIG_TEMPLATE = `# Convergence Router — workspace routing config.
# Same schema as the default config shipped with the extension; every key is optional and
# overrides the default. VS Code settings (convergence.*) override this file.
routing:
  convergence:
    weights:
      convergence: 0.45
      latency: 0.25
      cost: 0.20
      patternMatch: 0.10
    thresholds:
      minConvergence: 0.65
      minRobustness: 70
    selection:
      # allow: ["anthropic/*"]
      deny: []
      # maxCostPerRequest: 0.25
`;

/** "Open Routing Config": opens the workspace YAML file, offering to create it when missing. */
export async function openConfig(ctx: CommandContext): Promise<vscode.Uri | undefined> {
  const uri = ctx.settings.configFileUri();
  if (!uri) {
    reportError(ctx.log, 'open a folder first: the routing config file lives in the workspace (convergence.configPath).');
    return undefined;
  }
  let exists = true;
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    exists = false;
  }
  if (!exists) {
    const pick = await vscode.window.showInformationMessage(`Convergence: ${vscode.workspace.asRelativePath(uri)} does not exist. Create it?`, 'Create');
    if (!pick) return undefined;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(CONFIG_TEMPLATE));
  }
  await vscode.window.showTextDocument(uri);
  if (!vscode.workspace.isTrusted) inform(ctx.log, 'this workspace is not trusted, so this file is ignored until you trust it.');
  return uri;
}
