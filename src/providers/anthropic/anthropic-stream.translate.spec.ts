import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalStreamEvent } from '../canonical/chat';
import { ProviderError } from '../canonical/provider-error';
import { createSseDecoder, encodeSseEvent } from '../canonical/sse';
import { InvalidProviderResponse } from '../canonical/translation.errors';
import { AnthropicStreamDecoder, AnthropicStreamEncoder, parseAnthropicStreamEvent } from './anthropic-stream.translate';
import type { AnthropicStreamEvent } from './anthropic.wire';

const recorded = (name: string): AnthropicStreamEvent[] =>
  (JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as unknown[]).map((e) => parseAnthropicStreamEvent(JSON.stringify(e)));

/** Feeds a recorded stream through SSE bytes, as Anthropic sends it (`event:` + `data:`). */
function decodeRecorded(name: string): CanonicalStreamEvent[] {
  const sse = recorded(name).map((e) => encodeSseEvent(e.type, JSON.stringify(e))).join('');
  const decoder = new AnthropicStreamDecoder();
  const events: CanonicalStreamEvent[] = [];
  const sseDecoder = createSseDecoder(({ data }) => events.push(...decoder.push(parseAnthropicStreamEvent(data))));
  const bytes = new TextEncoder().encode(sse);
  for (let i = 0; i < bytes.length; i += 11) sseDecoder.push(bytes.subarray(i, i + 11));
  sseDecoder.end();
  return events;
}

describe('AnthropicStreamDecoder', () => {
  it('decodes a text stream, ignoring pings', () => {
    expect(decodeRecorded('stream-text.json')).toEqual<CanonicalStreamEvent[]>([
      { type: 'message_start', id: 'msg_014p7gG3wDgGV9EUtLvnow3U', model: 'claude-sonnet-4-5-20250929' },
      { type: 'usage', usage: { inputTokens: 125, outputTokens: 1, cachedInputTokens: 100, cacheWriteTokens: 0 } },
      { type: 'text_delta', index: 0, text: 'Hello' },
      { type: 'text_delta', index: 0, text: '!' },
      { type: 'content_block_stop', index: 0 },
      { type: 'usage', usage: { outputTokens: 15 } },
      { type: 'message_stop', stopReason: 'end_turn' },
    ]);
  });

  it('decodes tool use with input_json_delta fragments', () => {
    const events = decodeRecorded('stream-tool-use.json');
    expect(events.filter((e) => e.type !== 'text_delta' && e.type !== 'usage')).toEqual<CanonicalStreamEvent[]>([
      { type: 'message_start', id: 'msg_01Eh3nVhh9v4z3mkUPpA1M5o', model: 'claude-sonnet-4-5-20250929' },
      { type: 'content_block_stop', index: 0 },
      { type: 'tool_call_start', index: 1, id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather' },
      { type: 'tool_call_delta', index: 1, argumentsJson: '{"location":' },
      { type: 'tool_call_delta', index: 1, argumentsJson: ' "San Fra' },
      { type: 'tool_call_delta', index: 1, argumentsJson: 'ncisco, CA"}' },
      { type: 'content_block_stop', index: 1 },
      { type: 'message_stop', stopReason: 'tool_use' },
    ]);
  });

  it('decodes thinking deltas and leaves signatures out', () => {
    const events = decodeRecorded('stream-thinking.json');
    expect(events.filter((e) => e.type === 'thinking_delta').map((e) => (e.type === 'thinking_delta' ? e.text : ''))).toEqual([
      '27 * 453: 27 * 400 = 10800, 27 * 53 = 1431.',
      ' Sum 12231.',
    ]);
    expect(events.filter((e) => e.type === 'content_block_stop')).toHaveLength(2);
  });

  it('turns an overloaded error event into a retryable provider error', () => {
    const last = decodeRecorded('stream-overloaded.json').at(-1);
    expect(last?.type).toBe('error');
    const error = last?.type === 'error' ? last.error : undefined;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'unavailable', status: 529, retryable: true, message: 'Overloaded', providerCode: 'overloaded_error' });
  });

  it('reads input counts repeated in message_delta by newer API versions', () => {
    const decoder = new AnthropicStreamDecoder();
    const events = decoder.push({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 40, input_tokens: 10, cache_read_input_tokens: 90, cache_creation_input_tokens: 5 },
    });
    expect(events).toEqual([{ type: 'usage', usage: { outputTokens: 40, inputTokens: 105, cachedInputTokens: 90, cacheWriteTokens: 5 } }]);
  });

  it('refuses malformed events', () => {
    expect(() => parseAnthropicStreamEvent('{"type":"content_block_delta","index":0,"delta":{"type":"text_delta"}}')).toThrow(InvalidProviderResponse);
    expect(() => parseAnthropicStreamEvent('{"type":"surprise"}')).toThrow(InvalidProviderResponse);
  });
});

describe('AnthropicStreamEncoder', () => {
  it('writes block starts, deltas, stops, and usage in message_delta', () => {
    const encoder = new AnthropicStreamEncoder({ requestedModel: 'openai/gpt-4o' });
    const out = [
      { type: 'message_start', id: 'chatcmpl-1', model: 'gpt-4o-2024-08-06' },
      { type: 'thinking_delta', index: 0, text: 'Plan.' },
      { type: 'text_delta', index: 1, text: 'Hi' },
      { type: 'text_delta', index: 1, text: '!' },
      { type: 'content_block_stop', index: 1 },
      { type: 'tool_call_start', index: 2, id: 'call_1', name: 'f' },
      { type: 'tool_call_delta', index: 2, argumentsJson: '{"a":1}' },
      { type: 'usage', usage: { inputTokens: 82, outputTokens: 51, cachedInputTokens: 64, cacheWriteTokens: 0 } },
      { type: 'message_stop', stopReason: 'tool_use' },
    ].flatMap((e) => encoder.push(e as CanonicalStreamEvent));
    expect(out).toEqual<AnthropicStreamEvent[]>([
      {
        type: 'message_start',
        message: {
          id: 'chatcmpl-1',
          type: 'message',
          role: 'assistant',
          model: 'openai/gpt-4o',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 0, output_tokens: 0 },
        },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Plan.' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Hi' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: '!' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'call_1', name: 'f', input: {} } },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"a":1}' } },
      { type: 'content_block_stop', index: 2 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: { output_tokens: 51, input_tokens: 18, cache_read_input_tokens: 64, cache_creation_input_tokens: 0 },
      },
      { type: 'message_stop' },
    ]);
  });

  it('writes an error event in Anthropic\'s shape', () => {
    const encoder = new AnthropicStreamEncoder({ requestedModel: 'm' });
    const error = new ProviderError({ kind: 'rate_limited', status: 429, message: 'Slow down', retryable: true });
    expect(encoder.push({ type: 'error', error })).toEqual([{ type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } }]);
  });

  it('round-trips a recorded Anthropic stream', () => {
    const decoder = new AnthropicStreamDecoder();
    const encoder = new AnthropicStreamEncoder({ requestedModel: 'claude-sonnet-4-5-20250929' });
    const input = recorded('stream-tool-use.json');
    const out = input.flatMap((e) => decoder.push(e)).flatMap((e) => encoder.push(e));
    const json = (events: AnthropicStreamEvent[]): string =>
      events.map((e) => (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta' ? e.delta.partial_json : '')).join('');
    expect(json(out)).toBe(json(input));
    const meaningful = input.filter(
      (e) => !(e.type === 'content_block_delta' && e.delta.type === 'input_json_delta' && e.delta.partial_json === ''),
    );
    expect(out.map((e) => e.type)).toEqual(meaningful.map((e) => e.type));
  });
});
