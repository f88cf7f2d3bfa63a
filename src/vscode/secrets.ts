import type * as vscode from 'vscode';
import { API_KEY_SECRET, KILO_TOKEN_SECRET } from './commandIds';

/**
 * The Anthropic API key, kept only in SecretStorage (or taken from `ANTHROPIC_API_KEY`). It is
 * handed to the reviewer and nowhere else: never to settings, logs or the webview.
 */
export class ApiKeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  async get(): Promise<string | undefined> {
    const stored = await this.secrets.get(API_KEY_SECRET);
    if (stored) return stored;
    const fromEnv = this.env['ANTHROPIC_API_KEY']?.trim();
    return fromEnv === '' ? undefined : fromEnv;
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(API_KEY_SECRET, key.trim());
  }

  async clear(): Promise<void> {
    await this.secrets.delete(API_KEY_SECRET);
  }
}

/**
 * The Kilo token, kept only in SecretStorage. It is sent to the Kilo gateway's model list and
 * nowhere else: never to settings, logs, the webview or the Kilo plugin's state file.
 */
export class KiloTokenStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(): Promise<string | undefined> {
    const stored = (await this.secrets.get(KILO_TOKEN_SECRET))?.trim();
    return stored ? stored : undefined;
  }

  async set(token: string): Promise<void> {
    await this.secrets.store(KILO_TOKEN_SECRET, token.trim());
  }

  async clear(): Promise<void> {
    await this.secrets.delete(KILO_TOKEN_SECRET);
  }

  /** Fires when the token is set or removed (in this window or another). */
  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((e) => {
      if (e.key === KILO_TOKEN_SECRET) listener();
    });
  }
}
