/** Every command id the extension contributes, in one place (package.json `contributes.commands`). */
export const Commands = {
  route: 'convergence.route',
  showPanel: 'convergence.showPanel',
  setApiKey: 'convergence.setApiKey',
  reviewCurrentFile: 'convergence.reviewCurrentFile',
  openConfig: 'convergence.openConfig',
  applyToKilo: 'convergence.applyToKilo',
  installKiloPlugin: 'convergence.installKiloPlugin',
  setKiloToken: 'convergence.setKiloToken',
  /** Internal: a "Use this model" action (panel rows); hidden from the palette. */
  useModel: 'convergence.useModel',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** The panel's view type, also named in `activationEvents` for restore after reload. */
export const PANEL_VIEW_TYPE = 'convergence.scorePanel';

/** The SecretStorage key of the Anthropic API key. */
export const API_KEY_SECRET = 'convergence.anthropicApiKey';

/** The SecretStorage key of the Kilo token (for the gateway's model list). */
export const KILO_TOKEN_SECRET = 'convergence.kiloToken';
