import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalChatResponse } from '../canonical/chat';
import { InvalidProviderResponse, UnsupportedParameter } from '../canonical/translation.errors';
import { anthropicRequestToCanonical } from '../anthropic/anthropic.translate';
import { groqProfile } from '../groq/groq.profile';
import { mistralProfile } from '../mistral/mistral.profile';
import { openAiProfile } from './openai.profile';
import {
  canonicalToOpenAiRequest,
  canonicalToOpenAiResponse,
  effortForBudget,
  openAiRequestToCanonical,
  openAiResponseToCanonical,
  openAiUsageToCanonical,
} from './openai.translate';
import type { OpenAiChatRequest } from './openai.wire';

const fixture = (path: string): unknown => JSON.parse(readFileSync(join(__dirname, '..', path), 'utf8')) as unknown;

function rejection(run: () => unknown): UnsupportedParameter {
  try {
    run();
  } catch (error) {
    if (error instanceof UnsupportedParameter) return error;
    throw error;
  }
  throw new Error('expected UnsupportedParameter');
}

const user = (content: OpenAiChatRequest['messages'][number]): OpenAiChatRequest => ({ model: 'claude-sonnet-4-5', messages: [content] });

describe('openAiRequestToCanonical', () => {
  it('collects system and developer messages into the system prompt', () => {
    const req = openAiRequestToCanonical({
      model: 'claude-sonnet-4-5',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
      ],
    });
    expect(req.system).toEqual([
      { type: 'text', text: 'You are terse.' },
      { type: 'text', text: 'Answer in French.' },
    ]);
    expect(req.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
  });

  it('reads sampling parameters and the output cap', () => {
    const req = openAiRequestToCanonical({
      model: 'm',
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 100,
      max_completion_tokens: 200,
      temperature: 0.2,
      top_p: 0.9,
      stop: 'END',
      seed: 7,
      presence_penalty: 0,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(req).toMatchObject({ maxTokens: 200, temperature: 0.2, topP: 0.9, stop: ['END'], seed: 7, presencePenalty: 0, stream: true, includeUsage: true });
    expect(req.source.fieldNames.maxTokens).toBe('max_completion_tokens');
  });

  it('turns tool calls and tool messages into tool_use and tool_result parts', () => {
    const req = openAiRequestToCanonical({
      model: 'm',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
      ],
    });
    expect(req.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }] },
      {
        role: 'user',
        content: [{ type: 'tool_result', toolUseId: 'call_1', content: [{ type: 'text', text: '18°C' }], isError: false, path: 'messages[2]' }],
      },
    ]);
  });

  it('reads images from data: URIs and URLs, and PDFs from file_data', () => {
    const req = openAiRequestToCanonical(
      user({
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          { type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0x' } },
        ],
      }),
    );
    expect(req.messages[0].content).toEqual([
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' }, path: 'messages[0].content[0]' },
      { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' }, path: 'messages[0].content[1]' },
      { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0x' }, filename: 'a.pdf', path: 'messages[0].content[2]' },
    ]);
    expect(req.source.dropped).toEqual(['messages[].content[].image_url.detail']);
  });

  it('maps tools, tool choice, response format and reasoning effort', () => {
    const req = openAiRequestToCanonical({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ type: 'function', function: { name: 'f', description: 'does f', parameters: { type: 'object', properties: { a: { type: 'string' } } }, strict: true } }],
      tool_choice: { type: 'function', function: { name: 'f' } },
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } },
      reasoning_effort: 'high',
    });
    expect(req.tools).toEqual([{ name: 'f', description: 'does f', inputSchema: { type: 'object', properties: { a: { type: 'string' } } }, strict: true }]);
    expect(req.toolChoice).toEqual({ type: 'tool', name: 'f' });
    expect(req.parallelToolCalls).toBe(false);
    expect(req.responseFormat).toEqual({ type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true });
    expect(req.reasoning).toEqual({ mode: 'enabled', effort: 'high' });
    expect(openAiRequestToCanonical({ model: 'm', messages: [], reasoning_effort: 'none' }).reasoning).toEqual({ mode: 'disabled' });
  });

  it('drops OpenAI platform fields by rule and lists them', () => {
    const req = openAiRequestToCanonical({
      model: 'm',
      messages: [{ role: 'user', content: 'x', name: 'ann' }],
      store: true,
      metadata: { a: 'b' },
      service_tier: 'flex',
      prompt_cache_key: 'k',
      user: 'u-1',
      safety_identifier: 's-1',
      n: 1,
      logprobs: false,
    });
    expect(req.user).toBe('u-1');
    expect(req.source.dropped.sort()).toEqual(
      ['logprobs', 'messages[].name', 'metadata', 'n', 'prompt_cache_key', 'safety_identifier', 'service_tier', 'store'].sort(),
    );
  });

  it('uses safety_identifier as the end-user id when user is absent', () => {
    const req = openAiRequestToCanonical({ model: 'm', messages: [], safety_identifier: 's-1' });
    expect(req.user).toBe('s-1');
    expect(req.source.fieldNames.user).toBe('safety_identifier');
  });

  it('rejects, by name, parameters the canonical model cannot carry', () => {
    const error = rejection(() =>
      openAiRequestToCanonical({
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        n: 2,
        logprobs: true,
        top_logprobs: 3,
        audio: { format: 'wav', voice: 'alloy' },
        modalities: ['text', 'audio'],
        prediction: { type: 'content', content: 'x' },
      }),
    );
    expect(error.errors.map((e) => e.field).sort()).toEqual(['audio', 'logprobs', 'modalities', 'n', 'prediction', 'top_logprobs']);
    expect(error.errors.find((e) => e.field === 'n')?.message).toBe(
      'not supported when the request is translated to another provider: only one choice can be generated',
    );
  });

  it.each<[string, OpenAiChatRequest, string]>([
    ['audio input', user({ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAA', format: 'wav' } }] }), 'messages[0].content[0]'],
    ['an OpenAI file id', user({ role: 'user', content: [{ type: 'file', file: { file_id: 'file-abc' } }] }), 'messages[0].content[0].file'],
    ['a deprecated function message', user({ role: 'function', name: 'f', content: 'x' }), 'messages[0].role'],
    [
      'tool-call arguments that are not a JSON object',
      user({ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":' } }] }),
      'messages[0].tool_calls[0].function.arguments',
    ],
    [
      'a custom tool',
      { model: 'm', messages: [], tools: [{ type: 'custom', custom: { name: 'grammar' } }] },
      'tools[0].type',
    ],
    [
      'an allowed_tools choice',
      { model: 'm', messages: [], tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [] } } },
      'tool_choice',
    ],
  ])('rejects %s', (_what, body, field) => {
    expect(rejection(() => openAiRequestToCanonical(body)).errors.map((e) => e.field)).toEqual([field]);
  });
});

describe('canonicalToOpenAiRequest', () => {
  const fromAnthropic = anthropicRequestToCanonical({
    model: 'gpt-4o',
    max_tokens: 300,
    system: 'Be brief.',
    messages: [{ role: 'user', content: 'Hi' }],
    top_k: 40,
    stream: true,
    metadata: { user_id: 'u-9' },
  });

  it('names a parameter the provider refuses in the caller\'s own terms', () => {
    const error = rejection(() => canonicalToOpenAiRequest(fromAnthropic, groqProfile));
    expect(error.errors.map((e) => e.field)).toEqual(['top_k']);
  });

  it('renames the output cap for the provider and reports drops in the caller\'s terms', () => {
    const { topK: _ignored, ...withoutTopK } = fromAnthropic;
    const openAi = canonicalToOpenAiRequest(withoutTopK, openAiProfile);
    expect(openAi.body).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      max_completion_tokens: 300,
      user: 'u-9',
      stream: true,
      stream_options: { include_usage: true },
    });
    const mistral = canonicalToOpenAiRequest(withoutTopK, mistralProfile);
    expect(mistral.body.max_tokens).toBe(300);
    expect(mistral.body.stream_options).toBeUndefined();
    expect(mistral.dropped.sort()).toEqual(['metadata.user_id']);
  });

  it('maps a thinking budget to a reasoning effort', () => {
    expect([1024, 4096, 16384].map(effortForBudget)).toEqual(['low', 'medium', 'high']);
  });
});

describe('openAiResponseToCanonical', () => {
  it('reads text, finish reason and usage with cached prompt tokens', () => {
    const res = openAiResponseToCanonical(fixture('openai/fixtures/chat-completion.json'));
    expect(res).toEqual<CanonicalChatResponse>({
      id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
      model: 'gpt-4.1-2025-04-14',
      content: [{ type: 'text', text: 'Hello! How can I assist you today?' }],
      stopReason: 'end_turn',
      usage: { inputTokens: 1117, outputTokens: 10, cachedInputTokens: 1024, cacheWriteTokens: 0, reasoningTokens: 0 },
    });
  });

  it('reads tool calls with parsed arguments', () => {
    const res = openAiResponseToCanonical(fixture('openai/fixtures/chat-completion-tool-calls.json'));
    expect(res.stopReason).toBe('tool_use');
    expect(res.content).toEqual([
      { type: 'tool_use', id: 'call_RnGxkJd1pQ1Kt0cI1uNeyeEm', name: 'get_weather', input: { location: 'Paris, France', unit: 'celsius' } },
      { type: 'tool_use', id: 'call_8sQ9dXfJ2mA1bVn3kL7pZrTy', name: 'get_time', input: { timezone: 'Europe/Paris' } },
    ]);
  });

  it('reads reasoning_content as thinking (DeepSeek reasoner)', () => {
    const res = openAiResponseToCanonical(fixture('deepseek/fixtures/chat-completion-reasoner.json'));
    expect(res.content).toEqual([
      { type: 'thinking', text: 'Compare 9.11 and 9.80: the tenths digit 1 < 8, so 9.11 < 9.8.' },
      { type: 'text', text: '9.11 is smaller than 9.8.' },
    ]);
    expect(res.usage.reasoningTokens).toBe(196);
  });

  it('fails on a body that is not a chat completion', () => {
    expect(() => openAiResponseToCanonical({ object: 'list', data: [] })).toThrow(InvalidProviderResponse);
    const bad = { id: 'x', choices: [{ message: { tool_calls: [{ id: 'c', function: { name: 'f', arguments: 'nope' } }] } }] };
    expect(() => openAiResponseToCanonical(bad)).toThrow(/tool_calls\[0\]\.function\.arguments/);
  });
});

describe('openAiUsageToCanonical', () => {
  it('reads DeepSeek cache hits and Moonshot cached tokens', () => {
    expect(openAiUsageToCanonical(fixture('deepseek/fixtures/usage-cache-hit.json'))).toEqual({
      inputTokens: 1200,
      outputTokens: 80,
      cachedInputTokens: 1024,
      cacheWriteTokens: 0,
    });
    expect(openAiUsageToCanonical({ prompt_tokens: 50, completion_tokens: 5, total_tokens: 55, cached_tokens: 32 }).cachedInputTokens).toBe(32);
    expect(openAiUsageToCanonical(undefined)).toEqual({ inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 });
  });
});

describe('canonicalToOpenAiResponse', () => {
  it('writes a chat completion with the requested model, tool calls, reasoning and usage', () => {
    const out = canonicalToOpenAiResponse(
      {
        id: 'msg_01',
        model: 'claude-sonnet-4-5-20250929',
        content: [
          { type: 'thinking', text: 'Let me look.', signature: 'sig' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } },
        ],
        stopReason: 'tool_use',
        usage: { inputTokens: 2009, outputTokens: 12, cachedInputTokens: 1800, cacheWriteTokens: 188 },
      },
      { requestedModel: 'anthropic/claude-sonnet-4-5', created: 1700000000 },
    );
    expect(out).toEqual({
      id: 'msg_01',
      object: 'chat.completion',
      created: 1700000000,
      model: 'anthropic/claude-sonnet-4-5',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Checking.',
            refusal: null,
            reasoning_content: 'Let me look.',
            tool_calls: [{ id: 'toolu_01', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
          },
          finish_reason: 'tool_calls',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 2009,
        completion_tokens: 12,
        total_tokens: 2021,
        prompt_tokens_details: { cached_tokens: 1800, cache_write_tokens: 188 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
  });

  it('maps stop reasons', () => {
    const base: CanonicalChatResponse = { id: 'x', model: 'm', content: [], stopReason: 'end_turn', usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 } };
    const finish = (stopReason: CanonicalChatResponse['stopReason']): unknown =>
      canonicalToOpenAiResponse({ ...base, stopReason }, { requestedModel: 'm' }).choices[0].finish_reason;
    expect(['end_turn', 'stop_sequence', 'max_tokens', 'tool_use', 'content_filter'].map((r) => finish(r as CanonicalChatResponse['stopReason']))).toEqual([
      'stop',
      'stop',
      'length',
      'tool_calls',
      'content_filter',
    ]);
  });
});
