import {
  type CanonicalStopReason,
  type CanonicalStreamEvent,
  type CanonicalUsage,
  emptyUsage,
  mergeUsage,
} from '../canonical/chat';
import { isNumber, isObject, isString, parseJson } from '../canonical/json-guards';
import { InvalidProviderResponse } from '../canonical/translation.errors';
import { openAiErrorToProviderError, providerErrorToOpenAiBody } from './openai-error.translate';
import { canonicalStopReasonToOpenAi, canonicalUsageToOpenAi, openAiFinishReasonToCanonical, openAiUsageToCanonical } from './openai.translate';
import type { OpenAiChatChunk, OpenAiChunkChoice, OpenAiChunkDelta, OpenAiErrorBody, OpenAiToolCallDelta } from './openai.wire';

/** The data of the event that ends a Chat Completions stream (`data: [DONE]`). */
export const OPENAI_STREAM_DONE = '[DONE]';

/** What one `data:` line of an OpenAI stream holds. */
export type OpenAiStreamData =
  | { kind: 'chunk'; chunk: OpenAiChatChunk }
  | { kind: 'done' }
  /** An error reported inside a 200 stream (`data: {"error": {…}}`). */
  | { kind: 'error'; body: unknown };

/** Parses the data of one SSE event of a Chat Completions stream. */
export function parseOpenAiStreamData(data: string): OpenAiStreamData {
  if (data.trim() === OPENAI_STREAM_DONE) return { kind: 'done' };
  const json = parseJson(data);
  if (isObject(json) && json.error !== undefined && !Array.isArray(json.choices)) return { kind: 'error', body: json };
  if (!isOpenAiChatChunk(json)) throw new InvalidProviderResponse('a stream event is not a chat.completion.chunk');
  return { kind: 'chunk', chunk: json };
}

export function isOpenAiChatChunk(value: unknown): value is OpenAiChatChunk {
  if (!isObject(value) || !Array.isArray(value.choices)) return false;
  if (value.usage !== undefined && value.usage !== null && !isObject(value.usage)) return false;
  return value.choices.every(isChunkChoice);
}

function isChunkChoice(value: unknown): value is OpenAiChunkChoice {
  if (!isObject(value) || !isObject(value.delta)) return false;
  if (value.finish_reason !== undefined && value.finish_reason !== null && !isString(value.finish_reason)) return false;
  const delta = value.delta;
  const textOk = [delta.content, delta.reasoning_content, delta.reasoning, delta.refusal].every(
    (v) => v === undefined || v === null || isString(v),
  );
  return textOk && (delta.tool_calls === undefined || delta.tool_calls === null || (Array.isArray(delta.tool_calls) && delta.tool_calls.every(isToolCallDelta)));
}

function isToolCallDelta(value: unknown): value is OpenAiToolCallDelta {
  if (!isObject(value) || !isNumber(value.index)) return false;
  if (value.id !== undefined && value.id !== null && !isString(value.id)) return false;
  const fn = value.function;
  return fn === undefined || (isObject(fn) && [fn.name, fn.arguments].every((v) => v === undefined || v === null || isString(v)));
}

type OpenBlock = { index: number; kind: 'text' | 'thinking' | 'tool' };

/**
 * Turns the chunks of an OpenAI(-compatible) stream into canonical events, chunk by chunk.
 * Only choice 0 is read. Call {@link finish} when the stream ends (`[DONE]` or end of body):
 * the stop event is held until then so that a trailing usage chunk comes before it.
 */
export class OpenAiStreamDecoder {
  private started = false;
  private finished = false;
  private open: OpenBlock | undefined;
  private nextIndex = 0;
  private readonly toolBlocks = new Map<number, number>();
  private readonly closed = new Set<number>();
  private stopReason: CanonicalStopReason | undefined;

  push(chunk: OpenAiChatChunk): CanonicalStreamEvent[] {
    const events: CanonicalStreamEvent[] = [];
    if (!this.started) {
      this.started = true;
      events.push({ type: 'message_start', id: chunk.id ?? '', model: chunk.model ?? '' });
    }
    const choice = chunk.choices.find((c) => (c.index ?? 0) === 0);
    if (choice) this.readChoice(choice, events);
    const usage = chunk.usage ?? chunk.x_groq?.usage ?? choice?.usage;
    if (isObject(usage)) events.push({ type: 'usage', usage: openAiUsageToCanonical(usage) });
    return events;
  }

  /** An error object sent inside the stream; its status is inferred from its type or code. */
  pushError(body: unknown, knownSecrets?: readonly string[]): CanonicalStreamEvent[] {
    this.finished = true;
    return [{ type: 'error', error: openAiErrorToProviderError(undefined, body, undefined, knownSecrets) }];
  }

  finish(): CanonicalStreamEvent[] {
    if (this.finished) return [];
    this.finished = true;
    const events: CanonicalStreamEvent[] = [];
    this.closeOpen(events);
    events.push({ type: 'message_stop', stopReason: this.stopReason ?? 'end_turn' });
    return events;
  }

  private readChoice(choice: OpenAiChunkChoice, events: CanonicalStreamEvent[]): void {
    const delta: OpenAiChunkDelta = choice.delta;
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (reasoning) events.push({ type: 'thinking_delta', index: this.ensure('thinking', events), text: reasoning });
    const text = delta.content || delta.refusal;
    if (text) events.push({ type: 'text_delta', index: this.ensure('text', events), text });
    for (const call of delta.tool_calls ?? []) this.readToolCall(call, events);
    if (choice.finish_reason) {
      this.closeOpen(events);
      this.stopReason = openAiFinishReasonToCanonical(choice.finish_reason);
    }
  }

  private readToolCall(call: OpenAiToolCallDelta, events: CanonicalStreamEvent[]): void {
    let index = this.toolBlocks.get(call.index);
    if (index === undefined) {
      this.closeOpen(events);
      index = this.nextIndex++;
      this.toolBlocks.set(call.index, index);
      this.open = { index, kind: 'tool' };
      const name = call.function?.name;
      if (!name) throw new InvalidProviderResponse(`tool call ${call.index} started without a function name`);
      events.push({ type: 'tool_call_start', index, id: call.id || `call_${index}`, name });
    } else if (this.closed.has(index)) {
      throw new InvalidProviderResponse(`tool call ${call.index} continued after another block started`);
    }
    const args = call.function?.arguments;
    if (args) events.push({ type: 'tool_call_delta', index, argumentsJson: args });
  }

  /** The index of the open block of `kind`, opening a new one (and closing another) if needed. */
  private ensure(kind: 'text' | 'thinking', events: CanonicalStreamEvent[]): number {
    if (this.open?.kind === kind) return this.open.index;
    this.closeOpen(events);
    this.open = { index: this.nextIndex++, kind };
    return this.open.index;
  }

  private closeOpen(events: CanonicalStreamEvent[]): void {
    if (!this.open) return;
    events.push({ type: 'content_block_stop', index: this.open.index });
    this.closed.add(this.open.index);
    this.open = undefined;
  }
}

export interface OpenAiStreamEncoderOptions {
  /** The model the caller asked for, echoed in every chunk. */
  requestedModel: string;
  /** Whether the caller asked for `stream_options.include_usage`. */
  includeUsage: boolean;
  /** Unix seconds; defaults to now. */
  created?: number;
}

export type OpenAiStreamOutput = OpenAiChatChunk | OpenAiErrorBody;

/**
 * Writes canonical events as `chat.completion.chunk` objects (and an error object for an
 * error event), each sent as `data: <json>`. After the chunks of `message_stop`, the caller
 * writes `data: [DONE]` ({@link OPENAI_STREAM_DONE}).
 */
export class OpenAiStreamEncoder {
  private id = '';
  private readonly created: number;
  private readonly toolIndexes = new Map<number, number>();
  private usage: CanonicalUsage = emptyUsage();

  constructor(private readonly options: OpenAiStreamEncoderOptions) {
    this.created = options.created ?? Math.floor(Date.now() / 1000);
  }

  push(event: CanonicalStreamEvent): OpenAiStreamOutput[] {
    switch (event.type) {
      case 'message_start':
        this.id = event.id;
        return [this.chunk({ role: 'assistant', content: '' })];
      case 'text_delta':
        return [this.chunk({ content: event.text })];
      case 'thinking_delta':
        return [this.chunk({ reasoning_content: event.text })];
      case 'tool_call_start': {
        const toolIndex = this.toolIndexes.size;
        this.toolIndexes.set(event.index, toolIndex);
        const call = { index: toolIndex, id: event.id, type: 'function' as const, function: { name: event.name, arguments: '' } };
        return [this.chunk({ tool_calls: [call] })];
      }
      case 'tool_call_delta': {
        const toolIndex = this.toolIndexes.get(event.index) ?? 0;
        return [this.chunk({ tool_calls: [{ index: toolIndex, function: { arguments: event.argumentsJson } }] })];
      }
      case 'content_block_stop':
        return [];
      case 'usage':
        this.usage = mergeUsage(this.usage, event.usage);
        return [];
      case 'message_stop':
        return this.stop(event.stopReason);
      case 'error':
        return [providerErrorToOpenAiBody(event.error)];
    }
  }

  private stop(reason: CanonicalStopReason): OpenAiChatChunk[] {
    const last = this.chunk({}, canonicalStopReasonToOpenAi(reason));
    if (!this.options.includeUsage) return [last];
    return [last, { ...this.base(), choices: [], usage: canonicalUsageToOpenAi(this.usage) }];
  }

  private chunk(delta: OpenAiChunkDelta, finishReason: OpenAiChunkChoice['finish_reason'] = null): OpenAiChatChunk {
    return {
      ...this.base(),
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
      // With include_usage, OpenAI sends `usage: null` on every chunk but the last.
      ...(this.options.includeUsage ? { usage: null } : {}),
    };
  }

  private base(): Omit<OpenAiChatChunk, 'choices'> {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.options.requestedModel };
  }
}
