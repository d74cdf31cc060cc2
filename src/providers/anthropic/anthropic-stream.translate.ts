import {
  type CanonicalStopReason,
  type CanonicalStreamEvent,
  type CanonicalUsage,
  emptyUsage,
  mergeUsage,
} from '../canonical/chat';
import { isObject, isString, optionalNumber, parseJson } from '../canonical/json-guards';
import { InvalidProviderResponse } from '../canonical/translation.errors';
import { anthropicErrorToProviderError, providerErrorToAnthropicBody } from './anthropic-error.translate';
import {
  anthropicStopReasonToCanonical,
  anthropicToolId,
  anthropicUsageToCanonical,
  canonicalStopReasonToAnthropic,
  canonicalUsageToAnthropic,
} from './anthropic.translate';
import type { AnthropicContentBlock, AnthropicMessageDeltaUsage, AnthropicStreamEvent } from './anthropic.wire';

const EVENT_TYPES: ReadonlySet<string> = new Set([
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
  'ping',
  'error',
]);

/** Parses the data of one SSE event of a Messages stream (the `type` inside names the event). */
export function parseAnthropicStreamEvent(data: string): AnthropicStreamEvent {
  const json = parseJson(data);
  if (!isAnthropicStreamEvent(json)) throw new InvalidProviderResponse('a stream event is not a Messages stream event');
  return json;
}

export function isAnthropicStreamEvent(value: unknown): value is AnthropicStreamEvent {
  if (!isObject(value) || !isString(value.type) || !EVENT_TYPES.has(value.type)) return false;
  switch (value.type) {
    case 'message_start':
      return isObject(value.message) && isString(value.message.id) && isString(value.message.model);
    case 'content_block_start':
      return typeof value.index === 'number' && isContentBlockStart(value.content_block);
    case 'content_block_delta':
      return typeof value.index === 'number' && isContentDelta(value.delta);
    case 'content_block_stop':
      return typeof value.index === 'number';
    case 'message_delta':
      return isObject(value.delta) && isObject(value.usage) && typeof value.usage.output_tokens === 'number';
    case 'error':
      return isObject(value.error);
    default:
      return true;
  }
}

/** The fields the decoder reads must be there; other block types pass as they are. */
function isContentBlockStart(block: unknown): boolean {
  if (!isObject(block) || !isString(block.type)) return false;
  if (block.type === 'tool_use') return isString(block.id) && isString(block.name);
  if (block.type === 'text') return isString(block.text);
  if (block.type === 'thinking') return isString(block.thinking);
  return true;
}

const DELTA_TEXT_FIELD: Readonly<Record<string, string>> = {
  text_delta: 'text',
  input_json_delta: 'partial_json',
  thinking_delta: 'thinking',
  signature_delta: 'signature',
};

function isContentDelta(delta: unknown): boolean {
  if (!isObject(delta) || !isString(delta.type)) return false;
  const field = DELTA_TEXT_FIELD[delta.type];
  return field === undefined || isString(delta[field]);
}

/** Turns Anthropic stream events into canonical events, event by event. */
export class AnthropicStreamDecoder {
  /** Canonical kind of each open block; absent for blocks the canonical model leaves out. */
  private readonly blocks = new Map<number, 'text' | 'thinking' | 'tool'>();
  private stopReason: CanonicalStopReason = 'end_turn';
  private stopSequence: string | undefined;

  push(event: AnthropicStreamEvent): CanonicalStreamEvent[] {
    switch (event.type) {
      case 'message_start':
        return [
          { type: 'message_start', id: event.message.id, model: event.message.model },
          { type: 'usage', usage: anthropicUsageToCanonical(event.message.usage) },
        ];
      case 'content_block_start':
        return this.start(event.index, event.content_block);
      case 'content_block_delta':
        return this.delta(event);
      case 'content_block_stop': {
        const known = this.blocks.delete(event.index);
        return known ? [{ type: 'content_block_stop', index: event.index }] : [];
      }
      case 'message_delta':
        this.stopReason = anthropicStopReasonToCanonical(event.delta.stop_reason);
        this.stopSequence = event.delta.stop_sequence ?? undefined;
        return [{ type: 'usage', usage: deltaUsage(event.usage) }];
      case 'message_stop':
        return [{ type: 'message_stop', stopReason: this.stopReason, ...(this.stopSequence !== undefined ? { stopSequence: this.stopSequence } : {}) }];
      case 'ping':
        return [];
      case 'error':
        return [{ type: 'error', error: anthropicErrorToProviderError(undefined, event) }];
    }
  }

  private start(index: number, block: AnthropicContentBlock): CanonicalStreamEvent[] {
    switch (block.type) {
      case 'text':
        this.blocks.set(index, 'text');
        return block.text ? [{ type: 'text_delta', index, text: block.text }] : [];
      case 'thinking':
        this.blocks.set(index, 'thinking');
        return block.thinking ? [{ type: 'thinking_delta', index, text: block.thinking }] : [];
      case 'tool_use':
        this.blocks.set(index, 'tool');
        return [{ type: 'tool_call_start', index, id: block.id, name: block.name }];
      default:
        // redacted_thinking and server-tool blocks mean nothing to a caller of another format.
        return [];
    }
  }

  private delta(event: AnthropicStreamEvent & { type: 'content_block_delta' }): CanonicalStreamEvent[] {
    const kind = this.blocks.get(event.index);
    const delta = event.delta;
    if (kind === 'text' && delta.type === 'text_delta') return [{ type: 'text_delta', index: event.index, text: delta.text }];
    if (kind === 'thinking' && delta.type === 'thinking_delta') return [{ type: 'thinking_delta', index: event.index, text: delta.thinking }];
    if (kind === 'tool' && delta.type === 'input_json_delta') {
      return delta.partial_json ? [{ type: 'tool_call_delta', index: event.index, argumentsJson: delta.partial_json }] : [];
    }
    // signature_delta and citations_delta have no canonical counterpart.
    return [];
  }
}

/** Cumulative counts of a `message_delta`; input counts appear there only in newer API versions. */
export function deltaUsage(usage: AnthropicMessageDeltaUsage): Partial<CanonicalUsage> {
  const out: Partial<CanonicalUsage> = { outputTokens: usage.output_tokens };
  const input = optionalNumber(usage.input_tokens);
  if (input === undefined) return out;
  const read = optionalNumber(usage.cache_read_input_tokens) ?? 0;
  const write = optionalNumber(usage.cache_creation_input_tokens) ?? 0;
  return { ...out, inputTokens: input + read + write, cachedInputTokens: read, cacheWriteTokens: write };
}

export interface AnthropicStreamEncoderOptions {
  /** The model the caller asked for, echoed in `message_start`. */
  requestedModel: string;
}

/**
 * Writes canonical events as Anthropic stream events; each is sent as `event: <type>` with the
 * object as data. Usage is only known at the end of most providers' streams, so
 * `message_start` reports zero input tokens and `message_delta` the real counts.
 */
export class AnthropicStreamEncoder {
  private open: { canonical: number; index: number } | undefined;
  private nextIndex = 0;
  private usage: CanonicalUsage = emptyUsage();

  constructor(private readonly options: AnthropicStreamEncoderOptions) {}

  push(event: CanonicalStreamEvent): AnthropicStreamEvent[] {
    switch (event.type) {
      case 'message_start':
        return [this.messageStart(event.id)];
      case 'text_delta':
        return [
          ...this.ensureOpen(event.index, { type: 'text', text: '' }),
          { type: 'content_block_delta', index: this.currentIndex(), delta: { type: 'text_delta', text: event.text } },
        ];
      case 'thinking_delta':
        return [
          ...this.ensureOpen(event.index, { type: 'thinking', thinking: '', signature: '' }),
          { type: 'content_block_delta', index: this.currentIndex(), delta: { type: 'thinking_delta', thinking: event.text } },
        ];
      case 'tool_call_start':
        return this.ensureOpen(event.index, { type: 'tool_use', id: anthropicToolId(event.id), name: event.name, input: {} });
      case 'tool_call_delta':
        if (this.open?.canonical !== event.index) return [];
        return [{ type: 'content_block_delta', index: this.currentIndex(), delta: { type: 'input_json_delta', partial_json: event.argumentsJson } }];
      case 'content_block_stop':
        return this.open?.canonical === event.index ? this.closeOpen() : [];
      case 'usage':
        this.usage = mergeUsage(this.usage, event.usage);
        return [];
      case 'message_stop':
        return [...this.closeOpen(), this.messageDelta(event.stopReason, event.stopSequence), { type: 'message_stop' }];
      case 'error':
        return [providerErrorToAnthropicBody(event.error)];
    }
  }

  private messageStart(id: string): AnthropicStreamEvent {
    return {
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model: this.options.requestedModel,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    };
  }

  private messageDelta(reason: CanonicalStopReason, stopSequence: string | undefined): AnthropicStreamEvent {
    const usage = canonicalUsageToAnthropic(this.usage);
    return {
      type: 'message_delta',
      delta: { stop_reason: canonicalStopReasonToAnthropic(reason), stop_sequence: stopSequence ?? null },
      usage: {
        output_tokens: usage.output_tokens,
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
        cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
      },
    };
  }

  private currentIndex(): number {
    return this.open?.index ?? 0;
  }

  private ensureOpen(canonical: number, block: AnthropicContentBlock): AnthropicStreamEvent[] {
    if (this.open?.canonical === canonical) return [];
    const events = this.closeOpen();
    this.open = { canonical, index: this.nextIndex++ };
    events.push({ type: 'content_block_start', index: this.open.index, content_block: block });
    return events;
  }

  private closeOpen(): AnthropicStreamEvent[] {
    if (!this.open) return [];
    const index = this.open.index;
    this.open = undefined;
    return [{ type: 'content_block_stop', index }];
  }
}
