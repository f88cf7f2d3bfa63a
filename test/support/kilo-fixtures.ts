// Builders for the Kilo integration's tests: temp projects, Kilo-shaped parts, events and
// provider lists, with the shapes the real Kilo CLI 7.7.7 produces (see docs/kilo-integration.md).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChatOutput, PartLike } from '../../src/kilo/plugin-router';
import type { KiloModelRef } from '../../src/kilo/models';

/** A temp folder removed by `cleanup()`. */
export interface TempProject {
  dir: string;
  home: string;
  write: (relative: string, text: string) => string;
  cleanup: () => void;
}

export function tempProject(): TempProject {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cr-kilo-'));
  const dir = path.join(root, 'project');
  const home = path.join(root, 'home');
  mkdirSync(dir, { recursive: true });
  mkdirSync(home, { recursive: true });
  return {
    dir,
    home,
    write(relative, text) {
      const file = path.join(dir, relative);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The project config the e2e test uses too: Opus → local/strong, Haiku → local/cheap. */
export const TWO_MODEL_YAML = `routing:
  convergence:
    modelProfiles:
      claude-opus-4.5: { kiloModel: local/strong }
      claude-haiku-4.5: { kiloModel: local/cheap }
`;

export const HARD_REQUEST = 'Build a production auth system with JWT, PostgreSQL, email verification';
export const TRIVIAL_REQUEST = 'rename variable x to count in utils.ts';

/** `client.config.providers()` data as Kilo returns it for one config-defined provider. */
export function providersData(providerID: string, modelIDs: string[]): unknown {
  const models: Record<string, unknown> = {};
  for (const id of modelIDs) models[id] = { id, providerID, name: id, cost: { input: 1, output: 2, cache: { read: 0, write: 0 } }, limit: { context: 128000, output: 8192 } };
  return { providers: [{ id: providerID, name: providerID, source: 'config', env: [], options: {}, models }], default: {} };
}

export function textPart(text: string, extra: Partial<PartLike> = {}): PartLike {
  return { type: 'text', text, ...extra };
}

/** The `chat.message` output Kilo passes: the user message (with Kilo's default model) and its parts. */
export function chatOutput(parts: PartLike[], model: KiloModelRef = { providerID: 'local', modelID: 'cheap' }): ChatOutput & { message: { model: KiloModelRef } } {
  return { message: { model: { ...model } }, parts };
}

let messageCounter = 0;

/** A `message.updated` event for an assistant step, as Kilo emits it (three times per step). */
export function assistantUpdated(options: {
  sessionID: string;
  model: KiloModelRef;
  cost: number;
  created: number;
  completed?: number;
  id?: string;
  tokens?: { input: number; output: number; cacheRead?: number };
}): { event: unknown; id: string } {
  const id = options.id ?? `msg_${++messageCounter}`;
  const t = options.tokens ?? { input: 1000, output: 200 };
  return {
    id,
    event: {
      type: 'message.updated',
      properties: {
        info: {
          id,
          sessionID: options.sessionID,
          role: 'assistant',
          parentID: 'msg_user',
          mode: 'code',
          providerID: options.model.providerID,
          modelID: options.model.modelID,
          path: { cwd: '/', root: '/' },
          cost: options.cost,
          tokens: { input: t.input, output: t.output, reasoning: 0, cache: { read: t.cacheRead ?? 0, write: 0 } },
          time: { created: options.created, ...(options.completed !== undefined ? { completed: options.completed } : {}) },
        },
      },
    },
  };
}
