/** Types for code-server.cjs (plain CommonJS so the shim can load it without a build step). */
import type { BrowserContext } from 'playwright-core';

export interface InfraPaths {
  node24: string;
  codeServer: string;
  runs: string;
  chromium: string;
}
export interface RunningCodeServer {
  base: string;
  port: number;
  dir: string;
  logFile: string;
  stop(): Promise<void>;
}
export function startCodeServer(options: {
  infra: InfraPaths;
  workspace: string;
  smokeTestDriver?: boolean;
  extensionsDir?: string | undefined;
  userDataDir?: string | undefined;
  userSettings?: Record<string, unknown>;
  env?: Record<string, string>;
  tmpRoot?: string | undefined;
}): Promise<RunningCodeServer>;
export function launchChromium(options: {
  chromiumPath: string;
  tmpRoot?: string | undefined;
  viewport?: { width: number; height: number };
}): Promise<{ context: BrowserContext; close(): Promise<void> }>;
export function remoteUri(base: string, absPath: string): string;
export const CHROMIUM_ARGS: string[];
