import * as vscode from 'vscode';
import { findProfile } from '../../engine';
import { Commands } from '../commandIds';
import type { CommandId } from '../commandIds';
import type { CommandContext } from './context';
import { openConfig } from './openConfig';
import { reviewCurrentFile } from './review';
import { routeCommand } from './route';
import { inform, reportError } from './ui';

/** A secret the commands set: stored from the input, or removed when the input is empty. */
interface SecretSlot {
  set(value: string): Promise<void>;
  clear(): Promise<void>;
}

/** Stores `value` in `slot`, or removes the stored one when `value` is empty, and says which. */
async function storeOrClear(ctx: CommandContext, slot: SecretSlot, value: string, said: { stored: string; removed: string }): Promise<void> {
  if (value.trim() === '') {
    await slot.clear();
    inform(ctx.log, said.removed);
  } else {
    await slot.set(value);
    inform(ctx.log, said.stored);
  }
}

async function setApiKey(ctx: CommandContext): Promise<void> {
  const value = await vscode.window.showInputBox({
    title: 'Set Anthropic API Key',
    prompt: 'Stored in VS Code SecretStorage, used only for code review. Leave empty to remove the stored key.',
    password: true,
    ignoreFocusOut: true,
    placeHolder: 'sk-ant-…',
  });
  if (value === undefined) return;
  await storeOrClear(ctx, ctx.apiKey, value, { stored: 'the Anthropic API key is stored in SecretStorage.', removed: 'the stored Anthropic API key was removed.' });
}

/**
 * "Set Kilo Token": stores the token for the Kilo gateway's model list in SecretStorage (empty
 * removes it); the prices refresh at once. A string argument stands in for the input box
 * (automation, the integration tests).
 */
async function setKiloToken(ctx: CommandContext, given: unknown): Promise<boolean> {
  const value =
    typeof given === 'string'
      ? given
      : await vscode.window.showInputBox({
          title: 'Set Kilo Token',
          prompt: 'Stored in VS Code SecretStorage, used only to read the Kilo gateway’s model list (prices). Leave empty to remove the stored token.',
          password: true,
          ignoreFocusOut: true,
        });
  if (value === undefined) return false;
  await storeOrClear(ctx, ctx.kiloToken, value, {
    stored: 'the Kilo token is stored in SecretStorage; fetching the gateway’s model list.',
    removed: 'the stored Kilo token was removed; prices come from the built-in profiles or the cached list.',
  });
  return true;
}

/** "Use this model": the user's pick over the recommendation, applied to Kilo when it is wired in. */
async function useModel(ctx: CommandContext, modelId: unknown): Promise<string | undefined> {
  if (typeof modelId !== 'string') return undefined;
  const profile = findProfile(ctx.settings.routing, modelId);
  if (!profile) {
    reportError(ctx.log, `unknown model "${modelId}"`);
    return undefined;
  }
  ctx.session.useModel(profile.id);
  ctx.log.info(`using ${profile.id}${ctx.session.overrideModel ? ' (override)' : ' (recommended)'}`);
  if (ctx.integrations.kilo?.canApply?.() && profile.kiloModel) await applyToKilo(ctx);
  return profile.id;
}

/** What "Apply Recommended Model to Kilo" did: the model id it applied (or copied) and the line it showed. */
export interface ApplyOutcome {
  kiloModel: string;
  message: string;
}

async function applyToKilo(ctx: CommandContext): Promise<ApplyOutcome | undefined> {
  const chosen = ctx.session.chosenModel;
  if (!chosen) {
    inform(ctx.log, 'route a request first ("Route with convergence").');
    return undefined;
  }
  const profile = findProfile(ctx.settings.routing, chosen);
  const kiloModel = profile?.kiloModel;
  if (!kiloModel) {
    reportError(ctx.log, `${chosen} has no Kilo model id (kiloModel) in the routing config.`);
    return undefined;
  }
  const kilo = ctx.integrations.kilo;
  if (!kilo) {
    await vscode.env.clipboard.writeText(kiloModel);
    const message = `the Kilo integration is not available in this build; copied ${kiloModel} to the clipboard.`;
    inform(ctx.log, message);
    return { kiloModel, message };
  }
  try {
    const reason = ctx.session.overrideModel ? 'chosen by the user in the score panel' : (ctx.session.lastDecision?.recommendation ?? 'recommended');
    const message = await kilo.applyModel(kiloModel, { modelId: chosen, reason });
    // The pick is now at work: asking the same request again means this answer did not do it.
    const turn = ctx.session.lastTurn;
    if (turn) ctx.integrations.learning?.markUsed(turn.turnId);
    inform(ctx.log, message);
    return { kiloModel, message };
  } catch (err) {
    reportError(ctx.log, `applying ${kiloModel} to Kilo failed: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

async function installKiloPlugin(ctx: CommandContext): Promise<string | undefined> {
  const kilo = ctx.integrations.kilo;
  if (!kilo) {
    inform(ctx.log, 'the Kilo integration is not available in this build.');
    return undefined;
  }
  try {
    const message = await kilo.installPlugin();
    inform(ctx.log, message);
    return message;
  } catch (err) {
    reportError(ctx.log, `installing the Kilo routing plugin failed: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/** Registers every command; the map is typed so a missing handler fails to compile. */
export function registerCommands(ctx: CommandContext): vscode.Disposable {
  const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
    [Commands.route]: (args) => routeCommand(ctx, args),
    [Commands.showPanel]: () => ctx.panel.show(),
    [Commands.setApiKey]: () => setApiKey(ctx),
    [Commands.reviewCurrentFile]: () => reviewCurrentFile(ctx),
    [Commands.openConfig]: () => openConfig(ctx),
    [Commands.applyToKilo]: () => applyToKilo(ctx),
    [Commands.installKiloPlugin]: () => installKiloPlugin(ctx),
    [Commands.setKiloToken]: (value) => setKiloToken(ctx, value),
    [Commands.useModel]: (modelId) => useModel(ctx, modelId),
  };
  return vscode.Disposable.from(...Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler)));
}
