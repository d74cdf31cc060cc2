import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Loopback stand-ins for LLM providers: real HTTP servers on 127.0.0.1 that authenticate each
 * request the way the provider does (header, scheme, error body and status), answer the routes
 * registered on them, and record every request they receive.
 *
 * Each factory (`startFakeOpenAI`, `startFakeAnthropic`, …) registers the provider's model-list
 * route, which is what `POST /api/integrations/{id}/test` calls. More routes (chat completions,
 * messages, streams) are added with `route()`; a handler returns a JSON reply, or writes to the
 * raw response itself (e.g. an SSE stream) and returns undefined.
 */

export type FakeRequest = {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
};

export type FakeReply = { status: number; body?: unknown; headers?: Record<string, string> };

export type FakeHandler = (req: FakeRequest, res: ServerResponse) => FakeReply | undefined | Promise<FakeReply | undefined>;

/** Returns the provider's refusal when the request is not authenticated with one of `keys`, else null. */
export type FakeAuthenticator = (req: FakeRequest, keys: ReadonlySet<string>) => FakeReply | null;

export type FakeProviderOptions = {
  name: string;
  /** Path prefix that, appended to `origin`, is what an integration's customHost should be. */
  basePath: string;
  authenticate: FakeAuthenticator;
  /** Keys the fake accepts. */
  apiKeys: readonly string[];
  /** The provider's 404 body for a route the fake does not serve. */
  notFound: (req: FakeRequest) => FakeReply;
};

export class FakeProvider {
  /** Every request received, in order, including refused ones. */
  readonly requests: FakeRequest[] = [];
  private readonly keys: Set<string>;
  private readonly routes = new Map<string, FakeHandler>();
  private everything: FakeHandler | undefined;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeProviderOptions,
  ) {
    this.keys = new Set(options.apiKeys);
  }

  static async start(options: FakeProviderOptions): Promise<FakeProvider> {
    const server = createServer();
    const fake = new FakeProvider(server, options);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return fake;
  }

  get name(): string {
    return this.options.name;
  }

  /** `http://127.0.0.1:<port>` */
  get origin(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** What an integration's `customHost` should be to reach this fake. */
  get baseUrl(): string {
    return `${this.origin}${this.options.basePath}`;
  }

  /** The keys accepted from now on (replacing the previous ones). */
  acceptKeys(...keys: string[]): this {
    this.keys.clear();
    for (const key of keys) this.keys.add(key);
    return this;
  }

  /** Serves `method path` (full path, e.g. `/v1/chat/completions`) for authenticated requests. */
  route(method: string, path: string, handler: FakeHandler): this {
    this.routes.set(`${method.toUpperCase()} ${path}`, handler);
    return this;
  }

  /** Answers every request with `handler`, before authentication (e.g. a redirect); `null` restores normal service. */
  answerEverything(handler: FakeHandler | null): this {
    this.everything = handler ?? undefined;
    return this;
  }

  /** Requests whose path is `path`. */
  requestsTo(path: string): FakeRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  reset(): void {
    this.requests.length = 0;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private async handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(raw);
    const url = new URL(raw.url ?? '/', 'http://fake.invalid');
    const req: FakeRequest = { method: raw.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: raw.headers, body };
    this.requests.push(req);
    try {
      const reply = await this.reply(req, res);
      if (reply) send(res, reply);
    } catch (error) {
      send(res, { status: 500, body: { error: { message: `fake ${this.name} failed: ${String(error)}` } } });
    }
  }

  private async reply(req: FakeRequest, res: ServerResponse): Promise<FakeReply | undefined> {
    if (this.everything) return this.everything(req, res);
    const refusal = this.options.authenticate(req, this.keys);
    if (refusal) return refusal;
    const handler = this.routes.get(`${req.method} ${req.path}`);
    return handler ? handler(req, res) : this.options.notFound(req);
  }
}

/** How OpenAI echoes a wrong key in its 401: the first 6 characters, `***...`, the last 4. */
export function openAiKeyEcho(key: string): string {
  return `${key.slice(0, 6)}***...${key.slice(-4)}`;
}

function bearerToken(req: FakeRequest): string | undefined {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer (.+)$/.exec(header) : null;
  return match?.[1];
}

function header(req: FakeRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function modelList(ids: string[]): FakeReply {
  return { status: 200, body: { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })) } };
}

/** OpenAI (and every OpenAI-compatible provider): `Authorization: Bearer <key>`; base URL `<origin>/v1`. */
export function startFakeOpenAI(options: { apiKeys: readonly string[] }): Promise<FakeProvider> {
  return FakeProvider.start({
    name: 'openai',
    basePath: '/v1',
    apiKeys: options.apiKeys,
    authenticate: (req, keys) => {
      const key = bearerToken(req);
      if (key === undefined) {
        return {
          status: 401,
          body: {
            error: {
              message:
                "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username. You can obtain an API key from https://platform.openai.com/account/api-keys.",
              type: 'invalid_request_error',
              param: null,
              code: null,
            },
          },
        };
      }
      if (keys.has(key)) return null;
      return {
        status: 401,
        body: {
          error: {
            message: `Incorrect API key provided: ${openAiKeyEcho(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
            type: 'invalid_request_error',
            param: null,
            code: 'invalid_api_key',
          },
        },
      };
    },
    notFound: (req) => ({
      status: 404,
      body: { error: { message: `Invalid URL (${req.method} ${req.path})`, type: 'invalid_request_error', param: null, code: null } },
    }),
  }).then((fake) => fake.route('GET', '/v1/models', () => modelList(['gpt-4o', 'gpt-4o-mini'])));
}

/** Anthropic: `x-api-key` and `anthropic-version`; base URL is the origin (`/v1/...` routes). */
export function startFakeAnthropic(options: { apiKeys: readonly string[] }): Promise<FakeProvider> {
  const error = (status: number, type: string, message: string): FakeReply => ({ status, body: { type: 'error', error: { type, message } } });
  return FakeProvider.start({
    name: 'anthropic',
    basePath: '',
    apiKeys: options.apiKeys,
    authenticate: (req, keys) => {
      const key = header(req, 'x-api-key');
      if (key === undefined || !keys.has(key)) return error(401, 'authentication_error', 'invalid x-api-key');
      if (!header(req, 'anthropic-version')) return error(400, 'invalid_request_error', 'anthropic-version: header is required');
      return null;
    },
    notFound: () => error(404, 'not_found_error', 'Not found'),
  }).then((fake) =>
    fake.route('GET', '/v1/models', () => ({
      status: 200,
      body: {
        data: [{ type: 'model', id: 'claude-sonnet-4-5', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' }],
        has_more: false,
        first_id: 'claude-sonnet-4-5',
        last_id: 'claude-sonnet-4-5',
      },
    })),
  );
}

/** Azure OpenAI: `api-key` header and an `api-version` query parameter; base URL `<origin>/openai`. */
export function startFakeAzureOpenAI(options: { apiKeys: readonly string[] }): Promise<FakeProvider> {
  return FakeProvider.start({
    name: 'azure-openai',
    basePath: '/openai',
    apiKeys: options.apiKeys,
    authenticate: (req, keys) => {
      const key = header(req, 'api-key');
      if (key === undefined || !keys.has(key)) {
        return {
          status: 401,
          body: {
            error: {
              code: '401',
              message:
                'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
            },
          },
        };
      }
      if (!req.query.get('api-version')) return { status: 404, body: { error: { code: '404', message: 'Resource not found' } } };
      return null;
    },
    notFound: () => ({ status: 404, body: { error: { code: '404', message: 'Resource not found' } } }),
  }).then((fake) => fake.route('GET', '/openai/models', () => modelList(['gpt-4o'])));
}

/** Google AI Studio (Gemini API): `x-goog-api-key`; a wrong key is a 400 INVALID_ARGUMENT, as Google answers it. */
export function startFakeGemini(options: { apiKeys: readonly string[] }): Promise<FakeProvider> {
  return FakeProvider.start({
    name: 'google',
    basePath: '/v1beta',
    apiKeys: options.apiKeys,
    authenticate: (req, keys) => {
      const key = header(req, 'x-goog-api-key');
      if (key !== undefined && keys.has(key)) return null;
      return {
        status: 400,
        body: {
          error: {
            code: 400,
            message: 'API key not valid. Please pass a valid API key.',
            status: 'INVALID_ARGUMENT',
            details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } }],
          },
        },
      };
    },
    notFound: () => ({ status: 404, body: { error: { code: 404, message: 'Not found', status: 'NOT_FOUND' } } }),
  }).then((fake) =>
    fake.route('GET', '/v1beta/models', () => ({ status: 200, body: { models: [{ name: 'models/gemini-2.5-flash', displayName: 'Gemini 2.5 Flash' }] } })),
  );
}

function send(res: ServerResponse, reply: FakeReply): void {
  if (res.headersSent) return;
  const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  const headers: Record<string, string> = { ...(reply.body !== undefined && typeof reply.body !== 'string' ? { 'content-type': 'application/json' } : {}), ...reply.headers };
  res.writeHead(reply.status, headers);
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
