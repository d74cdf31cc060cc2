import type { ServerResponse } from 'node:http';
import type { FakeHandler, FakeProvider, FakeRequest } from './fake-providers';

/**
 * Chat handlers for the loopback fakes of fake-providers.ts, in the providers' true wire formats:
 * OpenAI Chat Completions (`POST /v1/chat/completions`, whole or SSE chunks, tool calls, the usage
 * chunk when `stream_options.include_usage`) and Anthropic Messages (`POST /v1/messages`, whole or
 * SSE events, tool_use with `input_json_delta`, usage in `message_delta`).
 *
 * Knobs: the answer (`FakeAnswer`), a provider error with its status and `retry-after`
 * (`openAiError`, `anthropicError`), a delay (`delayed`), a stream that breaks after N events
 * (socket destroyed) or hangs until the client goes away, and an upstream that accepts the
 * connection and never answers (`neverAnswer`). A `ConnectionWatch` records when the gateway
 * closed the upstream connection.
 *
 *   fake.route('POST', OPENAI_CHAT, openAiChat({ text: 'Hi', usage: { input: 12, output: 3, cached: 8 } }));
 *   fake.route('POST', ANTHROPIC_MESSAGES, anthropicMessages({ toolCalls: [{ id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] }));
 */

export const OPENAI_CHAT = '/v1/chat/completions';
export const ANTHROPIC_MESSAGES = '/v1/messages';

export type FakeToolCall = { id: string; name: string; input: Record<string, unknown> };

export type FakeUsage = {
  /** Prompt tokens not read from or written to the cache. */
  input: number;
  output: number;
  /** Prompt tokens read from the cache (OpenAI `prompt_tokens_details.cached_tokens`, Anthropic `cache_read_input_tokens`). */
  cached?: number;
  /** Prompt tokens written to the cache (Anthropic `cache_creation_input_tokens`). */
  cacheWrite?: number;
};

export type FakeAnswer = {
  /** The assistant's text (default `Hello from <provider>`); empty for none. */
  text?: string;
  /** How a stream splits the text (default: two halves). */
  chunks?: string[];
  toolCalls?: FakeToolCall[];
  /** In the provider's own words (`stop`, `length`, `tool_calls` / `end_turn`, `max_tokens`, `tool_use`, `stop_sequence`); defaults follow the content. */
  stopReason?: string;
  /** Anthropic's `stop_sequence` when `stopReason` is `stop_sequence`. */
  stopSequence?: string;
  usage?: FakeUsage;
  /** The model the provider says served (default: the requested one). */
  model?: string;
  /** Stream only: destroy the socket after this many SSE events (the first event counts as 1). */
  breakAfter?: number;
  /** Stream only: after this many SSE events, send nothing more and wait until the client goes away. */
  hangAfter?: number;
  /** Told when the connection this answer is written on closes (with `hangAfter`, the gateway went away). */
  watch?: ConnectionWatch;
};

type Answer = FakeAnswer | ((body: Record<string, unknown>, req: FakeRequest) => FakeAnswer);

const DEFAULT_USAGE: FakeUsage = { input: 9, output: 4 };

function resolve(answer: Answer, body: Record<string, unknown>, req: FakeRequest): FakeAnswer {
  return typeof answer === 'function' ? answer(body, req) : answer;
}

function textOf(answer: FakeAnswer, provider: string): string {
  return answer.text ?? `Hello from ${provider}`;
}

function chunksOf(answer: FakeAnswer, text: string): string[] {
  if (answer.chunks) return answer.chunks;
  if (text.length < 2) return text ? [text] : [];
  const half = Math.ceil(text.length / 2);
  return [text.slice(0, half), text.slice(half)];
}

/** Records when the connection of an upstream request closes (the gateway aborted it, or the answer ended). */
export class ConnectionWatch {
  closedAt: number | undefined;
  private readonly waiters: (() => void)[] = [];

  attach(res: ServerResponse): void {
    res.on('close', () => {
      this.closedAt ??= Date.now();
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  get closed(): boolean {
    return this.closedAt !== undefined;
  }

  /** Resolves true once closed, false after `timeoutMs` without a close. */
  waitForClose(timeoutMs: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(true);
    return new Promise((done) => {
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        done(true);
      });
    });
  }
}

/** Writes SSE events one by one, honouring `breakAfter` and `hangAfter`. */
class SseWriter {
  private written = 0;
  private stopped = false;
  private readonly closed: Promise<void>;

  constructor(
    private readonly res: ServerResponse,
    private readonly answer: FakeAnswer,
  ) {
    this.closed = new Promise((done) => res.on('close', () => done()));
    answer.watch?.attach(res);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  }

  /** Writes one event unless the stream was broken off or is hanging; resolves once it is flushed. */
  async send(event: string | undefined, data: unknown): Promise<void> {
    if (this.stopped) return;
    const text = `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
    await new Promise<void>((done) => this.res.write(text, () => done()));
    this.written += 1;
    if (this.answer.breakAfter !== undefined && this.written >= this.answer.breakAfter) {
      this.stopped = true;
      // Let the bytes leave before the connection is cut, as a provider crash mid-stream does.
      await new Promise((done) => setTimeout(done, 20));
      this.res.socket?.destroy();
    } else if (this.answer.hangAfter !== undefined && this.written >= this.answer.hangAfter) {
      this.stopped = true;
      await this.closed;
    }
  }

  end(): void {
    if (!this.stopped) this.res.end();
  }
}

// ---------------------------------------------------------------------------------------------
// OpenAI Chat Completions
// ---------------------------------------------------------------------------------------------

function openAiUsage(usage: FakeUsage) {
  const cached = usage.cached ?? 0;
  const prompt = usage.input + cached;
  return {
    prompt_tokens: prompt,
    completion_tokens: usage.output,
    total_tokens: prompt + usage.output,
    prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function openAiFinish(answer: FakeAnswer): string {
  return answer.stopReason ?? (answer.toolCalls?.length ? 'tool_calls' : 'stop');
}

/** `POST /v1/chat/completions` as OpenAI answers it: a `chat.completion`, or `chat.completion.chunk` events ending with `[DONE]`. */
export function openAiChat(answer: Answer = {}): FakeHandler {
  return async (req, res) => {
    const body = JSON.parse(req.body) as Record<string, unknown>;
    const a = resolve(answer, body, req);
    const model = a.model ?? String(body.model);
    const text = textOf(a, 'openai');
    const usage = a.usage ?? DEFAULT_USAGE;
    const created = Math.floor(Date.now() / 1000);
    const id = `chatcmpl-${Math.random().toString(36).slice(2, 14)}`;
    if (body.stream !== true) {
      a.watch?.attach(res);
      const toolCalls = a.toolCalls?.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.input) } }));
      return {
        status: 200,
        body: {
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: text || (toolCalls ? null : ''), refusal: null, annotations: [], ...(toolCalls ? { tool_calls: toolCalls } : {}) },
              logprobs: null,
              finish_reason: openAiFinish(a),
            },
          ],
          usage: openAiUsage(usage),
          service_tier: 'default',
          system_fingerprint: 'fp_fake',
        },
        headers: { 'x-request-id': `req_${id}` },
      };
    }
    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const sse = new SseWriter(res, a);
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      service_tier: 'default',
      system_fingerprint: 'fp_fake',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });
    await sse.send(undefined, chunk({ role: 'assistant', content: '', refusal: null }));
    for (const piece of chunksOf(a, text)) await sse.send(undefined, chunk({ content: piece }));
    for (const [index, call] of (a.toolCalls ?? []).entries()) {
      await sse.send(undefined, chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
      const args = JSON.stringify(call.input);
      const cut = Math.ceil(args.length / 2);
      for (const part of [args.slice(0, cut), args.slice(cut)]) await sse.send(undefined, chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
    }
    await sse.send(undefined, chunk({}, openAiFinish(a)));
    if (includeUsage) {
      await sse.send(undefined, { id, object: 'chat.completion.chunk', created, model, service_tier: 'default', system_fingerprint: 'fp_fake', choices: [], usage: openAiUsage(usage) });
    }
    await sse.send(undefined, '[DONE]');
    sse.end();
    return undefined;
  };
}

export type ErrorOptions = {
  /** Seconds, sent as `retry-after`. */
  retryAfter?: number;
  headers?: Record<string, string>;
};

/** An OpenAI error answer: `{error: {message, type, param, code}}` with the given status. */
export function openAiError(status: number, error: { message: string; type?: string; code?: string | null; param?: string | null }, options: ErrorOptions = {}): FakeHandler {
  return () => ({
    status,
    body: { error: { message: error.message, type: error.type ?? (status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error'), param: error.param ?? null, code: error.code ?? null } },
    headers: { ...(options.retryAfter !== undefined ? { 'retry-after': String(options.retryAfter) } : {}), ...options.headers },
  });
}

// ---------------------------------------------------------------------------------------------
// Anthropic Messages
// ---------------------------------------------------------------------------------------------

function anthropicUsage(usage: FakeUsage) {
  return {
    input_tokens: usage.input,
    cache_creation_input_tokens: usage.cacheWrite ?? 0,
    cache_read_input_tokens: usage.cached ?? 0,
    output_tokens: usage.output,
    service_tier: 'standard',
  };
}

function anthropicStop(answer: FakeAnswer): string {
  return answer.stopReason ?? (answer.toolCalls?.length ? 'tool_use' : 'end_turn');
}

/** `POST /v1/messages` as Anthropic answers it: a `message`, or the Messages stream events. */
export function anthropicMessages(answer: Answer = {}): FakeHandler {
  return async (req, res) => {
    const body = JSON.parse(req.body) as Record<string, unknown>;
    const a = resolve(answer, body, req);
    const model = a.model ?? String(body.model);
    const text = textOf(a, 'anthropic');
    const usage = a.usage ?? DEFAULT_USAGE;
    const id = `msg_${Math.random().toString(36).slice(2, 14)}`;
    const stopSequence = a.stopSequence ?? null;
    if (body.stream !== true) {
      a.watch?.attach(res);
      const content = [...(text ? [{ type: 'text', text }] : []), ...(a.toolCalls ?? []).map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: c.input }))];
      return {
        status: 200,
        body: { id, type: 'message', role: 'assistant', model, content, stop_reason: anthropicStop(a), stop_sequence: stopSequence, usage: anthropicUsage(usage) },
        headers: { 'request-id': `req_${id}` },
      };
    }
    const sse = new SseWriter(res, a);
    const send = (type: string, data: Record<string, unknown>) => sse.send(type, { type, ...data });
    await send('message_start', {
      message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...anthropicUsage(usage), output_tokens: 1 } },
    });
    await send('ping', {});
    let index = 0;
    const pieces = chunksOf(a, text);
    if (pieces.length > 0) {
      await send('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const piece of pieces) await send('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
      await send('content_block_stop', { index });
      index += 1;
    }
    for (const call of a.toolCalls ?? []) {
      await send('content_block_start', { index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } });
      const args = JSON.stringify(call.input);
      const cut = Math.ceil(args.length / 2);
      for (const part of ['', args.slice(0, cut), args.slice(cut)]) await send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } });
      await send('content_block_stop', { index });
      index += 1;
    }
    await send('message_delta', { delta: { stop_reason: anthropicStop(a), stop_sequence: stopSequence }, usage: { output_tokens: usage.output } });
    await send('message_stop', {});
    sse.end();
    return undefined;
  };
}

/** An Anthropic error answer: `{type: "error", error: {type, message}, request_id}` with the given status. */
export function anthropicError(status: number, type: string, message: string, options: ErrorOptions = {}): FakeHandler {
  return () => ({
    status,
    body: { type: 'error', error: { type, message }, request_id: `req_${Math.random().toString(36).slice(2, 14)}` },
    headers: { ...(options.retryAfter !== undefined ? { 'retry-after': String(options.retryAfter) } : {}), ...options.headers },
  });
}

// ---------------------------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------------------------

/** Waits `ms` before letting `handler` answer. */
export function delayed(ms: number, handler: FakeHandler): FakeHandler {
  return async (req, res) => {
    await new Promise((done) => setTimeout(done, ms));
    return handler(req, res);
  };
}

/** Accepts the request and never answers (not even headers) until the client goes away. */
export function neverAnswer(watch?: ConnectionWatch): FakeHandler {
  return async (_req, res) => {
    watch?.attach(res);
    await new Promise<void>((done) => res.on('close', () => done()));
    return undefined;
  };
}

// ---------------------------------------------------------------------------------------------
// What the fake received
// ---------------------------------------------------------------------------------------------

/** The JSON body of the last request `fake` received on `path`; throws when there is none. */
export function lastBody<T = Record<string, unknown>>(fake: FakeProvider, path: string): T {
  const all = fake.requestsTo(path);
  if (all.length === 0) throw new Error(`fake ${fake.name} received no request on ${path}`);
  return JSON.parse(all[all.length - 1].body) as T;
}


/** Answers `status` with the first part of a JSON body, then cuts the connection (a provider crashing mid-answer). */
export function cutOffBody(status = 200): FakeHandler {
  return async (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': '400' });
    const start = status < 300 ? '{"id":"chatcmpl-cut","object":"chat.completion","choi' : '{"error":{"message":"The server is overloa';
    await new Promise<void>((done) => res.write(start, () => done()));
    await new Promise((done) => setTimeout(done, 20));
    res.socket?.destroy();
    return undefined;
  };
}
