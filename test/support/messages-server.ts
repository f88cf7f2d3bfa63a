/**
 * A Messages API server on 127.0.0.1 for tests and benchmarks: the real Anthropic SDK is
 * pointed at it with `baseURL`. It records every request (headers and parsed body) and answers
 * with scripted replies: a review, an API error, broken JSON, or no answer at all (a stall).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The raw body text. */
  raw: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  body: MessagesBody | undefined;
}

/** The parts of a Messages API request body the tests look at. */
export interface MessagesBody {
  model: string;
  max_tokens: number;
  system?: string;
  tools?: { name: string; description?: string; input_schema: Record<string, unknown> }[];
  tool_choice?: { type: string; name?: string };
  messages: { role: string; content: string }[];
  [other: string]: unknown;
}

/** One scripted answer. */
export type Reply =
  /** 200 with a forced tool call whose input is `input`. */
  | { kind: 'review'; input: unknown; toolName?: string }
  /** 200 with a text block only (no tool call). */
  | { kind: 'text'; text: string }
  /** An API error with the Messages API's error body. */
  | { kind: 'error'; status: number; type: string; message: string; headers?: Record<string, string> }
  /** 200 with a body that is not valid JSON. */
  | { kind: 'broken-json' }
  /** Never answers; the connection stays open until the client gives up or the server closes. */
  | { kind: 'stall' }
  /** Answers with `reply` after `ms` milliseconds. */
  | { kind: 'delay'; ms: number; reply: Reply };

/** A well-formed review answer, as a model would give it. */
export const GOOD_REVIEW = {
  robustness: 82,
  patterns: ['ROBUST_ERROR_HANDLING', 'SELF_DOCUMENTING'],
  codeQuality: { readability: 88, maintainability: 80, testability: 75, security: 90 },
  reasoning: ['Errors from the parser are wrapped with the file name.', 'Names say what each step does.'],
};

export class MessagesServer {
  readonly requests: ReceivedRequest[] = [];
  /** Requests whose client hung up before the server answered (a timeout or a cancel). */
  abandoned = 0;
  private readonly queue: Reply[] = [];
  private fallback: Reply = { kind: 'review', input: GOOD_REVIEW };
  private readonly held = new Set<http.ServerResponse>();
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<MessagesServer> {
    const holder: { self?: MessagesServer } = {};
    const server = http.createServer((req, res) => holder.self?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.self = new MessagesServer(server, `http://127.0.0.1:${port}`);
    return holder.self;
  }

  /** Replies used in order, one per request; after them, the default reply. */
  enqueue(...replies: Reply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** The reply for every request once the queue is empty. */
  setDefault(reply: Reply): this {
    this.fallback = reply;
    return this;
  }

  /** Requests held open right now (stalls). */
  get stalled(): number {
    return this.held.size;
  }

  /** Resolves once `count` requests have arrived in total. */
  waitForRequests(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  last(): ReceivedRequest {
    const r = this.requests[this.requests.length - 1];
    if (!r) throw new Error('the server has received no request');
    return r;
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.held.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      let body: MessagesBody | undefined;
      try {
        body = JSON.parse(raw) as MessagesBody;
      } catch {
        body = undefined;
      }
      this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw, body });
      for (const w of this.waiters.filter((w) => this.requests.length >= w.count)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
      if (req.method !== 'POST' || req.url !== '/v1/messages') {
        this.send(res, { kind: 'error', status: 404, type: 'not_found_error', message: `no route ${req.method} ${req.url}` }, body);
        return;
      }
      this.send(res, this.queue.shift() ?? this.fallback, body);
    });
  }

  private send(res: http.ServerResponse, reply: Reply, body: MessagesBody | undefined): void {
    const json = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_test_${this.requests.length}`, ...headers });
      res.end(JSON.stringify(payload));
    };
    const message = (content: unknown[], stop: string): object => ({
      id: `msg_test_${this.requests.length}`,
      type: 'message',
      role: 'assistant',
      model: body?.model ?? 'unknown',
      content,
      stop_reason: stop,
      stop_sequence: null,
      usage: { input_tokens: 100, output_tokens: 50 },
    });
    switch (reply.kind) {
      case 'review':
        json(200, message([{ type: 'tool_use', id: 'toolu_test', name: reply.toolName ?? body?.tool_choice?.name ?? 'none', input: reply.input }], 'tool_use'));
        return;
      case 'text':
        json(200, message([{ type: 'text', text: reply.text }], 'end_turn'));
        return;
      case 'error':
        json(reply.status, { type: 'error', error: { type: reply.type, message: reply.message } }, reply.headers);
        return;
      case 'broken-json':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id": "msg_broken", "content": [ {"type": "tool_use", "input": {"robustness": 9');
        return;
      case 'stall':
        this.held.add(res);
        res.on('close', () => {
          this.held.delete(res);
          if (!res.writableEnded) this.abandoned++;
        });
        return;
      case 'delay': {
        const timer = setTimeout(() => this.send(res, reply.reply, body), reply.ms);
        res.on('close', () => {
          clearTimeout(timer);
          if (!res.writableEnded) this.abandoned++;
        });
        return;
      }
    }
  }
}
