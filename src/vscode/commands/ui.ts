import * as vscode from 'vscode';

/** An error the user caused by an action: a message with a "Show Log" button, and a log line. */
export function reportError(log: vscode.LogOutputChannel, message: string): void {
  log.error(message);
  void vscode.window.showErrorMessage(`Convergence: ${message}`, 'Show Log').then((pick) => {
    if (pick) log.show(true);
  });
}

/** A plain outcome line for an action the user started. */
export function inform(log: vscode.LogOutputChannel, message: string): void {
  log.info(message);
  void vscode.window.showInformationMessage(`Convergence: ${message}`);
}
