/**
 * Workspace trust, kept out of `vscode` so it can be tested: in an untrusted workspace the
 * workspace's own values of restricted settings do not count, and no code is sent for review.
 */
import type { SettingsReader } from './config';
import type { Reviewer } from './seams';

/** Settings whose workspace values are ignored in an untrusted workspace (package.json `restrictedConfigurations`). */
export const RESTRICTED_SETTINGS: ReadonlySet<string> = new Set(['configPath', 'review.endpoint', 'kilo.gatewayUrl']);

/** The parts of `WorkspaceConfiguration.inspect()` the reader needs. */
export interface Inspected {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/** A {@link SettingsReader} over `inspect`, honouring workspace trust. */
export function trustAwareReader(inspect: (key: string) => Inspected | undefined, trusted: boolean): SettingsReader {
  const ignoreWorkspace = (key: string): boolean => !trusted && RESTRICTED_SETTINGS.has(key);
  return {
    get(key) {
      const i = inspect(key);
      if (!i) return undefined;
      if (!ignoreWorkspace(key)) {
        if (i.workspaceFolderValue !== undefined) return i.workspaceFolderValue;
        if (i.workspaceValue !== undefined) return i.workspaceValue;
      }
      return i.globalValue !== undefined ? i.globalValue : i.defaultValue;
    },
    isSet(key) {
      const i = inspect(key);
      if (!i) return false;
      if (i.globalValue !== undefined) return true;
      return !ignoreWorkspace(key) && (i.workspaceValue !== undefined || i.workspaceFolderValue !== undefined);
    },
  };
}

/** The error a guarded reviewer throws in an untrusted workspace. */
export class UntrustedWorkspaceError extends Error {
  override readonly name = 'UntrustedWorkspaceError';
  constructor() {
    super('this workspace is not trusted, so no code is sent for review');
  }
}

/** Wraps a reviewer so that nothing reaches it while the workspace is untrusted; cached results stay readable. */
export function trustGuardedReviewer(reviewer: Reviewer, isTrusted: () => boolean): Reviewer {
  const guarded: Reviewer = {
    review: (input) => (isTrusted() ? reviewer.review(input) : Promise.reject(new UntrustedWorkspaceError())),
    cached: (code) => reviewer.cached(code),
  };
  if (reviewer.unavailable) guarded.unavailable = () => reviewer.unavailable?.() ?? false;
  if (reviewer.onDidChange) guarded.onDidChange = reviewer.onDidChange;
  return guarded;
}
