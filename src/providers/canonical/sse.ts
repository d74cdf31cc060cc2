import { createParser, type EventSourceMessage, type ParseError } from 'eventsource-parser';

export type SseMessage = EventSourceMessage;

/** Serializes one server-sent event; multi-line data becomes several `data:` lines. */
export function encodeSseEvent(event: string | undefined, data: string): string {
  const head = event === undefined ? '' : `event: ${event}\n`;
  const body = data
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join('');
  return `${head}${body}\n`;
}

export interface SseDecoder {
  /** Feeds the next bytes or text of the stream; complete events are delivered synchronously. */
  push(chunk: Uint8Array | string): void;
  /** Ends the stream, delivering a last event that lacked its terminating blank line. */
  end(): void;
}

export interface SseDecoderOptions {
  /** Largest partial event held between chunks, in characters (default 1 MiB). */
  maxBufferSize?: number;
  onError?: (error: ParseError) => void;
}

/**
 * Decodes a server-sent event stream chunk by chunk, without holding more than the event in
 * progress. UTF-8 sequences split across chunks are reassembled.
 */
export function createSseDecoder(onEvent: (message: SseMessage) => void, options: SseDecoderOptions = {}): SseDecoder {
  const parser = createParser({
    onEvent,
    onError: options.onError,
    maxBufferSize: options.maxBufferSize ?? 1024 * 1024,
  });
  const utf8 = new TextDecoder('utf-8');
  let ended = false;
  return {
    push(chunk) {
      if (ended) throw new Error('SSE stream already ended');
      const text = typeof chunk === 'string' ? chunk : utf8.decode(chunk, { stream: true });
      if (text.length > 0) parser.feed(text);
    },
    end() {
      if (ended) return;
      ended = true;
      const rest = utf8.decode();
      parser.feed(`${rest}\n\n`);
      parser.reset();
    },
  };
}
