// A Kilo gateway on 127.0.0.1 for tests: serves an OpenRouter-shaped model list at
// `<base>/models` to one token, and records what it was asked.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GatewayModel {
  id: string;
  name?: string;
  context_length?: number;
  pricing?: { prompt: string; completion: string; input_cache_read?: string };
}

export class GatewayServer {
  /** Authorization headers received, in order. */
  readonly authorizations: Array<string | undefined> = [];
  models: GatewayModel[];
  private readonly server: http.Server;
  base = '';

  private constructor(
    readonly token: string,
    models: GatewayModel[],
  ) {
    this.models = models;
    this.server = http.createServer((req, res) => {
      this.authorizations.push(req.headers.authorization);
      if (req.url !== '/api/gateway/models') return void res.writeHead(404).end();
      if (req.headers.authorization !== `Bearer ${this.token}`) return void res.writeHead(401).end('{"error":"unauthorized"}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: this.models }));
    });
  }

  /** Starts a gateway whose base URL (`http://127.0.0.1:<port>/api/gateway`) is in `base`. */
  static async start(token: string, models: GatewayModel[]): Promise<GatewayServer> {
    const g = new GatewayServer(token, models);
    await new Promise<void>((r) => g.server.listen(0, '127.0.0.1', r));
    g.base = `http://127.0.0.1:${(g.server.address() as AddressInfo).port}/api/gateway`;
    return g;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** USD per million tokens as the gateway writes it: USD per token, as a string. */
export const perToken = (usdPerMTok: number): string => String(usdPerMTok / 1e6);
