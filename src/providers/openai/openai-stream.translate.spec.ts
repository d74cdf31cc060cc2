import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalStreamEvent } from '../canonical/chat';
import { encodeSseEvent, createSseDecoder } from '../canonical/sse';
import { ProviderError } from '../canonical/provider-error';
import { InvalidProviderResponse } from '../canonical/translation.errors';
import { OpenAiStreamDecoder, OpenAiStreamEncoder, parseOpenAiStreamData } from './openai-stream.translate';
import type { OpenAiChatChunk } from './openai.wire';

const fixtureChunks = (path: string): unknown[] => JSON.parse(readFileSync(join(__dirname, '..', path), 'utf8')) as unknown[];

/** Feeds a recorded stream through SSE bytes, as it arrives from the provider, in awkward 7-byte pieces. */
function decodeRecorded(path: string): CanonicalStreamEvent[] {
  const sse = fixtureChunks(path).map((c) => encodeSseEvent(undefined, JSON.stringify(c))).join('') + encodeSseEvent(undefined, '[DONE]');
  const decoder = new OpenAiStreamDecoder();
  const events: CanonicalStreamEvent[] = [];
  const sseDecoder = createSseDecoder(({ data }) => {
    const parsed = parseOpenAiStreamData(data);
    if (parsed.kind === 'chunk') events.push(...decoder.push(parsed.chunk));
    if (parsed.kind === 'done') events.push(...decoder.finish());
  });
  const bytes = new TextEncoder().encode(sse);
  for (let i = 0; i < bytes.length; i += 7) sseDecoder.push(bytes.subarray(i, i + 7));
  sseDecoder.end();
  return events;
}

function chunkOf(value: unknown): OpenAiChatChunk {
  const parsed = parseOpenAiStreamData(JSON.stringify(value));
  if (parsed.kind !== 'chunk') throw new Error('not a chunk');
  return parsed.chunk;
}

describe('OpenAiStreamDecoder', () => {
  it('decodes a text stream with final usage', () => {
    expect(decodeRecorded('openai/fixtures/stream-text.json')).toEqual<CanonicalStreamEvent[]>([
      { type: 'message_start', id: 'chatcmpl-C3rT0wqX6G2uLk8nYp2QhTaE4Zm9s', model: 'gpt-4o-2024-08-06' },
      { type: 'text_delta', index: 0, text: 'Hello' },
      { type: 'text_delta', index: 0, text: ' there' },
      { type: 'text_delta', index: 0, text: '!' },
      { type: 'content_block_stop', index: 0 },
      { type: 'usage', usage: { inputTokens: 19, outputTokens: 4, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } },
      { type: 'message_stop', stopReason: 'end_turn' },
    ]);
  });

  it('decodes streamed tool-call argument deltas as sequential blocks', () => {
    expect(decodeRecorded('openai/fixtures/stream-tool-calls.json')).toEqual<CanonicalStreamEvent[]>([
      { type: 'message_start', id: 'chatcmpl-C3rT0wqX6G2uLk8nYp2QhTaE4Zm9s', model: 'gpt-4o-2024-08-06' },
      { type: 'tool_call_start', index: 0, id: 'call_RnGxkJd1pQ1Kt0cI1uNeyeEm', name: 'get_weather' },
      { type: 'tool_call_delta', index: 0, argumentsJson: '{"lo' },
      { type: 'tool_call_delta', index: 0, argumentsJson: 'cation":"Par' },
      { type: 'tool_call_delta', index: 0, argumentsJson: 'is, France"}' },
      { type: 'content_block_stop', index: 0 },
      { type: 'tool_call_start', index: 1, id: 'call_8sQ9dXfJ2mA1bVn3kL7pZrTy', name: 'get_time' },
      { type: 'tool_call_delta', index: 1, argumentsJson: '{"timezone":' },
      { type: 'tool_call_delta', index: 1, argumentsJson: '"Europe/Paris"}' },
      { type: 'content_block_stop', index: 1 },
      { type: 'usage', usage: { inputTokens: 82, outputTokens: 51, cachedInputTokens: 64, cacheWriteTokens: 0, reasoningTokens: 0 } },
      { type: 'message_stop', stopReason: 'tool_use' },
    ]);
  });

  it('reads Groq usage from x_groq on the last chunk', () => {
    const events = decodeRecorded('groq/fixtures/stream-x-groq-usage.json');
    expect(events.filter((e) => e.type === 'usage')).toEqual([
      { type: 'usage', usage: { inputTokens: 41, outputTokens: 3, cachedInputTokens: 0, cacheWriteTokens: 0 } },
    ]);
  });

  it('reads Moonshot usage from the last choice, and reasoning_content as thinking', () => {
    const decoder = new OpenAiStreamDecoder();
    const base = { id: 'cmpl-1', object: 'chat.completion.chunk', created: 1, model: 'kimi-k2-thinking' };
    const events = [
      ...decoder.push(chunkOf({ ...base, choices: [{ index: 0, delta: { role: 'assistant', reasoning_content: 'Think.' }, finish_reason: null }] })),
      ...decoder.push(chunkOf({ ...base, choices: [{ index: 0, delta: { content: 'Answer.' }, finish_reason: null }] })),
      ...decoder.push(
        chunkOf({
          ...base,
          choices: [{ index: 0, delta: {}, finish_reason: 'stop', usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, cached_tokens: 8 } }],
        }),
      ),
      ...decoder.finish(),
    ];
    expect(events).toEqual<CanonicalStreamEvent[]>([
      { type: 'message_start', id: 'cmpl-1', model: 'kimi-k2-thinking' },
      { type: 'thinking_delta', index: 0, text: 'Think.' },
      { type: 'content_block_stop', index: 0 },
      { type: 'text_delta', index: 1, text: 'Answer.' },
      { type: 'content_block_stop', index: 1 },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 8, cacheWriteTokens: 0 } },
      { type: 'message_stop', stopReason: 'end_turn' },
    ]);
  });

  it('turns an error sent inside the stream into an error event', () => {
    const parsed = parseOpenAiStreamData('{"error":{"message":"The server had an error processing your request.","type":"server_error","param":null,"code":null}}');
    expect(parsed.kind).toBe('error');
    const decoder = new OpenAiStreamDecoder();
    const events = parsed.kind === 'error' ? decoder.pushError(parsed.body) : [];
    expect(events).toHaveLength(1);
    const error = events[0].type === 'error' ? events[0].error : undefined;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'upstream', status: 500, retryable: true, providerCode: 'server_error' });
    expect(decoder.finish()).toEqual([]);
  });

  it('refuses a chunk that is not a chat.completion.chunk', () => {
    expect(() => parseOpenAiStreamData('{"choices":[{"delta":"x"}]}')).toThrow(InvalidProviderResponse);
    expect(() => parseOpenAiStreamData('not json')).toThrow(InvalidProviderResponse);
  });

  it('refuses argument deltas for a tool call after another block started', () => {
    const decoder = new OpenAiStreamDecoder();
    const base = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm' };
    const call = (index: number, extra: object): OpenAiChatChunk =>
      chunkOf({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, ...extra }] }, finish_reason: null }] });
    decoder.push(call(0, { id: 'a', function: { name: 'f', arguments: '{' } }));
    decoder.push(call(1, { id: 'b', function: { name: 'g', arguments: '{}' } }));
    expect(() => decoder.push(call(0, { function: { arguments: '}' } }))).toThrow(InvalidProviderResponse);
  });
});

describe('OpenAiStreamEncoder', () => {
  const events: CanonicalStreamEvent[] = [
    { type: 'message_start', id: 'msg_01', model: 'claude-sonnet-4-5-20250929' },
    { type: 'usage', usage: { inputTokens: 472, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0 } },
    { type: 'text_delta', index: 0, text: 'Checking.' },
    { type: 'content_block_stop', index: 0 },
    { type: 'tool_call_start', index: 1, id: 'toolu_01', name: 'get_weather' },
    { type: 'tool_call_delta', index: 1, argumentsJson: '{"location":' },
    { type: 'tool_call_delta', index: 1, argumentsJson: ' "Paris"}' },
    { type: 'content_block_stop', index: 1 },
    { type: 'usage', usage: { outputTokens: 89 } },
    { type: 'message_stop', stopReason: 'tool_use' },
  ];

  it('writes chat.completion.chunk objects with tool-call deltas, finish reason and final usage', () => {
    const encoder = new OpenAiStreamEncoder({ requestedModel: 'anthropic/claude-sonnet-4-5', includeUsage: true, created: 1700000000 });
    const out = events.flatMap((e) => encoder.push(e));
    const base = { id: 'msg_01', object: 'chat.completion.chunk', created: 1700000000, model: 'anthropic/claude-sonnet-4-5' };
    const choice = (delta: object, finish_reason: string | null = null): object => ({ ...base, choices: [{ index: 0, delta, finish_reason, logprobs: null }], usage: null });
    expect(out).toEqual([
      choice({ role: 'assistant', content: '' }),
      choice({ content: 'Checking.' }),
      choice({ tool_calls: [{ index: 0, id: 'toolu_01', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      choice({ tool_calls: [{ index: 0, function: { arguments: '{"location":' } }] }),
      choice({ tool_calls: [{ index: 0, function: { arguments: ' "Paris"}' } }] }),
      choice({}, 'tool_calls'),
      {
        ...base,
        choices: [],
        usage: {
          prompt_tokens: 472,
          completion_tokens: 89,
          total_tokens: 561,
          prompt_tokens_details: { cached_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 0 },
        },
      },
    ]);
  });

  it('leaves usage out when the caller did not ask for it', () => {
    const encoder = new OpenAiStreamEncoder({ requestedModel: 'm', includeUsage: false });
    const out = events.flatMap((e) => encoder.push(e));
    expect(out.every((c) => !('usage' in c))).toBe(true);
    expect(out.at(-1)).toMatchObject({ choices: [{ finish_reason: 'tool_calls' }] });
  });

  it('writes thinking as reasoning_content and errors as OpenAI error objects', () => {
    const encoder = new OpenAiStreamEncoder({ requestedModel: 'm', includeUsage: false });
    expect(encoder.push({ type: 'thinking_delta', index: 0, text: 'Hmm' })).toMatchObject([{ choices: [{ delta: { reasoning_content: 'Hmm' } }] }]);
    const error = new ProviderError({ kind: 'unavailable', status: 529, message: 'Overloaded', retryable: true, providerCode: 'overloaded_error' });
    expect(encoder.push({ type: 'error', error })).toEqual([
      { error: { message: 'Overloaded', type: 'service_unavailable_error', param: null, code: 'overloaded_error' } },
    ]);
  });

  it('round-trips a recorded OpenAI stream', () => {
    const recorded = fixtureChunks('openai/fixtures/stream-tool-calls.json').map(chunkOf);
    const encoder = new OpenAiStreamEncoder({ requestedModel: 'gpt-4o-2024-08-06', includeUsage: true, created: recorded[0].created });
    const decoder = new OpenAiStreamDecoder();
    const out = [...recorded.flatMap((c) => decoder.push(c)), ...decoder.finish()].flatMap((e) => encoder.push(e));
    const args = (chunks: unknown[], index: number): string =>
      chunks
        .map(chunkOf)
        .flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? []))
        .filter((t) => t.index === index)
        .map((t) => t.function?.arguments ?? '')
        .join('');
    expect(args(out, 0)).toBe(args(recorded, 0));
    expect(args(out, 1)).toBe(args(recorded, 1));
    expect(out.at(-1)).toEqual(expect.objectContaining({ usage: expect.objectContaining({ prompt_tokens: 82, completion_tokens: 51 }) }));
  });
});
