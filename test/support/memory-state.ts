import type { StateStore } from '../../src/vscode/session';

/** Workspace state in memory, for the host's stores; it keeps a JSON copy, as a real memento does. */
export class MemoryState implements StateStore {
  readonly values = new Map<string, unknown>();

  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }

  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.parse(JSON.stringify(value)) as unknown);
    return Promise.resolve();
  }
}
