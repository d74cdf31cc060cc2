import { ValidationFailed } from '../../platform/errors/domain-error';
import { assertOpenAiChatRequest } from './openai-request.guard';

function fields(body: unknown): string[] {
  try {
    assertOpenAiChatRequest(body);
  } catch (error) {
    if (error instanceof ValidationFailed) return (error.errors ?? []).map((e) => e.field);
    throw error;
  }
  return [];
}

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

  it('names every malformed field', () => {
    expect(
      fields({
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
      'model',
      'messages[0].role',
      'messages[1].content[0].image_url.url',
      'messages[1].content[1].type',
      'messages[2].content[0].type',
      'messages[3].tool_calls[0].function.arguments',
      'messages[4].tool_call_id',
      'temperature',
      'stop[0]',
      'tools[0].function.name',
      'response_format.type',
    ]);
  });

  it('refuses a body that is not an object', () => {
    expect(fields('hello')).toEqual(['body']);
    expect(fields({ model: 'm' })).toEqual(['messages']);
  });
});
