import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { FakeProvider, openAiKeyEcho, startFakeAnthropic, startFakeOpenAI } from '../../support/fake-providers';
import { ANTHROPIC_MESSAGES, anthropicMessages, ConnectionWatch, lastBody, neverAnswer, OPENAI_CHAT, openAiChat } from '../../support/fake-chat';
import { anthropicKey, openAiKey } from '../../support/integration-fixtures';
import { aTenant, eventually, healthOf, postV1, Tenant } from '../../support/proxy-tenant';
import { findInText, fragmentsOf, scanDatabase, scanLogs, type Needles } from '../../support/secret-scan';
import { startTestApp, TestApp } from '../../support/test-app';

/**
 * What callers of the official OpenAI and Anthropic SDKs send through the gateway and get back
 * (DESIGN §3, §4): same-format pass-through, cross-format translation (system prompt, turns,
 * tools, tool results, images, stop reasons, limits, usage with cached tokens), streams that
 * break or are abandoned, requests shaped like the Vercel AI SDK's and LangChain's, bad input, and
 * a provider's key echo redacted everywhere. Every translation is checked on both ends: what the
 * fake provider received in its own format, and what the SDK returned.
 */

jest.setTimeout(30_000);

const OPENAI_KEY = openAiKey();
const ANTHROPIC_KEY = anthropicKey();
/** A 1×1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const WEATHER_SCHEMA = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

describe('proxy: the official SDKs through the gateway', () => {
  let t: TestApp;
  let openai: FakeProvider;
  let anthropic: FakeProvider;
  let tenant: Tenant;

  beforeAll(async () => {
    [openai, anthropic, t] = await Promise.all([startFakeOpenAI({ apiKeys: [OPENAI_KEY] }), startFakeAnthropic({ apiKeys: [ANTHROPIC_KEY] }), startTestApp()]);
    tenant = await aTenant(t, 'formats', [
      { slug: 'openai-main', provider: 'openai', apiKey: OPENAI_KEY, host: openai.baseUrl },
      { slug: 'anthropic-main', provider: 'anthropic', apiKey: ANTHROPIC_KEY, host: anthropic.baseUrl },
    ]);
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([openai?.close(), anthropic?.close()]);
  });
  beforeEach(() => {
    openai.reset();
    anthropic.reset();
    openai.route('POST', OPENAI_CHAT, openAiChat());
    anthropic.route('POST', ANTHROPIC_MESSAGES, anthropicMessages());
  });

  describe('same format', () => {
    it('the OpenAI SDK gets the OpenAI answer as the provider sent it, with the gateway’s headers, and the provider sees the integration’s key, not the gateway key', async () => {
      const { data, response } = await tenant.openai.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();

      expect(data.choices[0].message.content).toBe('Hello from openai');
      expect(data).toMatchObject({ object: 'chat.completion', model: 'gpt-4o-mini', system_fingerprint: 'fp_fake', service_tier: 'default', usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 } });
      expect(response.headers.get('x-request-id')).toEqual(expect.any(String));
      expect(response.headers.get('x-keyway-provider-slug')).toBe('openai-main');
      expect(response.headers.get('x-keyway-credential-source')).toBe('byok');
      const [received] = openai.requestsTo(OPENAI_CHAT);
      expect(received.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
      expect(JSON.stringify(received.headers)).not.toContain(tenant.key);
      expect(JSON.parse(received.body)).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    });

    it('the OpenAI SDK streams text, tool calls and the usage chunk it asked for from an OpenAI integration', async () => {
      openai.route('POST', OPENAI_CHAT, openAiChat({ text: 'Checking.', toolCalls: [{ id: 'call_7', name: 'get_weather', input: { city: 'Oslo' } }], usage: { input: 40, output: 9, cached: 32 } }));

      const stream = tenant.openai.chat.completions.stream({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'weather in Oslo?' }],
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: WEATHER_SCHEMA } }],
        stream_options: { include_usage: true },
      });
      const final = await stream.finalChatCompletion();

      expect(final.choices[0].message.content).toBe('Checking.');
      expect(final.choices[0].message.tool_calls).toEqual([{ id: 'call_7', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }]);
      expect(final.choices[0].finish_reason).toBe('tool_calls');
      expect(final.usage).toMatchObject({ prompt_tokens: 72, completion_tokens: 9, prompt_tokens_details: { cached_tokens: 32 } });
      expect(lastBody(openai, OPENAI_CHAT)).toMatchObject({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true } });
    });

    it('an OpenAI stream the caller asked no usage for carries no usage chunk, though the gateway asked the provider for usage', async () => {
      const stream = await tenant.openai.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
      const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);

      expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('Hello from openai');
      expect(chunks.every((c) => c.choices.length === 1 && !c.usage)).toBe(true);
      expect(lastBody(openai, OPENAI_CHAT)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    });

    it('the Anthropic SDK gets the Anthropic message as the provider sent it, and the provider sees the integration’s key and the caller’s anthropic-version and anthropic-beta', async () => {
      anthropic.route('POST', ANTHROPIC_MESSAGES, anthropicMessages({ usage: { input: 11, output: 5, cached: 2048, cacheWrite: 16 } }));

      const { data, response } = await tenant.anthropic.messages
        .create({ model: 'anthropic/claude-sonnet-4-6', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'anthropic-version': '2023-01-01', 'anthropic-beta': 'prompt-caching-2024-07-31' } })
        .withResponse();

      expect(data.content).toEqual([{ type: 'text', text: 'Hello from anthropic' }]);
      expect(data).toMatchObject({ model: 'claude-sonnet-4-6', stop_reason: 'end_turn', usage: { input_tokens: 11, output_tokens: 5, cache_read_input_tokens: 2048, cache_creation_input_tokens: 16 } });
      expect(response.headers.get('x-keyway-provider-slug')).toBe('anthropic-main');
      expect(response.headers.get('x-keyway-credential-source')).toBe('byok');
      const [received] = anthropic.requestsTo(ANTHROPIC_MESSAGES);
      expect(received.headers['x-api-key']).toBe(ANTHROPIC_KEY);
      expect(received.headers['anthropic-version']).toBe('2023-01-01');
      expect(received.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
      expect(received.headers.authorization).toBeUndefined();
      expect(JSON.stringify(received.headers)).not.toContain(tenant.key);
      expect(JSON.parse(received.body)).toEqual({ model: 'claude-sonnet-4-6', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    });

    it('the Anthropic SDK streams text and a tool_use block whose input arrives as input_json_delta from an Anthropic integration', async () => {
      anthropic.route('POST', ANTHROPIC_MESSAGES, anthropicMessages({ text: 'Let me look.', toolCalls: [{ id: 'toolu_01', name: 'get_weather', input: { city: 'Lima' } }], usage: { input: 21, output: 13, cached: 5 } }));

      const final = await tenant.anthropic.messages
        .stream({ model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'weather in Lima?' }], tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }] })
        .finalMessage();

      expect(final.content).toEqual([
        { type: 'text', text: 'Let me look.' },
        { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Lima' } },
      ]);
      expect(final.stop_reason).toBe('tool_use');
      expect(final.usage).toMatchObject({ input_tokens: 21, output_tokens: 13, cache_read_input_tokens: 5 });
      expect(lastBody(anthropic, ANTHROPIC_MESSAGES)).toMatchObject({ model: 'claude-sonnet-4-6', stream: true });
    });
  });

  describe('cross format', () => {
    it('an OpenAI SDK conversation with system prompt, image, tool call, tool result and sampling settings reaches Anthropic in Anthropic’s format, and the tool call comes back in OpenAI’s', async () => {
      anthropic.route('POST', ANTHROPIC_MESSAGES, anthropicMessages({ text: 'Checking Rome.', toolCalls: [{ id: 'toolu_01A', name: 'get_weather', input: { city: 'Rome' } }], usage: { input: 20, output: 12, cached: 100, cacheWrite: 5 } }));

      const { data, response } = await tenant.openai.chat.completions
        .create({
          model: 'anthropic/claude-sonnet-4-6',
          messages: [
            { role: 'system', content: 'You are a terse weather bot.' },
            { role: 'user', content: [{ type: 'text', text: 'Where is this, and how is the weather in Paris?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }] },
            { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
            { role: 'tool', tool_call_id: 'call_1', content: 'Sunny, 21°C' },
            { role: 'user', content: 'And in Rome?' },
          ],
          tools: [{ type: 'function', function: { name: 'get_weather', description: 'Current weather for a city', parameters: WEATHER_SCHEMA } }],
          tool_choice: 'auto',
          max_tokens: 300,
          temperature: 0.3,
          stop: ['END'],
        })
        .withResponse();

      expect(lastBody(anthropic, ANTHROPIC_MESSAGES)).toEqual({
        model: 'claude-sonnet-4-6',
        max_tokens: 300,
        system: 'You are a terse weather bot.',
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Where is this, and how is the weather in Paris?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }] },
          { role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: 'Sunny, 21°C' }, { type: 'text', text: 'And in Rome?' }] },
        ],
        tools: [{ name: 'get_weather', description: 'Current weather for a city', input_schema: WEATHER_SCHEMA }],
        tool_choice: { type: 'auto' },
        temperature: 0.3,
        stop_sequences: ['END'],
      });
      expect(response.headers.get('x-keyway-provider-slug')).toBe('anthropic-main');
      expect(data.model).toBe('anthropic/claude-sonnet-4-6');
      expect(data.choices[0].message.content).toBe('Checking Rome.');
      expect(data.choices[0].message.tool_calls).toEqual([{ id: 'toolu_01A', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }]);
      expect(data.choices[0].finish_reason).toBe('tool_calls');
      expect(data.usage).toMatchObject({ prompt_tokens: 125, completion_tokens: 12, total_tokens: 137, prompt_tokens_details: { cached_tokens: 100 } });
    });

    it('an Anthropic SDK conversation with system prompt, image, tool_use, tool_result and sampling settings reaches OpenAI in OpenAI’s format, and the tool call comes back as a tool_use block', async () => {
      openai.route('POST', OPENAI_CHAT, openAiChat({ text: '', toolCalls: [{ id: 'call_9', name: 'get_weather', input: { city: 'Rome' } }], usage: { input: 30, output: 7, cached: 64 } }));

      // `temperature` is still part of the Messages API, though this SDK version no longer types it.
      const params: Anthropic.MessageCreateParamsNonStreaming & { temperature: number } = {
        model: 'openai/gpt-4o-mini',
        max_tokens: 256,
        temperature: 0.2,
        stop_sequences: ['END'],
        system: 'You are a terse weather bot.',
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Where is this?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }] },
          { role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny, 21°C' }, { type: 'text', text: 'And in Rome?' }] },
        ],
        tools: [{ name: 'get_weather', description: 'Current weather for a city', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
        tool_choice: { type: 'auto' },
      };
      const data = await tenant.anthropic.messages.create(params);

      expect(lastBody(openai, OPENAI_CHAT)).toEqual({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'You are a terse weather bot.' },
          { role: 'user', content: [{ type: 'text', text: 'Where is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }] },
          { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
          { role: 'tool', tool_call_id: 'toolu_1', content: 'Sunny, 21°C' },
          { role: 'user', content: 'And in Rome?' },
        ],
        tools: [{ type: 'function', function: { name: 'get_weather', description: 'Current weather for a city', parameters: WEATHER_SCHEMA } }],
        tool_choice: 'auto',
        max_completion_tokens: 256,
        temperature: 0.2,
        stop: ['END'],
      });
      expect(data).toMatchObject({ type: 'message', role: 'assistant', model: 'openai/gpt-4o-mini', stop_reason: 'tool_use' });
      expect(data.content).toEqual([{ type: 'tool_use', id: 'call_9', name: 'get_weather', input: { city: 'Rome' } }]);
      expect(data.usage).toMatchObject({ input_tokens: 30, output_tokens: 7, cache_read_input_tokens: 64, cache_creation_input_tokens: 0 });
    });

    it('a reply cut at the token limit reads as finish_reason "length" to the OpenAI SDK and as stop_reason "max_tokens" to the Anthropic SDK', async () => {
      anthropic.route('POST', ANTHROPIC_MESSAGES, anthropicMessages({ text: 'Once upon a', stopReason: 'max_tokens' }));
      openai.route('POST', OPENAI_CHAT, openAiChat({ text: 'Once upon a', stopReason: 'length' }));

      const viaOpenAi = await tenant.openai.chat.completions.create({ model: 'anthropic/claude-sonnet-4-6', max_completion_tokens: 3, messages: [{ role: 'user', content: 'a story' }] });
      const viaAnthropic = await tenant.anthropic.messages.create({ model: 'openai/gpt-4o-mini', max_tokens: 3, messages: [{ role: 'user', content: 'a story' }] });

      expect(viaOpenAi.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: 'Once upon a' } });
      expect(lastBody(anthropic, ANTHROPIC_MESSAGES)).toMatchObject({ max_tokens: 3 });
      expect(viaAnthropic).toMatchObject({ stop_reason: 'max_tokens', content: [{ type: 'text', text: 'Once upon a' }] });
      expect(lastBody(openai, OPENAI_CHAT)).toMatchObject({ max_completion_tokens: 3 });
    });

    it('the OpenAI SDK streams text, two tool calls and usage with cached tokens from an Anthropic integration', async () => {
      anthropic.route('POST', ANTHROPIC_MESSAGES, anthropicMessages({
        text: 'Checking Rome and Milan.',
        toolCalls: [
          { id: 'toolu_02', name: 'get_weather', input: { city: 'Rome' } },
          { id: 'toolu_03', name: 'get_weather', input: { city: 'Milan' } },
        ],
        usage: { input: 20, output: 12, cached: 100, cacheWrite: 5 },
      }));

      const final = await tenant.openai.chat.completions
        .stream({
          model: 'anthropic/claude-sonnet-4-6',
          messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'weather in Rome?' }],
          tools: [{ type: 'function', function: { name: 'get_weather', parameters: WEATHER_SCHEMA } }],
          stream_options: { include_usage: true },
        })
        .finalChatCompletion();

      expect(final.model).toBe('anthropic/claude-sonnet-4-6');
      expect(final.choices[0].message.content).toBe('Checking Rome and Milan.');
      expect(final.choices[0].message.tool_calls).toEqual([
        { id: 'toolu_02', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        { id: 'toolu_03', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Milan"}' } },
      ]);
      expect(final.choices[0].finish_reason).toBe('tool_calls');
      expect(final.usage).toMatchObject({ prompt_tokens: 125, completion_tokens: 12, prompt_tokens_details: { cached_tokens: 100 } });
      expect(lastBody(anthropic, ANTHROPIC_MESSAGES)).toMatchObject({ model: 'claude-sonnet-4-6', system: 'Be brief.', stream: true, tools: [{ name: 'get_weather', input_schema: WEATHER_SCHEMA }] });
    });

    it('the Anthropic SDK streams text, two tool_use blocks and usage with cached tokens from an OpenAI integration', async () => {
      openai.route('POST', OPENAI_CHAT, openAiChat({
        text: 'Checking Rome and Milan.',
        toolCalls: [
          { id: 'call_3', name: 'get_weather', input: { city: 'Rome' } },
          { id: 'call_4', name: 'get_weather', input: { city: 'Milan' } },
        ],
        usage: { input: 30, output: 7, cached: 64 },
      }));

      const final = await tenant.anthropic.messages
        .stream({ model: 'openai/gpt-4o-mini', max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user', content: 'weather in Rome?' }], tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }] })
        .finalMessage();

      expect(final.model).toBe('openai/gpt-4o-mini');
      expect(final.content).toEqual([
        { type: 'text', text: 'Checking Rome and Milan.' },
        { type: 'tool_use', id: 'call_3', name: 'get_weather', input: { city: 'Rome' } },
        { type: 'tool_use', id: 'call_4', name: 'get_weather', input: { city: 'Milan' } },
      ]);
      expect(final.stop_reason).toBe('tool_use');
      expect(final.usage).toMatchObject({ input_tokens: 30, output_tokens: 7, cache_read_input_tokens: 64 });
      expect(lastBody(openai, OPENAI_CHAT)).toMatchObject({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'weather in Rome?' }] });
    });
  });

  describe('answers that do not finish', () => {
    it.each([
      ['an OpenAI', 'openai/gpt-4o-mini'],
      ['an Anthropic', 'anthropic/claude-sonnet-4-6'],
    ])('the OpenAI SDK raises an error, after the text that did arrive, when %s stream breaks off upstream', async (_label, model) => {
      openai.route('POST', OPENAI_CHAT, openAiChat({ chunks: ['Hello', ' there'], breakAfter: 2 }));
      anthropic.route('POST', ANTHROPIC_MESSAGES, anthropicMessages({ chunks: ['Hello', ' there'], breakAfter: 4 }));

      let text = '';
      const reading = (async () => {
        const stream = await tenant.openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], stream: true });
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      })();

      await expect(reading).rejects.toThrow(OpenAI.APIError);
      await expect(reading).rejects.toThrow(/broke off/);
      expect(text).toBe('Hello');
    });

    it.each([
      ['an OpenAI', 'openai/gpt-4o-mini'],
      ['an Anthropic', 'anthropic/claude-sonnet-4-6'],
    ])('the Anthropic SDK raises an error, after the text that did arrive, when %s stream breaks off upstream', async (_label, model) => {
      openai.route('POST', OPENAI_CHAT, openAiChat({ chunks: ['Hello', ' there'], breakAfter: 2 }));
      anthropic.route('POST', ANTHROPIC_MESSAGES, anthropicMessages({ chunks: ['Hello', ' there'], breakAfter: 4 }));

      let text = '';
      const reading = (async () => {
        const stream = await tenant.anthropic.messages.create({ model, max_tokens: 20, messages: [{ role: 'user', content: 'hi' }], stream: true });
        for await (const event of stream) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      })();

      await expect(reading).rejects.toThrow(Anthropic.APIError);
      await expect(reading).rejects.toThrow(/broke off/);
      expect(text).toBe('Hello');
    });

    it.each([
      ['OpenAI SDK', 'an OpenAI', 'openai/gpt-4o-mini'],
      ['OpenAI SDK', 'an Anthropic', 'anthropic/claude-sonnet-4-6'],
      ['Anthropic SDK', 'an OpenAI', 'openai/gpt-4o-mini'],
      ['Anthropic SDK', 'an Anthropic', 'anthropic/claude-sonnet-4-6'],
    ])('when an %s caller goes away mid-stream, the gateway drops its request to %s provider', async (sdk, _label, model) => {
      const watch = new ConnectionWatch();
      openai.route('POST', OPENAI_CHAT, openAiChat({ chunks: ['Hello', ' there'], hangAfter: 2, watch }));
      anthropic.route('POST', ANTHROPIC_MESSAGES, anthropicMessages({ chunks: ['Hello', ' there'], hangAfter: 4, watch }));

      let text = '';
      if (sdk === 'OpenAI SDK') {
        const stream = await tenant.openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], stream: true });
        for await (const chunk of stream) {
          text += chunk.choices[0]?.delta?.content ?? '';
          if (text) break;
        }
        expect(watch.closed).toBe(false);
        stream.controller.abort();
      } else {
        const stream = await tenant.anthropic.messages.create({ model, max_tokens: 20, messages: [{ role: 'user', content: 'hi' }], stream: true });
        for await (const event of stream) {
          if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
          if (text) break;
        }
        expect(watch.closed).toBe(false);
        stream.controller.abort();
      }

      expect(text).toBe('Hello');
      expect(await watch.waitForClose(5_000)).toBe(true);
    });

    it.each([
      ['OpenAI SDK', 'an Anthropic', 'anthropic/claude-sonnet-4-6'],
      ['Anthropic SDK', 'an OpenAI', 'openai/gpt-4o-mini'],
    ])('when an %s caller gives up waiting for a whole answer, the gateway drops its request to %s provider', async (sdk, _label, model) => {
      const watch = new ConnectionWatch();
      openai.route('POST', OPENAI_CHAT, neverAnswer(watch));
      anthropic.route('POST', ANTHROPIC_MESSAGES, neverAnswer(watch));
      const giveUp = new AbortController();

      const asked =
        sdk === 'OpenAI SDK'
          ? tenant.openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }, { signal: giveUp.signal })
          : tenant.anthropic.messages.create({ model, max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }, { signal: giveUp.signal });
      await eventually('the provider has the request', () => openai.requests.length + anthropic.requests.length === 1);
      expect(watch.closed).toBe(false);
      giveUp.abort();

      await expect(asked).rejects.toThrow(/abort/i);
      expect(await watch.waitForClose(5_000)).toBe(true);
    });
  });

  describe('requests as real clients send them', () => {
    it('a Vercel AI SDK-style streamed request (usage asked, strict tools, json_schema response format) reaches OpenAI unchanged and streams back with its usage chunk', async () => {
      const sent = {
        model: 'openai/gpt-4o-mini',
        messages: [
          { role: 'system', content: 'Answer in JSON.' },
          { role: 'user', content: [{ type: 'text', text: 'Weather in Oslo?' }] },
        ],
        max_tokens: 512,
        temperature: 0,
        top_p: 1,
        frequency_penalty: 0,
        presence_penalty: 0,
        seed: 42,
        stop: ['\n\n\n'],
        response_format: { type: 'json_schema', json_schema: { name: 'weather', strict: true, schema: { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'], additionalProperties: false } } },
        tools: [{ type: 'function', function: { name: 'get_weather', description: 'Current weather', parameters: { ...WEATHER_SCHEMA, additionalProperties: false }, strict: true } }],
        tool_choice: 'auto',
        parallel_tool_calls: false,
        stream: true,
        stream_options: { include_usage: true },
      };
      openai.route('POST', OPENAI_CHAT, openAiChat({ text: '{"summary":"cold"}', usage: { input: 50, output: 6 } }));

      const res = await postV1(t, '/v1/chat/completions', tenant.key, sent);

      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events = res.text.split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
      expect(events[events.length - 1]).toBe('[DONE]');
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as OpenAI.Chat.Completions.ChatCompletionChunk);
      expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('{"summary":"cold"}');
      expect(chunks[chunks.length - 1]).toMatchObject({ choices: [], usage: { prompt_tokens: 50, completion_tokens: 6 } });
      // Only the model is rewritten, and max_tokens is sent under the name OpenAI requires today.
      const { max_tokens, ...rest } = sent;
      expect(lastBody(openai, OPENAI_CHAT)).toEqual({ ...rest, model: 'gpt-4o-mini', max_completion_tokens: max_tokens });
    });

    it('a LangChain ChatOpenAI-style request (n, temperature, stream false, model_kwargs such as user, seed, logprobs and a vendor field) reaches OpenAI unchanged', async () => {
      const sent = {
        model: 'openai/gpt-4o-mini',
        temperature: 0.7,
        top_p: 1,
        frequency_penalty: 0,
        presence_penalty: 0,
        n: 1,
        stream: false,
        messages: [
          { role: 'system', content: 'You are helpful.' },
          { role: 'user', content: 'hi' },
        ],
        user: 'user-42',
        seed: 7,
        logprobs: false,
        metadata: { run: 'lc-1' },
        x_trace_tag: 'lc-run-1',
      };

      const answer = await tenant.openai.chat.completions.create(sent as unknown as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming);

      expect(answer.choices[0].message.content).toBe('Hello from openai');
      expect(lastBody(openai, OPENAI_CHAT)).toEqual({ ...sent, model: 'gpt-4o-mini' });
    });

    it('the same LangChain-style request is served by an Anthropic integration: harmless n and logprobs accepted, user sent as metadata.user_id', async () => {
      const sent = { model: 'anthropic/claude-sonnet-4-6', temperature: 0.7, n: 1, stream: false, logprobs: false, user: 'user-42', messages: [{ role: 'user', content: 'hi' }] };

      const answer = await tenant.openai.chat.completions.create(sent as unknown as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming);

      expect(answer.choices[0].message.content).toBe('Hello from anthropic');
      expect(lastBody(anthropic, ANTHROPIC_MESSAGES)).toEqual({ model: 'claude-sonnet-4-6', max_tokens: expect.any(Number), temperature: 0.7, metadata: { user_id: 'user-42' }, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
    });
  });

  describe('errors in the caller’s format', () => {
    it('an OpenAI-format request without model or messages is refused with 400 naming each field, and nothing is sent upstream', async () => {
      const noModel = await postV1(t, '/v1/chat/completions', tenant.key, { messages: [{ role: 'user', content: 'hi' }] });
      const noMessages = await postV1(t, '/v1/chat/completions', tenant.key, { model: 'openai/gpt-4o-mini' });

      expect(noModel.status).toBe(400);
      expect(noModel.json).toEqual({ error: { message: expect.stringMatching(/\bmodel: /), type: 'invalid_request_error', param: 'model', code: expect.any(String) } });
      expect(noMessages.status).toBe(400);
      expect(noMessages.json).toEqual({ error: { message: expect.stringMatching(/\bmessages: /), type: 'invalid_request_error', param: 'messages', code: expect.any(String) } });
      expect(openai.requests).toHaveLength(0);
    });

    it('an Anthropic-format request without max_tokens is refused with 400 in Anthropic’s format naming the field', async () => {
      const res = await postV1(t, '/v1/messages', tenant.key, { model: 'anthropic/claude-sonnet-4-6', messages: [{ role: 'user', content: 'hi' }] });

      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('max_tokens') } });
      expect(anthropic.requests).toHaveLength(0);
    });

    it('malformed JSON is refused with 400 in the format of the endpoint it was sent to', async () => {
      const chat = await postV1(t, '/v1/chat/completions', tenant.key, '{"model": "openai/gpt-4o-mini", "messages": [');
      const messages = await postV1(t, '/v1/messages', tenant.key, '{"model": ');

      expect(chat.status).toBe(400);
      expect(chat.json).toEqual({ error: { message: expect.stringMatching(/not valid JSON/), type: 'invalid_request_error', param: null, code: expect.any(String) } });
      expect(messages.status).toBe(400);
      expect(messages.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringMatching(/not valid JSON/) } });
    });

    it('an unknown model is a 404 naming the model, raised by each SDK as its NotFoundError', async () => {
      const viaOpenAi = tenant.openai.chat.completions.create({ model: 'no-such-model-xyz', messages: [{ role: 'user', content: 'hi' }] });
      const viaAnthropic = tenant.anthropic.messages.create({ model: 'no-such-model-xyz', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });

      await expect(viaOpenAi).rejects.toBeInstanceOf(OpenAI.NotFoundError);
      await expect(viaOpenAi).rejects.toThrow(/"no-such-model-xyz"/);
      await expect(viaAnthropic).rejects.toBeInstanceOf(Anthropic.NotFoundError);
      const error = await viaAnthropic.catch((e: InstanceType<typeof Anthropic.APIError>) => e.error);
      expect(error).toMatchObject({ type: 'error', error: { type: 'not_found_error', message: expect.stringContaining('"no-such-model-xyz"') } });
      expect(openai.requests.length + anthropic.requests.length).toBe(0);
    });

    it('a provider 401 that echoes part of the integration key reaches the caller, in either format, with the key redacted — and the key shows nowhere in responses, logs or the database', async () => {
      const wrongKeys = [openAiKey(), openAiKey()];
      const picky = await startFakeOpenAI({ apiKeys: [openAiKey()] });
      try {
        const leaky = await aTenant(t, 'leaky', [
          { slug: 'openai-leaky-1', provider: 'openai', apiKey: wrongKeys[0], host: picky.baseUrl },
          { slug: 'openai-leaky-2', provider: 'openai', apiKey: wrongKeys[1], host: picky.baseUrl },
        ]);

        const asOpenAi = await postV1(t, '/v1/chat/completions', leaky.key, { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, { 'x-keyway-provider-slug': 'openai-leaky-1' });
        const asAnthropic = await postV1(t, '/v1/messages', leaky.key, { model: 'openai/gpt-4o-mini', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }, { 'x-keyway-provider-slug': 'openai-leaky-2' });

        // The fake did echo the keys; what the caller got is the gateway's redaction of it.
        expect(picky.requests).toHaveLength(2);
        expect(asOpenAi.status).toBe(401);
        expect(asOpenAi.json).toEqual({ error: { message: expect.stringMatching(/^Incorrect API key provided: \[REDACTED\]/), type: 'authentication_error', param: null, code: 'invalid_api_key' } });
        expect(asAnthropic.status).toBe(401);
        expect(asAnthropic.json).toEqual({ type: 'error', error: { type: 'authentication_error', message: expect.stringMatching(/^Incorrect API key provided: \[REDACTED\]/) } });

        const health = await healthOf(t, leaky.owner, leaky.integrationIds['openai-leaky-1']);
        expect(health.lastError).toMatch(/Incorrect API key provided: \[REDACTED\]/);
        const needles: Needles = Object.assign(
          {},
          ...wrongKeys.map((key, i) => ({ [`key ${i}`]: key, [`echo ${i}`]: openAiKeyEcho(key), ...fragmentsOf(`key ${i}`, key.replace(/^sk-proj-/, ''), 6) })),
        );
        const healthText = JSON.stringify(health);
        expect(findInText(`${asOpenAi.text}\n${asAnthropic.text}\n${healthText}`, needles, 'responses')).toEqual([]);
        expect(scanLogs(t, needles)).toEqual([]);
        expect((await scanDatabase(t, needles)).hits).toEqual([]);
      } finally {
        await picky.close();
      }
    });
  });
});
