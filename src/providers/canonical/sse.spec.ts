import { createSseDecoder, encodeSseEvent, type SseMessage } from './sse';

describe('encodeSseEvent', () => {
  it('writes a named event', () => {
    expect(encodeSseEvent('message_stop', '{"type":"message_stop"}')).toBe('event: message_stop\ndata: {"type":"message_stop"}\n\n');
  });

  it('writes data-only events and splits multi-line data', () => {
    expect(encodeSseEvent(undefined, 'a\nb')).toBe('data: a\ndata: b\n\n');
  });
});

describe('createSseDecoder', () => {
  function collect(): { messages: SseMessage[]; decoder: ReturnType<typeof createSseDecoder> } {
    const messages: SseMessage[] = [];
    return { messages, decoder: createSseDecoder((m) => messages.push(m)) };
  }

  it('delivers each event as soon as its blank line arrives', () => {
    const { messages, decoder } = collect();
    decoder.push('event: ping\ndata: {"type":"ping"}\n');
    expect(messages).toHaveLength(0);
    decoder.push('\ndata: [DONE]');
    expect(messages).toEqual([{ event: 'ping', data: '{"type":"ping"}', id: undefined }]);
    decoder.push('\n\n');
    expect(messages.map((m) => m.data)).toEqual(['{"type":"ping"}', '[DONE]']);
  });

  it('reassembles UTF-8 characters split across byte chunks', () => {
    const { messages, decoder } = collect();
    const bytes = new TextEncoder().encode('data: {"text":"héllo → 世界"}\n\n');
    for (let i = 0; i < bytes.length; i += 3) decoder.push(bytes.subarray(i, i + 3));
    expect(messages).toEqual([{ event: undefined, id: undefined, data: '{"text":"héllo → 世界"}' }]);
  });

  it('joins multi-line data and ignores comments', () => {
    const { messages, decoder } = collect();
    decoder.push(': keep-alive\r\ndata: a\r\ndata: b\r\n\r\n');
    expect(messages.map((m) => m.data)).toEqual(['a\nb']);
  });

  it('delivers a last event that lacks its blank line at the end of the stream', () => {
    const { messages, decoder } = collect();
    decoder.push('data: {"a":1}\n\ndata: [DONE]\n');
    decoder.end();
    expect(messages.map((m) => m.data)).toEqual(['{"a":1}', '[DONE]']);
  });

  it('round-trips what encodeSseEvent writes', () => {
    const { messages, decoder } = collect();
    decoder.push(encodeSseEvent('content_block_delta', '{"x":"line1\\nline2"}') + encodeSseEvent(undefined, 'two\nlines'));
    expect(messages).toEqual([
      { event: 'content_block_delta', id: undefined, data: '{"x":"line1\\nline2"}' },
      { event: undefined, id: undefined, data: 'two\nlines' },
    ]);
  });

  it('reports an event larger than the buffer limit instead of growing without bound', () => {
    const errors: string[] = [];
    const decoder = createSseDecoder(() => undefined, { maxBufferSize: 64, onError: (e) => errors.push(e.type) });
    decoder.push(`data: ${'x'.repeat(200)}`);
    expect(errors).toEqual(['max-buffer-size-exceeded']);
  });
});
