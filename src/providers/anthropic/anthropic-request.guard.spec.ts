import { type FieldError, ValidationFailed } from '../../platform/errors/domain-error';
import { assertAnthropicMessagesRequest } from './anthropic-request.guard';

function errorsOf(body: unknown): FieldError[] {
  try {
    assertAnthropicMessagesRequest(body);
  } catch (error) {
    if (error instanceof ValidationFailed) return error.errors ?? [];
    throw error;
  }
  return [];
}

const fields = (body: unknown): string[] => errorsOf(body).map((e) => e.field);

const aRequest = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'Hi' }],
  ...fields,
});

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

  it('accepts every documented parameter and block type', () => {
    expect(
      fields({
        model: 'claude-opus-4-1',
        max_tokens: 4096,
        system: 'Be brief.',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'document', source: { type: 'url', url: 'https://x/a.pdf' }, title: 'A', citations: { enabled: true } },
              { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain' } },
              { type: 'document', source: { type: 'content', content: [{ type: 'text', text: 'chunk' }] } },
              { type: 'image', source: { type: 'file', file_id: 'file_1' } },
              { type: 'search_result', source: 'https://x', title: 'X', content: [{ type: 'text', text: 'r' }] },
              { type: 'container_upload', file_id: 'file_2' },
            ],
          },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'hmm', signature: 'sig' },
              { type: 'redacted_thinking', data: 'xyz' },
              { type: 'server_tool_use', id: 'srv', name: 'web_search', input: { query: 'q' } },
              { type: 'web_search_tool_result', tool_use_id: 'srv', content: [{ type: 'web_search_result', url: 'https://x', title: 'X' }] },
              { type: 'mcp_tool_use', id: 'm', name: 'echo', server_name: 'srv', input: {} },
              { type: 'text', text: 'Done', citations: [{ type: 'char_location', cited_text: 'x' }] },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'mcp_tool_result', tool_use_id: 'm', content: 'echoed', is_error: false },
              { type: 'tool_result', tool_use_id: 't', content: 'plain', is_error: true, cache_control: { type: 'ephemeral', ttl: '1h' } },
            ],
          },
        ],
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
        stop_sequences: ['END'],
        stream: true,
        tools: [
          { type: 'custom', name: 'f', description: 'd', input_schema: { type: 'object', properties: {}, required: [] }, strict: true },
          { type: 'web_search_20250305', name: 'web_search', max_uses: 3, allowed_domains: ['x.com'] },
          { type: 'web_fetch_20250910', name: 'web_fetch', max_content_tokens: 1000 },
          { type: 'computer_20250124', name: 'computer', display_width_px: 1024, display_height_px: 768 },
          { type: 'bash_20250124', name: 'bash' },
        ],
        tool_choice: { type: 'auto', disable_parallel_tool_use: true },
        thinking: { type: 'disabled' },
        metadata: { user_id: null },
        service_tier: 'standard_only',
        container: 'container_1',
        mcp_servers: [{ type: 'url', url: 'https://mcp.example', name: 'srv', tool_configuration: { allowed_tools: ['echo'] } }],
      }),
    ).toEqual([]);
  });

  it('treats null as not set for optional fields', () => {
    const nulls = Object.fromEntries(['system', 'temperature', 'stop_sequences', 'tools', 'tool_choice', 'thinking', 'metadata', 'container'].map((f) => [f, null]));
    expect(fields(aRequest(nulls))).toEqual([]);
  });

  it('names every malformed field', () => {
    expect(
      errorsOf({
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
      { field: 'max_tokens', message: 'must be a non-negative integer' },
      { field: 'messages[0].role', message: 'must be one of: user, assistant' },
      { field: 'messages[1].content[0].source.url', message: 'is required' },
      { field: 'messages[1].content[1].tool_use_id', message: 'is required' },
      { field: 'system[0].type', message: 'must be "text"' },
      { field: 'stop_sequences', message: 'must be an array' },
      { field: 'tools[0].input_schema', message: 'is required' },
      { field: 'tool_choice.type', message: 'must be one of: auto, any, tool, none' },
    ]);
  });

  it('checks blocks inside tool results and document sources', () => {
    expect(
      errorsOf(
        aRequest({
          messages: [
            {
              role: 'user',
              content: [
                { type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 1 }] },
                { type: 'document', source: { type: 'content', content: [{ type: 'image', source: { type: 'base64', data: 'AAA' } }] } },
                { type: 'tool_use', id: 't', name: 'f', input: '{}' },
              ],
            },
          ],
        }),
      ),
    ).toEqual([
      { field: 'messages[0].content[0].content[0].text', message: 'must be a string' },
      { field: 'messages[0].content[1].source.content[0].source.media_type', message: 'is required' },
      { field: 'messages[0].content[2].input', message: 'must be an object' },
    ]);
  });

  it('says what content and system may be instead of listing schema branches', () => {
    expect(errorsOf(aRequest({ system: 5, messages: [{ role: 'user', content: { text: 'Hi' } }] }))).toEqual([
      { field: 'messages[0].content', message: 'must be a string or an array of content blocks' },
      { field: 'system', message: 'must be a string or an array of text blocks' },
    ]);
  });

  it('checks the types of documented parameters', () => {
    expect(
      fields(
        aRequest({
          top_k: 1.5,
          stream: 'yes',
          metadata: { user_id: 3 },
          thinking: { type: 'enabled' },
          mcp_servers: [{ type: 'url', name: 'x' }],
          tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 'many' }],
        }),
      ),
    ).toEqual(['top_k', 'stream', 'metadata.user_id', 'tools[0].max_uses', 'thinking.budget_tokens', 'mcp_servers[0].url']);
  });

  it('refuses a body that is not an object, or without the required fields', () => {
    expect(errorsOf(null)).toEqual([{ field: 'body', message: 'must be an object' }]);
    expect(errorsOf({ model: 'm' })).toEqual([
      { field: 'max_tokens', message: 'is required' },
      { field: 'messages', message: 'is required' },
    ]);
  });
});
