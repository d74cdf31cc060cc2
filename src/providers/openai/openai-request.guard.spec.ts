import { type FieldError, ValidationFailed } from '../../platform/errors/domain-error';
import { assertOpenAiChatRequest } from './openai-request.guard';

function errorsOf(body: unknown): FieldError[] {
  try {
    assertOpenAiChatRequest(body);
  } catch (error) {
    if (error instanceof ValidationFailed) return error.errors ?? [];
    throw error;
  }
  return [];
}

const fields = (body: unknown): string[] => errorsOf(body).map((e) => e.field);

const aRequest = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  model: 'gpt-4o',
  messages: [{ role: 'user', content: 'Hi' }],
  ...fields,
});

describe('assertOpenAiChatRequest', () => {
  it('accepts a full request, including fields it does not know', () => {
    expect(
      fields({
        model: 'gpt-4o',
        messages: [
          { role: 'developer', content: [{ type: 'text', text: 'Be brief.' }] },
          { role: 'user', content: [{ type: 'text', text: 'Hi' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'c', content: 'ok' },
        ],
        tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
        tool_choice: { type: 'function', function: { name: 'f' } },
        response_format: { type: 'json_schema', json_schema: { name: 'r', schema: { type: 'object' } } },
        stop: ['x'],
        max_tokens: null,
        stream: true,
        stream_options: { include_usage: true },
        some_provider_extension: 1,
      }),
    ).toEqual([]);
  });

  it('accepts every documented parameter', () => {
    expect(
      fields({
        model: 'gpt-4o-audio-preview',
        messages: [
          { role: 'system', content: 'Be brief.', name: 'ops' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Listen', prompt_cache_breakpoint: { mode: 'explicit' } },
              { type: 'input_audio', input_audio: { data: 'AAA', format: 'wav' } },
              { type: 'file', file: { file_id: 'file-1', filename: 'a.pdf' } },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,AAA', detail: 'low' } },
            ],
          },
          {
            role: 'assistant',
            content: [{ type: 'text', text: 'Sure' }, { type: 'refusal', refusal: 'No' }],
            refusal: null,
            audio: { id: 'audio-1' },
            tool_calls: [{ id: 'c2', type: 'custom', custom: { name: 'sql', input: 'SELECT 1' } }],
            reasoning_content: 'thought',
          },
          { role: 'tool', tool_call_id: 'c2', content: [{ type: 'text', text: '1' }] },
          { role: 'function', name: 'legacy', content: null },
        ],
        audio: { format: 'wav', voice: 'alloy' },
        frequency_penalty: 0.5,
        presence_penalty: -0.5,
        logit_bias: { '50256': -100 },
        logprobs: true,
        top_logprobs: 3,
        max_completion_tokens: 256,
        metadata: { team: 'a' },
        modalities: ['text', 'audio'],
        n: 1,
        parallel_tool_calls: false,
        prediction: { type: 'content', content: 'draft' },
        prompt_cache_key: 'k',
        reasoning_effort: 'minimal',
        safety_identifier: 'hash',
        seed: 42,
        service_tier: 'flex',
        stop: 'END',
        store: false,
        temperature: 1,
        top_p: 0.9,
        user: 'u',
        verbosity: 'low',
        web_search_options: { search_context_size: 'low', user_location: { type: 'approximate', approximate: { city: 'Paris' } } },
        tools: [
          { type: 'function', function: { name: 'f', description: 'd', parameters: { type: 'object' }, strict: true } },
          { type: 'custom', custom: { name: 'sql', format: { type: 'grammar', grammar: { definition: 'x', syntax: 'lark' } } } },
        ],
        tool_choice: 'required',
        response_format: { type: 'json_object' },
      }),
    ).toEqual([]);
  });

  it('treats null as not set for optional fields', () => {
    const nulls = Object.fromEntries(['temperature', 'stop', 'tools', 'tool_choice', 'response_format', 'stream_options', 'user', 'seed', 'metadata', 'audio'].map((f) => [f, null]));
    expect(fields(aRequest(nulls))).toEqual([]);
  });

  it('leaves unknown part and tool types to the translator', () => {
    expect(
      fields(aRequest({ messages: [{ role: 'user', content: [{ type: 'video_url', video_url: { url: 'u' } }] }], tools: [{ type: 'mcp', server_label: 's' }] })),
    ).toEqual([]);
  });

  it('names every malformed field', () => {
    expect(
      errorsOf({
        model: 7,
        messages: [
          { role: 'robot', content: 'x' },
          { role: 'user', content: [{ type: 'image_url', image_url: {} }, { text: 'no type' }] },
          { role: 'system', content: [{ type: 'image_url', image_url: { url: 'u' } }] },
          { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: {} } }] },
          { role: 'tool', content: 'x' },
        ],
        temperature: 'hot',
        stop: [1],
        tools: [{ type: 'function', function: {} }],
        response_format: { type: 'xml' },
      }),
    ).toEqual([
      { field: 'model', message: 'must be a string' },
      { field: 'messages[0].role', message: 'must be one of: developer, system, user, assistant, tool, function' },
      { field: 'messages[1].content[0].image_url.url', message: 'is required' },
      { field: 'messages[1].content[1].type', message: 'is required' },
      { field: 'messages[2].content[0].type', message: 'must be "text"' },
      { field: 'messages[3].tool_calls[0].function.arguments', message: 'must be a string' },
      { field: 'messages[4].tool_call_id', message: 'is required' },
      { field: 'response_format.type', message: 'must be one of: text, json_object, json_schema' },
      { field: 'stop[0]', message: 'must be a string' },
      { field: 'temperature', message: 'must be a number' },
      { field: 'tools[0].function.name', message: 'is required' },
    ]);
  });

  it('says what a content, stop or tool choice may be instead of listing schema branches', () => {
    expect(errorsOf(aRequest({ messages: [{ role: 'user', content: { text: 'Hi' } }], stop: 5, tool_choice: 'sometimes' }))).toEqual([
      { field: 'messages[0].content', message: 'must be a string or an array of content parts' },
      { field: 'stop', message: 'must be a string or an array of strings' },
      { field: 'tool_choice', message: 'must be one of: none, auto, required, or a tool choice object' },
    ]);
  });

  it('names the field inside a tool choice object', () => {
    expect(errorsOf(aRequest({ tool_choice: { type: 'function', function: {} } }))).toEqual([{ field: 'tool_choice.function.name', message: 'is required' }]);
  });

  it('checks the types of documented parameters', () => {
    expect(fields(aRequest({ max_tokens: 1.5, n: '2', logit_bias: { '1': 'x' }, metadata: { a: 1 }, parallel_tool_calls: 'yes', modalities: 'text', seed: true }))).toEqual([
      'logit_bias.1',
      'max_tokens',
      'metadata.a',
      'modalities',
      'n',
      'parallel_tool_calls',
      'seed',
    ]);
  });

  it('refuses a body that is not an object, or without the required fields', () => {
    expect(errorsOf('hello')).toEqual([{ field: 'body', message: 'must be an object' }]);
    expect(errorsOf({ model: 'm' })).toEqual([{ field: 'messages', message: 'is required' }]);
    expect(fields({ model: 'm', messages: [{ role: 'user' }, { role: 'function', content: 'x' }] })).toEqual(['messages[0].content', 'messages[1].name']);
  });
});
