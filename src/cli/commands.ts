import type { Command } from './io';
import { kiloCommand } from './kilo';
import { patternsCommand } from './patterns';
import { profilesCommand } from './profiles';
import { replayCommand } from './replay';
import { reviewCommand } from './review';
import { routeCommand } from './route';

/** Every subcommand. Add one line here for a new one. */
export const COMMANDS: readonly Command[] = [routeCommand, profilesCommand, reviewCommand, replayCommand, kiloCommand, patternsCommand];
