import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertAnthropicMessagesRequest } from './anthropic/anthropic-request.guard';
import { AnthropicStreamDecoder, AnthropicStreamEncoder, parseAnthropicStreamEvent } from './anthropic/anthropic-stream.translate';
import { anthropicErrorToProviderError, providerErrorToAnthropicBody } from './anthropic/anthropic-error.translate';
import {
  anthropicRequestToCanonical,
  anthropicResponseToCanonical,
  canonicalToAnthropicRequest,
  canonicalToAnthropicResponse,
} from './anthropic/anthropic.translate';
import type { AnthropicMessagesRequest, AnthropicStreamEvent } from './anthropic/anthropic.wire';
import { isObject } from './canonical/json-guards';
import { UnsupportedParameter } from './canonical/translation.errors';
import { groqProfile } from './groq/groq.profile';
import { openAiErrorToProviderError, providerErrorToOpenAiBody } from './openai/openai-error.translate';
import { assertOpenAiChatRequest } from './openai/openai-request.guard';
import { OpenAiStreamDecoder, OpenAiStreamEncoder, parseOpenAiStreamData } from './openai/openai-stream.translate';
import { canonicalToOpenAiRequest, canonicalToOpenAiResponse, openAiRequestToCanonical, openAiResponseToCanonical } from './openai/openai.translate';
import { openAiProfile } from './openai/openai.profile';
import type { OpenAiChatChunk, OpenAiChatRequest } from './openai/openai.wire';

const fixture = (path: string): unknown => JSON.parse(readFileSync(join(__dirname, path), 'utf8')) as unknown;

function rejection(run: () => unknown): UnsupportedParameter {
  try {
    run();
  } catch (error) {
    if (error instanceof UnsupportedParameter) return error;
    throw error;
  }
  throw new Error('expected UnsupportedParameter');
}

/** An OpenAI caller talking to an Anthropic model: the body is checked, decoded, then encoded. */
function openAiToAnthropic(body: OpenAiChatRequest, modelMaxOutputTokens?: number): ReturnType<typeof canonicalToAnthropicRequest> {
  const parsed: unknown = JSON.parse(JSON.stringify(body));
  assertOpenAiChatRequest(parsed);
  return canonicalToAnthropicRequest(openAiRequestToCanonical(parsed), modelMaxOutputTokens === undefined ? {} : { modelMaxOutputTokens });
}

/** An Anthropic caller talking to an OpenAI-compatible model. */
function anthropicToOpenAi(body: AnthropicMessagesRequest): ReturnType<typeof canonicalToOpenAiRequest> {
  const parsed: unknown = JSON.parse(JSON.stringify(body));
  assertAnthropicMessagesRequest(parsed);
  return canonicalToOpenAiRequest(anthropicRequestToCanonical(parsed), openAiProfile);
}

describe('OpenAI request -> Anthropic request', () => {
  it('translates a multi-turn conversation with tools, tool calls, tool results and images', () => {
    const { body, dropped } = openAiToAnthropic({
      model: 'claude-sonnet-4-5',
      messages: [
        { role: 'system', content: 'You are a weather bot.' },
        { role: 'developer', content: 'Use metric units.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these pictures, and the weather in Paris and Rome?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } },
          ],
        },
        {
          role: 'assistant',
          content: '',
          tool_calls: [
            { id: 'call_paris', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_rome', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_paris', content: '18°C, cloudy' },
        { role: 'tool', tool_call_id: 'call_rome', content: [{ type: 'text', text: '24°C, sunny' }] },
        { role: 'user', content: 'Thanks! Which is warmer?' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Current weather in a city',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      max_completion_tokens: 512,
      temperature: 0.3,
      top_p: 0.95,
      stop: ['\n\nHuman:'],
      user: 'user-42',
    });

    expect(body).toEqual<AnthropicMessagesRequest>({
      model: 'claude-sonnet-4-5',
      max_tokens: 512,
      system: [
        { type: 'text', text: 'You are a weather bot.' },
        { type: 'text', text: 'Use metric units.' },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these pictures, and the weather in Paris and Rome?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'call_paris', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'call_rome', name: 'get_weather', input: { city: 'Rome' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_paris', content: '18°C, cloudy' },
            { type: 'tool_result', tool_use_id: 'call_rome', content: '24°C, sunny' },
            { type: 'text', text: 'Thanks! Which is warmer?' },
          ],
        },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather in a city',
          input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      ],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      temperature: 0.3,
      top_p: 0.95,
      stop_sequences: ['\n\nHuman:'],
      metadata: { user_id: 'user-42' },
    });
    expect(dropped).toEqual(['messages[].content[].image_url.detail']);
  });

  it('uses the model\'s max output, else 4096, when the caller sets no cap', () => {
    const body = { model: 'claude-haiku-4-5', messages: [{ role: 'user' as const, content: 'Hi' }] };
    expect(openAiToAnthropic(body, 64000).body.max_tokens).toBe(64000);
    expect(openAiToAnthropic(body).body.max_tokens).toBe(4096);
    expect(openAiToAnthropic({ ...body, max_tokens: 77 }).body.max_tokens).toBe(77);
  });

  it('turns reasoning_effort into a thinking budget that fits under max_tokens', () => {
    const base = { model: 'claude-sonnet-4-5', messages: [{ role: 'user' as const, content: 'Prove it.' }] };
    expect(openAiToAnthropic({ ...base, reasoning_effort: 'medium' }).body).toMatchObject({ max_tokens: 4096 + 8192, thinking: { type: 'enabled', budget_tokens: 8192 } });
    expect(openAiToAnthropic({ ...base, reasoning_effort: 'high', max_completion_tokens: 10000 }).body.thinking).toEqual({ type: 'enabled', budget_tokens: 8976 });
    expect(openAiToAnthropic({ ...base, reasoning_effort: 'none' }).body.thinking).toEqual({ type: 'disabled' });
    const tooSmall = rejection(() => openAiToAnthropic({ ...base, reasoning_effort: 'low', max_completion_tokens: 1500 }));
    expect(tooSmall.errors.map((e) => e.field)).toEqual(['reasoning_effort']);
  });

  it('sends a JSON-schema response format as structured output', () => {
    const { body, dropped } = openAiToAnthropic({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'Extract.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'person', description: 'A person', schema: { type: 'object', properties: { name: { type: 'string' } } }, strict: true } },
    });
    expect(body.output_config).toEqual({ format: { type: 'json_schema', schema: { type: 'object', properties: { name: { type: 'string' } } } } });
    expect(dropped).toEqual(['response_format.json_schema.description']);
  });

  it('drops the neutral values and seed it cannot send, and says so', () => {
    const { body, dropped } = openAiToAnthropic({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'Hi' }],
      seed: 42,
      frequency_penalty: 0,
      presence_penalty: 0,
      response_format: { type: 'text' },
      store: false,
    });
    expect(body).toEqual({ model: 'claude-sonnet-4-5', max_tokens: 4096, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] });
    expect(dropped.sort()).toEqual(['frequency_penalty', 'presence_penalty', 'response_format', 'seed', 'store']);
  });

  it('leaves out a tool choice that has no tools to choose from', () => {
    const { body, dropped } = openAiToAnthropic({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }], tool_choice: 'none' });
    expect(body.tool_choice).toBeUndefined();
    expect(dropped).toEqual(['tool_choice']);
  });

  it('rejects what Anthropic cannot honour, naming the OpenAI field', () => {
    const error = rejection(() =>
      openAiToAnthropic({
        model: 'claude-sonnet-4-5',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/bmp;base64,Qk0=' } }] }],
        temperature: 1.5,
        frequency_penalty: 0.5,
        response_format: { type: 'json_object' },
      }),
    );
    expect(error.errors.map((e) => e.field).sort()).toEqual(['frequency_penalty', 'response_format', 'temperature']);
    const image = rejection(() => openAiToAnthropic({ model: 'c', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/bmp;base64,Qk0=' } }] }] }));
    expect(image.errors).toEqual([{ field: 'messages[0].content[0]', message: 'Anthropic accepts JPEG, PNG, GIF and WebP images, not image/bmp' }]);
  });

  it('sends inline PDFs as documents and maps explicit cache breakpoints to cache_control', () => {
    const { body } = openAiToAnthropic({
      model: 'claude-sonnet-4-5',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'file', file: { filename: 'report.pdf', file_data: 'data:application/pdf;base64,JVBERi0x' } },
            { type: 'text', text: 'Summarize.', prompt_cache_breakpoint: { mode: 'explicit' } },
          ],
        },
      ],
    });
    expect(body.messages[0].content).toEqual([
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0x' } },
      { type: 'text', text: 'Summarize.', cache_control: { type: 'ephemeral' } },
    ]);
  });
});

describe('Anthropic request -> OpenAI request', () => {
  it('translates a multi-turn conversation with tools, tool use, tool results and images', () => {
    const { body, dropped } = anthropicToOpenAi({
      model: 'gpt-4o',
      max_tokens: 1024,
      system: [{ type: 'text', text: 'You are a weather bot.', cache_control: { type: 'ephemeral' } }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Paris? And what is this?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/tower.png' } },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0x' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Need the tool.', signature: 'EqQB' },
            { type: 'text', text: 'Let me check.' },
            { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_01', content: [{ type: 'text', text: '18°C' }], is_error: false },
            { type: 'text', text: 'Is that warm?' },
          ],
        },
      ],
      tools: [{ name: 'get_weather', description: 'Current weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      tool_choice: { type: 'tool', name: 'get_weather' },
      stop_sequences: ['END'],
      temperature: 0.7,
      top_p: 0.9,
      thinking: { type: 'enabled', budget_tokens: 8000 },
      metadata: { user_id: 'u-7' },
    });

    expect(body).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You are a weather bot.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Paris? And what is this?' },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
            { type: 'image_url', image_url: { url: 'https://example.com/tower.png' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0x' } },
          ],
        },
        {
          role: 'assistant',
          content: 'Let me check.',
          tool_calls: [{ id: 'toolu_01', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'toolu_01', content: '18°C' },
        { role: 'user', content: 'Is that warm?' },
      ],
      tools: [
        { type: 'function', function: { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      max_completion_tokens: 1024,
      temperature: 0.7,
      top_p: 0.9,
      stop: ['END'],
      reasoning_effort: 'medium',
      user: 'u-7',
    });
    expect(dropped.sort()).toEqual(['cache_control', 'thinking']);
  });

  it('names the Anthropic field when the OpenAI side cannot take it', () => {
    const withImageResult = rejection(() =>
      anthropicToOpenAi({
        model: 'gpt-4o',
        max_tokens: 10,
        messages: [
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'image', source: { type: 'url', url: 'https://x/y.png' } }] }],
          },
        ],
      }),
    );
    expect(withImageResult.errors).toEqual([{ field: 'messages[0].content[0]', message: 'Chat Completions tool messages carry text only, not images' }]);
    const topK = rejection(() =>
      canonicalToOpenAiRequest(anthropicRequestToCanonical({ model: 'llama', max_tokens: 10, messages: [], top_k: 5, stop_sequences: ['x'] }), groqProfile),
    );
    expect(topK.errors.map((e) => e.field)).toEqual(['top_k']);
  });

  it('reports an is_error tool result as dropped and keeps its text', () => {
    const { body, dropped } = anthropicToOpenAi({
      model: 'gpt-4o',
      max_tokens: 10,
      messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'boom', is_error: true }] }],
    });
    expect(body.messages).toEqual([{ role: 'tool', tool_call_id: 't', content: 'boom' }]);
    expect(dropped).toEqual(['is_error']);
  });

  it('maps any/none tool choice and disable_parallel_tool_use', () => {
    const tools = [{ name: 'f', input_schema: { type: 'object' as const } }];
    const any = anthropicToOpenAi({ model: 'gpt-4o', max_tokens: 5, messages: [], tools, tool_choice: { type: 'any', disable_parallel_tool_use: true } });
    expect(any.body).toMatchObject({ tool_choice: 'required', parallel_tool_calls: false });
    expect(anthropicToOpenAi({ model: 'gpt-4o', max_tokens: 5, messages: [], tools, tool_choice: { type: 'none' } }).body.tool_choice).toBe('none');
  });

  it('asks an OpenAI stream for usage, since Anthropic callers always get it', () => {
    const { body } = anthropicToOpenAi({ model: 'gpt-4o', max_tokens: 5, messages: [{ role: 'user', content: 'Hi' }], stream: true });
    expect(body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });
});

describe('responses across formats', () => {
  it('answers an Anthropic caller from an OpenAI tool-call response', () => {
    const res = canonicalToAnthropicResponse(openAiResponseToCanonical(fixture('openai/fixtures/chat-completion-tool-calls.json')), {
      requestedModel: 'openai/gpt-4o',
    });
    expect(res).toEqual({
      id: 'chatcmpl-C3rR5mrXbNRfJ9fu1bUUHcjGQzvDB',
      type: 'message',
      role: 'assistant',
      model: 'openai/gpt-4o',
      content: [
        { type: 'tool_use', id: 'call_RnGxkJd1pQ1Kt0cI1uNeyeEm', name: 'get_weather', input: { location: 'Paris, France', unit: 'celsius' } },
        { type: 'tool_use', id: 'call_8sQ9dXfJ2mA1bVn3kL7pZrTy', name: 'get_time', input: { timezone: 'Europe/Paris' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 82, output_tokens: 51, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    });
  });

  it('answers an OpenAI caller from an Anthropic tool_use response', () => {
    const res = canonicalToOpenAiResponse(anthropicResponseToCanonical(fixture('anthropic/fixtures/message-tool-use.json')), {
      requestedModel: 'anthropic/claude-sonnet-4-5',
      created: 1700000000,
    });
    expect(res.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: "I'll check the current weather in San Francisco for you.",
        refusal: null,
        tool_calls: [
          { id: 'toolu_01A09q90qw90lq917835lq9', type: 'function', function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' } },
        ],
      },
      finish_reason: 'tool_calls',
      logprobs: null,
    });
  });

  it('keeps cached-token accounting across formats', () => {
    const fromAnthropic = canonicalToOpenAiResponse(anthropicResponseToCanonical(fixture('anthropic/fixtures/message.json')), { requestedModel: 'm' });
    expect(fromAnthropic.usage).toMatchObject({ prompt_tokens: 2009, completion_tokens: 12, total_tokens: 2021, prompt_tokens_details: { cached_tokens: 1800, cache_write_tokens: 188 } });
    const fromOpenAi = canonicalToAnthropicResponse(openAiResponseToCanonical(fixture('openai/fixtures/chat-completion.json')), { requestedModel: 'm' });
    expect(fromOpenAi.usage).toEqual({ input_tokens: 93, output_tokens: 10, cache_read_input_tokens: 1024, cache_creation_input_tokens: 0 });
  });
});

describe('streams across formats', () => {
  const openAiChunks = (path: string): OpenAiChatChunk[] =>
    (fixture(path) as unknown[]).map((c) => {
      const parsed = parseOpenAiStreamData(JSON.stringify(c));
      if (parsed.kind !== 'chunk') throw new Error('not a chunk');
      return parsed.chunk;
    });

  it('streams an OpenAI tool-call stream to an Anthropic caller', () => {
    const decoder = new OpenAiStreamDecoder();
    const encoder = new AnthropicStreamEncoder({ requestedModel: 'openai/gpt-4o' });
    const canonical = [...openAiChunks('openai/fixtures/stream-tool-calls.json').flatMap((c) => decoder.push(c)), ...decoder.finish()];
    const events = canonical.flatMap((e) => encoder.push(e));

    expect(events.map((e) => (e.type === 'content_block_delta' ? `delta:${e.index}` : e.type === 'content_block_start' || e.type === 'content_block_stop' ? `${e.type}:${e.index}` : e.type))).toEqual([
      'message_start',
      'content_block_start:0',
      'delta:0',
      'delta:0',
      'delta:0',
      'content_block_stop:0',
      'content_block_start:1',
      'delta:1',
      'delta:1',
      'content_block_stop:1',
      'message_delta',
      'message_stop',
    ]);
    expect(accumulateAnthropic(events)).toEqual({
      content: [
        { type: 'tool_use', id: 'call_RnGxkJd1pQ1Kt0cI1uNeyeEm', name: 'get_weather', input: { location: 'Paris, France' } },
        { type: 'tool_use', id: 'call_8sQ9dXfJ2mA1bVn3kL7pZrTy', name: 'get_time', input: { timezone: 'Europe/Paris' } },
      ],
      stopReason: 'tool_use',
      usage: { output_tokens: 51, input_tokens: 18, cache_read_input_tokens: 64, cache_creation_input_tokens: 0 },
    });
  });

  it('streams an Anthropic tool-use stream to an OpenAI caller, with final usage', () => {
    const decoder = new AnthropicStreamDecoder();
    const encoder = new OpenAiStreamEncoder({ requestedModel: 'anthropic/claude-sonnet-4-5', includeUsage: true, created: 1 });
    const input = (fixture('anthropic/fixtures/stream-tool-use.json') as unknown[]).map((e) => parseAnthropicStreamEvent(JSON.stringify(e)));
    const chunks = input.flatMap((e) => decoder.push(e)).flatMap((e) => encoder.push(e));

    const text = chunks.flatMap((c) => ('choices' in c ? c.choices.map((ch) => ch.delta.content ?? '') : [])).join('');
    expect(text).toBe("Okay, let's check the weather for San Francisco, CA:");
    const calls = chunks.flatMap((c) => ('choices' in c ? c.choices.flatMap((ch) => ch.delta.tool_calls ?? []) : []));
    expect(calls[0]).toEqual({ index: 0, id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(JSON.parse(calls.map((c) => c.function?.arguments ?? '').join(''))).toEqual({ location: 'San Francisco, CA' });
    const finish = chunks.flatMap((c) => ('choices' in c ? c.choices.map((ch) => ch.finish_reason) : [])).filter((r) => r !== null);
    expect(finish).toEqual(['tool_calls']);
    expect(chunks.at(-1)).toEqual({
      id: 'msg_01Eh3nVhh9v4z3mkUPpA1M5o',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'anthropic/claude-sonnet-4-5',
      choices: [],
      usage: { prompt_tokens: 472, completion_tokens: 89, total_tokens: 561, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
    });
  });

  it('passes an Anthropic overload mid-stream to an OpenAI caller as an error object', () => {
    const decoder = new AnthropicStreamDecoder();
    const encoder = new OpenAiStreamEncoder({ requestedModel: 'm', includeUsage: false });
    const input = (fixture('anthropic/fixtures/stream-overloaded.json') as unknown[]).map((e) => parseAnthropicStreamEvent(JSON.stringify(e)));
    const out = input.flatMap((e) => decoder.push(e)).flatMap((e) => encoder.push(e));
    expect(out.at(-1)).toEqual({ error: { message: 'Overloaded', type: 'service_unavailable_error', param: null, code: 'overloaded_error' } });
  });
});

describe('errors across formats', () => {
  const recorded = (path: string): { status: number; headers: Record<string, string>; body: unknown } => {
    const json = fixture(path);
    if (!isObject(json) || typeof json.status !== 'number' || !isObject(json.headers)) throw new Error('bad fixture');
    return { status: json.status, headers: json.headers as Record<string, string>, body: json.body };
  };

  it('answers an Anthropic caller with a redacted OpenAI authentication error', () => {
    const { status, headers, body } = recorded('openai/fixtures/error-401-invalid-api-key.json');
    const error = openAiErrorToProviderError(status, body, headers);
    expect(providerErrorToAnthropicBody(error)).toEqual({
      type: 'error',
      error: {
        type: 'authentication_error',
        message: 'Incorrect API key provided: [REDACTED]. You can find your API key at https://platform.openai.com/account/api-keys.',
      },
    });
    expect(JSON.stringify(providerErrorToAnthropicBody(error))).not.toMatch(/sk-|Ab9z/);
  });

  it('answers an OpenAI caller with an Anthropic overload, still retryable for the router', () => {
    const { status, headers, body } = recorded('anthropic/fixtures/error-529-overloaded.json');
    const error = anthropicErrorToProviderError(status, body, headers);
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(529);
    expect(providerErrorToOpenAiBody(error)).toEqual({ error: { message: 'Overloaded', type: 'service_unavailable_error', param: null, code: 'overloaded_error' } });
  });
});

interface AccumulatedAnthropic {
  content: Array<{ type: string; id?: string; name?: string; text?: string; input?: unknown }>;
  stopReason: string | null;
  usage: unknown;
}

/** What an Anthropic SDK client builds from the events: blocks with their text and parsed input. */
function accumulateAnthropic(events: AnthropicStreamEvent[]): AccumulatedAnthropic {
  const content: AccumulatedAnthropic['content'] = [];
  const json = new Map<number, string>();
  let stopReason: string | null = null;
  let usage: unknown;
  for (const event of events) {
    if (event.type === 'content_block_start') {
      const block = event.content_block;
      content[event.index] = block.type === 'tool_use' ? { type: 'tool_use', id: block.id, name: block.name } : { type: block.type, text: '' };
    }
    if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') json.set(event.index, (json.get(event.index) ?? '') + event.delta.partial_json);
    if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') content[event.index].text += event.delta.text;
    if (event.type === 'content_block_stop' && json.has(event.index)) content[event.index].input = JSON.parse(json.get(event.index) ?? '{}') as unknown;
    if (event.type === 'message_delta') {
      stopReason = event.delta.stop_reason;
      usage = event.usage;
    }
  }
  return { content, stopReason, usage };
}
