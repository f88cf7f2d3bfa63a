// The Kilo plugin, bundled by esbuild into one self-contained ESM file, dist/kilo-plugin.js, that
// `convergence-route kilo install` copies into a Kilo plugin folder. Kilo loads a plugin through
// its default export `{ id, server }`; everything else lives in plugin-router.ts.
import type { Hooks, PluginInput, PluginModule, PluginOptions } from '@kilocode/plugin';
import { KiloPluginRouter } from './plugin-router';

/** The id Kilo knows the plugin by. */
const PLUGIN_ID = 'convergence-routing';

function server(ctx: PluginInput, options?: PluginOptions): Promise<Hooks> {
  let router: KiloPluginRouter;
  try {
    router = new KiloPluginRouter({
      directory: ctx.directory,
      env: process.env,
      options,
      loadProviders: async () => (await ctx.client.config.providers()).data,
      log: (level, message) => {
        void ctx.client.app.log({ body: { service: PLUGIN_ID, level, message } }).catch(() => undefined);
      },
    });
    router.start();
  } catch (err) {
    // Fail open: a plugin that cannot start must not stop Kilo.
    console.error(`[${PLUGIN_ID}] disabled: ${err instanceof Error ? err.message : String(err)}`);
    return Promise.resolve({});
  }
  return Promise.resolve({
    config: (config) => {
      router.onConfig(config);
      return Promise.resolve();
    },
    'chat.message': async (input, output) => {
      await router.onChatMessage(input, output);
    },
    event: ({ event }) => {
      router.onEvent(event);
      return Promise.resolve();
    },
  });
}

const plugin: PluginModule = { id: PLUGIN_ID, server };

export default plugin;
