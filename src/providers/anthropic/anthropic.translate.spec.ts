import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalChatResponse } from '../canonical/chat';
import { InvalidProviderResponse, UnsupportedParameter } from '../canonical/translation.errors';
import {
  anthropicRequestToCanonical,
  anthropicResponseToCanonical,
  anthropicToolId,
  anthropicUsageToCanonical,
  canonicalToAnthropicResponse,
} from './anthropic.translate';
import type { AnthropicMessagesRequest } from './anthropic.wire';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as unknown;

function rejection(run: () => unknown): UnsupportedParameter {
  try {
    run();
  } catch (error) {
    if (error instanceof UnsupportedParameter) return error;
    throw error;
  }
  throw new Error('expected UnsupportedParameter');
}

const base: AnthropicMessagesRequest = { model: 'gpt-4o', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] };

describe('anthropicRequestToCanonical', () => {
  it('reads system blocks, turns, sampling and metadata', () => {
    const req = anthropicRequestToCanonical({
      ...base,
      system: [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
      temperature: 0.5,
      top_p: 0.9,
      top_k: 20,
      stop_sequences: ['END'],
      metadata: { user_id: 'u-1' },
      stream: true,
    });
    expect(req).toMatchObject({
      model: 'gpt-4o',
      system: [{ type: 'text', text: 'You are terse.', cacheControl: { ttl: '1h' } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      maxTokens: 1024,
      temperature: 0.5,
      topP: 0.9,
      topK: 20,
      stop: ['END'],
      user: 'u-1',
      stream: true,
      includeUsage: true,
    });
    expect(req.source.format).toBe('anthropic');
  });

  it('reads tool use, tool results (with errors and images) and tool definitions', () => {
    const req = anthropicRequestToCanonical({
      ...base,
      tools: [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              is_error: true,
              content: [
                { type: 'text', text: 'timeout' },
                { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAA' } },
              ],
            },
          ],
        },
      ],
    });
    expect(req.tools).toEqual([{ name: 'get_weather', description: 'Weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }]);
    expect(req.toolChoice).toEqual({ type: 'required' });
    expect(req.parallelToolCalls).toBe(false);
    expect(req.messages[2].content[0]).toEqual({
      type: 'tool_result',
      toolUseId: 'toolu_1',
      isError: true,
      path: 'messages[2].content[0]',
      content: [
        { type: 'text', text: 'timeout' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAA' }, path: 'messages[2].content[0].content[1]' },
      ],
    });
  });

  it('maps thinking settings to reasoning', () => {
    expect(anthropicRequestToCanonical({ ...base, thinking: { type: 'enabled', budget_tokens: 2048 } }).reasoning).toEqual({ mode: 'enabled', budgetTokens: 2048 });
    expect(anthropicRequestToCanonical({ ...base, thinking: { type: 'disabled' } }).reasoning).toEqual({ mode: 'disabled' });
    expect(anthropicRequestToCanonical({ ...base, thinking: { type: 'adaptive' }, output_config: { effort: 'high' } }).reasoning).toEqual({ mode: 'enabled', effort: 'high' });
    expect(anthropicRequestToCanonical({ ...base, output_config: { effort: 'low' } }).source.fieldNames.reasoning).toBe('output_config.effort');
  });

  it('maps a structured-output schema to a strict JSON-schema response format', () => {
    const req = anthropicRequestToCanonical({ ...base, output_config: { format: { type: 'json_schema', schema: { type: 'object' } } } });
    expect(req.responseFormat).toEqual({ type: 'json_schema', name: 'response', schema: { type: 'object' }, strict: true });
  });

  it('drops Anthropic-only hints by rule and lists them', () => {
    const req = anthropicRequestToCanonical({
      ...base,
      service_tier: 'auto',
      speed: 'fast',
      cache_control: { type: 'ephemeral' },
      thinking: { type: 'adaptive', display: 'summarized' },
      messages: [
        { role: 'user', content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Notes' }, title: 'notes.txt' }] },
        { role: 'assistant', content: [{ type: 'redacted_thinking', data: 'xyz' }, { type: 'text', text: 'ok' }] },
      ],
    });
    expect(req.source.dropped.sort()).toEqual(
      ['cache_control', 'messages[].content[] (redacted_thinking)', 'messages[].content[].title', 'service_tier', 'speed', 'thinking.display'].sort(),
    );
    expect(req.messages[0].content).toEqual([{ type: 'text', text: 'Notes' }]);
    expect(req.messages[1].content).toEqual([{ type: 'text', text: 'ok' }]);
  });

  it('rejects, by name, features that run on Anthropic\'s servers', () => {
    const error = rejection(() =>
      anthropicRequestToCanonical({
        ...base,
        container: 'container_1',
        mcp_servers: [{ type: 'url', url: 'https://mcp.example.com', name: 'x' }],
        inference_geo: 'us',
      }),
    );
    expect(error.errors.map((e) => e.field).sort()).toEqual(['container', 'inference_geo', 'mcp_servers']);
  });

  it.each<[string, AnthropicMessagesRequest, string]>([
    ['a server tool', { ...base, tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }] }, 'tools[0]'],
    ['a tool with input examples', { ...base, tools: [{ name: 'f', input_schema: { type: 'object' }, input_examples: [{}] }] }, 'tools[0].input_examples'],
    [
      'a Files API image',
      { ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'file_1' } }] }] },
      'messages[0].content[0].source',
    ],
    [
      'a search result block',
      { ...base, messages: [{ role: 'user', content: [{ type: 'search_result', source: 'https://x', title: 't', content: [] }] }] },
      'messages[0].content[0]',
    ],
    [
      'server tool blocks in history',
      { ...base, messages: [{ role: 'assistant', content: [{ type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }] }] },
      'messages[0].content[0]',
    ],
  ])('rejects %s', (_what, body, field) => {
    expect(rejection(() => anthropicRequestToCanonical(body)).errors.map((e) => e.field)).toEqual([field]);
  });
});

describe('anthropicResponseToCanonical', () => {
  it('counts cache reads and writes as input tokens', () => {
    const res = anthropicResponseToCanonical(fixture('message.json'));
    expect(res).toEqual<CanonicalChatResponse>({
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'Hi! My name is Claude.' }],
      stopReason: 'end_turn',
      usage: { inputTokens: 21 + 188 + 1800, outputTokens: 12, cachedInputTokens: 1800, cacheWriteTokens: 188 },
    });
  });

  it('reads tool use', () => {
    const res = anthropicResponseToCanonical(fixture('message-tool-use.json'));
    expect(res.stopReason).toBe('tool_use');
    expect(res.content).toEqual([
      { type: 'text', text: "I'll check the current weather in San Francisco for you." },
      { type: 'tool_use', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', input: { location: 'San Francisco, CA', unit: 'celsius' } },
    ]);
  });

  it('keeps thinking with its signature and leaves redacted thinking out', () => {
    const res = anthropicResponseToCanonical(fixture('message-thinking.json'));
    expect(res.content.map((p) => p.type)).toEqual(['thinking', 'text']);
  });

  it('maps stop reasons, including refusal and context-window exhaustion', () => {
    const stop = (stop_reason: string): string => anthropicResponseToCanonical({ content: [], stop_reason, usage: {} }).stopReason;
    expect(['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'refusal', 'pause_turn', 'model_context_window_exceeded'].map(stop)).toEqual([
      'end_turn',
      'max_tokens',
      'stop_sequence',
      'tool_use',
      'content_filter',
      'end_turn',
      'max_tokens',
    ]);
  });

  it('fails on a body that is not a message', () => {
    expect(() => anthropicResponseToCanonical({ type: 'error' })).toThrow(InvalidProviderResponse);
    expect(() => anthropicResponseToCanonical({ content: [{ type: 'tool_use', name: 'f' }] })).toThrow(InvalidProviderResponse);
  });
});

describe('canonicalToAnthropicResponse', () => {
  it('writes a message with the requested model, split usage and a safe tool id', () => {
    const out = canonicalToAnthropicResponse(
      {
        id: 'chatcmpl-1',
        model: 'kimi-k2',
        content: [
          { type: 'thinking', text: 'Hmm.' },
          { type: 'text', text: 'Calling.' },
          { type: 'tool_use', id: 'functions.get_weather:0', name: 'get_weather', input: { city: 'Paris' } },
        ],
        stopReason: 'tool_use',
        usage: { inputTokens: 1200, outputTokens: 80, cachedInputTokens: 1024, cacheWriteTokens: 0 },
      },
      { requestedModel: 'moonshot/kimi-k2' },
    );
    expect(out).toEqual({
      id: 'chatcmpl-1',
      type: 'message',
      role: 'assistant',
      model: 'moonshot/kimi-k2',
      content: [
        { type: 'thinking', thinking: 'Hmm.', signature: '' },
        { type: 'text', text: 'Calling.' },
        { type: 'tool_use', id: 'functions_get_weather_0', name: 'get_weather', input: { city: 'Paris' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 176, output_tokens: 80, cache_read_input_tokens: 1024, cache_creation_input_tokens: 0 },
    });
  });

  it('round-trips usage with Anthropic', () => {
    const usage = { input_tokens: 21, cache_creation_input_tokens: 188, cache_read_input_tokens: 1800, output_tokens: 12 };
    const res = canonicalToAnthropicResponse(anthropicResponseToCanonical({ content: [], usage }), { requestedModel: 'm' });
    expect(res.usage).toEqual(usage);
    expect(anthropicUsageToCanonical(usage).inputTokens).toBe(2009);
  });

  it('maps the content-filter stop reason to refusal', () => {
    const res = canonicalToAnthropicResponse(
      { id: 'x', model: 'm', content: [], stopReason: 'content_filter', usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 } },
      { requestedModel: 'm' },
    );
    expect(res.stop_reason).toBe('refusal');
  });
});

describe('anthropicToolId', () => {
  it('keeps valid ids and maps others consistently', () => {
    expect(anthropicToolId('call_RnGxkJd1pQ1Kt0cI1uNeyeEm')).toBe('call_RnGxkJd1pQ1Kt0cI1uNeyeEm');
    expect(anthropicToolId('functions.get_weather:0')).toBe(anthropicToolId('functions.get_weather:0'));
    expect(anthropicToolId('functions.get_weather:0')).toMatch(/^[a-zA-Z0-9_-]+$/);
  });
});
