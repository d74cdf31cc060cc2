import { ValidationFailed } from '../../platform/errors/domain-error';
import { assertAnthropicMessagesRequest } from './anthropic-request.guard';

function fields(body: unknown): string[] {
  try {
    assertAnthropicMessagesRequest(body);
  } catch (error) {
    if (error instanceof ValidationFailed) return (error.errors ?? []).map((e) => e.field);
    throw error;
  }
  return [];
}

describe('assertAnthropicMessagesRequest', () => {
  it('accepts a full request, including blocks and fields it does not know', () => {
    expect(
      fields({
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Hi' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAA' } }] },
          { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }, { type: 'server_tool_use', id: 's', name: 'web_search', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'ok' }] }] },
        ],
        tools: [{ name: 'f', input_schema: { type: 'object' } }, { type: 'web_search_20250305', name: 'web_search' }],
        tool_choice: { type: 'tool', name: 'f' },
        thinking: { type: 'enabled', budget_tokens: 2048 },
        output_config: { effort: 'high', format: { type: 'json_schema', schema: { type: 'object' } } },
        metadata: { user_id: 'u' },
        future_field: true,
      }),
    ).toEqual([]);
  });

  it('names every malformed field', () => {
    expect(
      fields({
        model: 'm',
        max_tokens: -1,
        system: [{ type: 'image' }],
        messages: [
          { role: 'system', content: 'x' },
          { role: 'user', content: [{ type: 'image', source: { type: 'url' } }, { type: 'tool_result' }] },
        ],
        tools: [{ name: 'f' }],
        tool_choice: { type: 'sometimes' },
        stop_sequences: 'END',
      }),
    ).toEqual([
      'max_tokens',
      'messages[0].role',
      'messages[1].content[0].source.url',
      'messages[1].content[1].tool_use_id',
      'system[0].type',
      'stop_sequences',
      'tools[0].input_schema',
      'tool_choice.type',
    ]);
  });
});
