import { Agent, errors as undiciErrors, request } from 'undici';
import type { CallerFormat, CanonicalChatRequest, CanonicalStreamEvent, CanonicalUsage } from './canonical/chat';
import { emptyUsage, mergeUsage } from './canonical/chat';
import { ProviderError } from './canonical/provider-error';
import { createSseDecoder, encodeSseEvent, SseMessage } from './canonical/sse';
import { InvalidProviderResponse } from './canonical/translation.errors';
import { anthropicRequestToCanonical, anthropicResponseToCanonical, anthropicUsageToCanonical, canonicalToAnthropicRequest, canonicalToAnthropicResponse } from './anthropic/anthropic.translate';
import { AnthropicStreamDecoder, AnthropicStreamEncoder, deltaUsage, parseAnthropicStreamEvent } from './anthropic/anthropic-stream.translate';
import { anthropicErrorToProviderError, providerErrorToAnthropicBody } from './anthropic/anthropic-error.translate';
import type { AnthropicMessageDeltaUsage, AnthropicMessagesRequest } from './anthropic/anthropic.wire';
import { canonicalToOpenAiRequest, canonicalToOpenAiResponse, openAiRequestToCanonical, openAiResponseToCanonical, openAiUsageToCanonical } from './openai/openai.translate';
import { OPENAI_STREAM_DONE, OpenAiStreamDecoder, OpenAiStreamEncoder, parseOpenAiStreamData } from './openai/openai-stream.translate';
import { openAiErrorToProviderError, providerErrorToOpenAiBody } from './openai/openai-error.translate';
import type { OpenAiChatRequest, OpenAiPassThroughBody } from './openai/openai.wire';
import { openAiProfile } from './openai/openai.profile';
import { applyProfile } from './openai-compatible/apply-profile';
import type { OpenAiCompatibleProfile } from './openai-compatible/openai-compatible.profile';
import { OPENAI_COMPATIBLE_PROFILES, isOpenAiCompatibleProviderId } from './openai-compatible/profiles';
import { ChatCall, ChatResult, ChatStream, ProviderClient, UpstreamTarget } from './provider-client.port';

const ANTHROPIC_VERSION = '2023-06-01';
const MAX_ERROR_BODY = 64 * 1024;

type Prepared = { url: string; headers: Record<string, string>; body: string; passThrough: boolean; usageInjected: boolean };

/**
 * The OpenAI-compatible and Anthropic families over one undici agent (keep-alive pool, private
 * hosts refused at connect time, redirects never followed). Same-format requests pass through
 * with only the model rewritten (unknown fields kept); cross-format requests go through the
 * canonical model. Streams are translated event by event and never buffered.
 */
export class UpstreamChatClient extends ProviderClient {
  constructor(private readonly agent: Agent) {
    super();
  }

  async chat(call: ChatCall, target: UpstreamTarget): Promise<ChatResult> {
    const prepared = prepare(call, target);
    const res = await this.send(prepared, call, target);
    const text = await readWhole(res.body, call.signal);
    const json = parseJson(text);
    if (target.family === 'openai') {
      const usage = openAiUsageToCanonical((json as { usage?: unknown }).usage);
      const servedModel = modelOf(json) ?? target.model;
      if (prepared.passThrough) return { body: text, usage, servedModel };
      const canonical = openAiResponseToCanonical(json);
      return { body: JSON.stringify(canonicalToAnthropicResponse(canonical, { requestedModel: call.requestedModel })), usage: canonical.usage, servedModel };
    }
    const usage = anthropicUsageToCanonical((json as { usage?: unknown }).usage);
    const servedModel = modelOf(json) ?? target.model;
    if (prepared.passThrough) return { body: text, usage, servedModel };
    const canonical = anthropicResponseToCanonical(json);
    return { body: JSON.stringify(canonicalToOpenAiResponse(canonical, { requestedModel: call.requestedModel })), usage: canonical.usage, servedModel };
  }

  async streamChat(call: ChatCall, target: UpstreamTarget): Promise<ChatStream> {
    const prepared = prepare(call, target);
    const res = await this.send(prepared, call, target);
    const translator = streamTranslator(call, target, prepared);
    const body = res.body;
    async function* frames(): AsyncGenerator<string> {
      const decoder = createSseDecoder((message) => translator.onMessage(message));
      try {
        for await (const chunk of body) {
          decoder.push(chunk as Buffer);
          const out = translator.drain();
          if (out) yield out;
          if (translator.failed()) break;
        }
        decoder.end();
        translator.end();
      } catch (error) {
        translator.fail(streamBroke(error, call.signal));
      } finally {
        if (translator.failed()) body.destroy();
      }
      const rest = translator.drain();
      if (rest) yield rest;
    }
    return { frames: frames(), usage: () => translator.usage, failure: () => translator.failure, servedModel: () => translator.servedModel ?? target.model };
  }

  private async send(prepared: Prepared, call: ChatCall, target: UpstreamTarget) {
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(prepared.url, {
        method: 'POST',
        headers: prepared.headers,
        body: prepared.body,
        dispatcher: this.agent,
        signal: call.signal,
        headersTimeout: call.timeoutMs,
        bodyTimeout: call.timeoutMs,
      });
    } catch (error) {
      throw connectError(error, call.signal, target.secrets);
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return res;
    const text = await readBounded(res.body);
    if (res.statusCode >= 300 && res.statusCode < 400) {
      throw new ProviderError({ kind: 'upstream', status: 502, retryable: true, message: `The provider answered with a redirect (HTTP ${res.statusCode}), which is not followed.` });
    }
    const body = parseJsonOr(text);
    const headers = res.headers as Record<string, string | string[] | undefined>;
    throw target.family === 'openai'
      ? openAiErrorToProviderError(res.statusCode, body, headers, target.secrets)
      : anthropicErrorToProviderError(res.statusCode, body, headers, target.secrets);
  }
}

function prepare(call: ChatCall, target: UpstreamTarget): Prepared {
  const base = target.baseUrl.replace(/\/+$/, '');
  if (target.family === 'openai') {
    const profile = profileOf(target.providerId);
    let body: OpenAiPassThroughBody;
    let passThrough = false;
    if (call.caller === 'openai') {
      body = { ...(call.body as OpenAiPassThroughBody), model: target.model };
      passThrough = true;
    } else {
      body = canonicalToOpenAiRequest(toCanonical(call, target.model), profile).body;
    }
    const applied = applyProfile(body, profile, { ensureStreamUsage: call.stream });
    return {
      url: `${base}/chat/completions`,
      headers: { 'content-type': 'application/json', accept: call.stream ? 'text/event-stream' : 'application/json', ...target.headers },
      body: JSON.stringify(applied.body),
      passThrough,
      usageInjected: applied.usageInjected,
    };
  }
  const passThrough = call.caller === 'anthropic';
  const body: Record<string, unknown> = passThrough
    ? { ...call.body, model: target.model }
    : { ...canonicalToAnthropicRequest(toCanonical(call, target.model), { modelMaxOutputTokens: target.maxOutputTokens }).body };
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: call.stream ? 'text/event-stream' : 'application/json',
    'anthropic-version': call.passHeaders['anthropic-version'] ?? ANTHROPIC_VERSION,
    ...target.headers,
  };
  if (passThrough && call.passHeaders['anthropic-beta']) headers['anthropic-beta'] = call.passHeaders['anthropic-beta'];
  return { url: `${base.replace(/\/v1$/, '')}/v1/messages`, headers, body: JSON.stringify(body), passThrough, usageInjected: false };
}

function toCanonical(call: ChatCall, model: string): CanonicalChatRequest {
  const canonical = call.caller === 'openai' ? openAiRequestToCanonical(call.body as unknown as OpenAiChatRequest) : anthropicRequestToCanonical(call.body as unknown as AnthropicMessagesRequest);
  return { ...canonical, model };
}

function profileOf(providerId: string): OpenAiCompatibleProfile {
  return isOpenAiCompatibleProviderId(providerId) ? OPENAI_COMPATIBLE_PROFILES[providerId] : GENERIC_OPENAI_PROFILE;
}

/** A custom host that speaks the OpenAI format: no provider rules, usage asked for in streams. */
const GENERIC_OPENAI_PROFILE: OpenAiCompatibleProfile = {
  ...openAiProfile,
  displayName: 'OpenAI-compatible endpoint',
  unsupportedParams: {},
  quirks: { streamUsage: 'stream_options' },
};

type StreamTranslator = {
  onMessage(message: SseMessage): void;
  drain(): string;
  end(): void;
  fail(error: ProviderError): void;
  failed(): boolean;
  usage: CanonicalUsage;
  failure: ProviderError | undefined;
  servedModel: string | undefined;
};

/**
 * Turns upstream SSE messages into caller-format frames. Same-format streams are re-framed
 * message by message (the JSON is parsed only where usage lives); cross-format streams go
 * through the canonical events. A stream that ends without its terminal event, or breaks,
 * ends with an explicit error event in the caller's format.
 */
function streamTranslator(call: ChatCall, target: UpstreamTarget, prepared: Prepared): StreamTranslator {
  let out = '';
  let finished = false;
  const state = { usage: emptyUsage(), failure: undefined as ProviderError | undefined, servedModel: undefined as string | undefined };
  const errorFrame = (error: ProviderError): string =>
    call.caller === 'openai' ? encodeSseEvent(undefined, JSON.stringify(providerErrorToOpenAiBody(error))) : encodeSseEvent('error', JSON.stringify(providerErrorToAnthropicBody(error)));
  const fail = (error: ProviderError) => {
    if (state.failure || finished) return;
    state.failure = error;
    out += errorFrame(error);
  };
  const upstreamError = (body: unknown) =>
    target.family === 'openai' ? openAiErrorToProviderError(undefined, body, undefined, target.secrets) : anthropicErrorToProviderError(undefined, body, undefined, target.secrets);

  let onMessage: (message: SseMessage) => void;
  let end: () => void;

  if (prepared.passThrough && target.family === 'openai') {
    onMessage = (message) => {
      if (finished || state.failure) return;
      if (message.data === OPENAI_STREAM_DONE) {
        finished = true;
        out += encodeSseEvent(undefined, OPENAI_STREAM_DONE);
        return;
      }
      if (message.data.includes('"error"') || message.data.includes('"usage"') || state.servedModel === undefined) {
        const parsed = parseOpenAiStreamData(message.data);
        if (parsed.kind === 'error') return fail(upstreamError(parsed.body));
        if (parsed.kind === 'chunk') {
          state.servedModel ??= parsed.chunk.model;
          if (parsed.chunk.usage) state.usage = openAiUsageToCanonical(parsed.chunk.usage);
          if (prepared.usageInjected && parsed.chunk.choices.length === 0 && parsed.chunk.usage) return;
        }
      }
      out += encodeSseEvent(undefined, message.data);
    };
    end = () => {
      if (!finished) fail(ProviderError.connectFailed('The provider ended the stream before it was complete.'));
    };
  } else if (prepared.passThrough) {
    onMessage = (message) => {
      if (finished || state.failure) return;
      const event = message.event ?? 'message';
      if (event === 'error') return fail(upstreamError(parseJsonOr(message.data)));
      if (event === 'message_start' || event === 'message_delta') {
        const parsed = parseJsonOr(message.data) as { message?: { model?: string; usage?: unknown }; usage?: { output_tokens?: unknown } };
        if (parsed.message?.model) state.servedModel = parsed.message.model;
        // message_start has every count; message_delta only those that changed (its input counts only in newer API versions).
        if (parsed.message?.usage) state.usage = mergeUsage(state.usage, anthropicUsageToCanonical(parsed.message.usage));
        else if (typeof parsed.usage?.output_tokens === 'number') state.usage = mergeUsage(state.usage, deltaUsage(parsed.usage as AnthropicMessageDeltaUsage));
      }
      out += encodeSseEvent(event, message.data);
      if (event === 'message_stop') finished = true;
    };
    end = () => {
      if (!finished) fail(ProviderError.connectFailed('The provider ended the stream before it was complete.'));
    };
  } else {
    const decoder = target.family === 'openai' ? new OpenAiStreamDecoder() : new AnthropicStreamDecoder();
    const encode = canonicalEncoder(call);
    const emit = (events: CanonicalStreamEvent[]) => {
      for (const event of events) {
        if (state.failure) return;
        if (event.type === 'message_start') state.servedModel = event.model || undefined;
        if (event.type === 'usage') state.usage = mergeUsage(state.usage, event.usage);
        if (event.type === 'error') return fail(event.error);
        out += encode(event);
        if (event.type === 'message_stop') {
          finished = true;
          if (call.caller === 'openai') out += encodeSseEvent(undefined, OPENAI_STREAM_DONE);
        }
      }
    };
    onMessage = (message) => {
      if (finished || state.failure) return;
      try {
        if (decoder instanceof OpenAiStreamDecoder) {
          const parsed = parseOpenAiStreamData(message.data);
          if (parsed.kind === 'done') return emit(decoder.finish());
          if (parsed.kind === 'error') return emit(decoder.pushError(parsed.body, target.secrets));
          emit(decoder.push(parsed.chunk));
        } else {
          const event = parseAnthropicStreamEvent(message.data);
          if (event.type === 'error') return fail(upstreamError(event));
          emit(decoder.push(event));
        }
      } catch (error) {
        fail(error instanceof ProviderError ? error : new InvalidProviderResponse(error instanceof Error ? error.message : 'unreadable stream event'));
      }
    };
    end = () => {
      if (finished || state.failure) return;
      if (decoder instanceof OpenAiStreamDecoder && state.servedModel !== undefined) {
        // Some OpenAI-compatible providers close the stream after the finish chunk without `[DONE]`.
        emit(decoder.finish());
        return;
      }
      fail(ProviderError.connectFailed('The provider ended the stream before it was complete.'));
    };
  }

  return {
    onMessage: (message) => onMessage(message),
    drain: () => {
      const chunk = out;
      out = '';
      return chunk;
    },
    end: () => end(),
    fail,
    failed: () => state.failure !== undefined,
    get usage() {
      return state.usage;
    },
    get failure() {
      return state.failure;
    },
    get servedModel() {
      return state.servedModel;
    },
  };
}

function canonicalEncoder(call: ChatCall): (event: CanonicalStreamEvent) => string {
  if (call.caller === 'openai') {
    const options = call.body.stream_options as { include_usage?: boolean } | undefined;
    const encoder = new OpenAiStreamEncoder({ requestedModel: call.requestedModel, includeUsage: options?.include_usage === true });
    return (event) => encoder.push(event).map((chunk) => encodeSseEvent(undefined, JSON.stringify(chunk))).join('');
  }
  const encoder = new AnthropicStreamEncoder({ requestedModel: call.requestedModel });
  return (event) => encoder.push(event).map((e) => encodeSseEvent(e.type, JSON.stringify(e))).join('');
}

function connectError(error: unknown, signal: AbortSignal, secrets: readonly string[]): ProviderError {
  if (signal.aborted) return ProviderError.clientGone();
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.ConnectTimeoutError) return ProviderError.timeout();
  const code = (error as { code?: string }).code;
  if (code === 'EKEYWAY_BLOCKED_ADDRESS') {
    return new ProviderError({ kind: 'unavailable', status: 502, retryable: true, message: (error as Error).message, knownSecrets: secrets });
  }
  return ProviderError.connectFailed(`The provider could not be reached${code ? ` (${code})` : ''}.`);
}

/**
 * The body of a whole (non-streamed) 2xx answer. A connection cut or stalled while it is read is a
 * retryable failure like a refused connection: nothing has reached the caller yet.
 */
async function readWhole(body: { text(): Promise<string> }, signal: AbortSignal): Promise<string> {
  try {
    return await body.text();
  } catch (error) {
    if (signal.aborted) throw ProviderError.clientGone();
    if (error instanceof undiciErrors.BodyTimeoutError) throw ProviderError.timeout('The provider stopped sending its answer.');
    throw ProviderError.connectFailed('The answer from the provider broke off.');
  }
}

function streamBroke(error: unknown, signal: AbortSignal): ProviderError {
  if (signal.aborted) return ProviderError.clientGone();
  if (error instanceof undiciErrors.BodyTimeoutError) return ProviderError.timeout('The provider stopped sending the stream.');
  return ProviderError.connectFailed('The stream from the provider broke off.');
}

/** An error answer's body, at most MAX_ERROR_BODY; if the connection breaks meanwhile, what arrived (the status still says what happened). */
async function readBounded(body: AsyncIterable<Buffer | Uint8Array> & { destroy(): void }): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      parts.push(Buffer.from(chunk));
      size += chunk.length;
      if (size > MAX_ERROR_BODY) {
        body.destroy();
        break;
      }
    }
  } catch {
    // Keep the part that arrived.
  }
  return Buffer.concat(parts).toString('utf8').slice(0, MAX_ERROR_BODY);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidProviderResponse('The provider answered with a body that is not JSON.');
  }
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function modelOf(json: unknown): string | undefined {
  const model = (json as { model?: unknown }).model;
  return typeof model === 'string' ? model : undefined;
}

