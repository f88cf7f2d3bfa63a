// A real OpenAI-compatible chat completions server on 127.0.0.1, playing the Kilo gateway for
// end-to-end tests: it streams a short answer as server-sent events, reports token usage in the
// last chunk (as the gateway does with stream_options.include_usage), and records every request.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  model: string;
  stream: boolean;
  /** Every message's text content, joined. */
  text: string;
  hasTools: boolean;
  body: Record<string, unknown>;
}

export interface ServerOptions {
  /** Usage reported for each request. */
  usage?: { prompt_tokens: number; completion_tokens: number };
  reply?: string;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((c) => (typeof c === 'object' && c !== null && 'text' in c ? String((c as { text: unknown }).text) : '')).join('');
  return '';
}

export class OpenAiCompatibleServer {
  readonly requests: RecordedRequest[] = [];
  private readonly server: http.Server;
  private readonly options: Required<ServerOptions>;

  constructor(options: ServerOptions = {}) {
    this.options = { usage: options.usage ?? { prompt_tokens: 1000, completion_tokens: 200 }, reply: options.reply ?? 'Done.' };
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Requests whose messages contain `text` (the agent's turn for a prompt). */
  requestsFor(text: string): RecordedRequest[] {
    return this.requests.filter((r) => r.text.includes(text));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        res.writeHead(400).end('{"error":{"message":"bad json"}}');
        return;
      }
      const messages = Array.isArray(body['messages']) ? (body['messages'] as { content?: unknown }[]) : [];
      const model = String(body['model']);
      const stream = body['stream'] === true;
      this.requests.push({ model, stream, text: messages.map((m) => contentText(m.content)).join('\n'), hasTools: Array.isArray(body['tools']) && body['tools'].length > 0, body });
      const id = `chatcmpl-${this.requests.length}`;
      const created = Math.floor(Date.now() / 1000);
      const usage = { ...this.options.usage, total_tokens: this.options.usage.prompt_tokens + this.options.usage.completion_tokens };
      if (!stream) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({ id, object: 'chat.completion', created, model, choices: [{ index: 0, message: { role: 'assistant', content: this.options.reply }, finish_reason: 'stop' }], usage }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      const send = (o: unknown): boolean => res.write(`data: ${JSON.stringify(o)}\n\n`);
      send({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta: { role: 'assistant', content: this.options.reply }, finish_reason: null }] });
      send({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
      send({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
      res.end('data: [DONE]\n\n');
    });
  }
}
