import type { CallerFormat, CanonicalUsage } from './canonical/chat';
import type { ProviderError } from './canonical/provider-error';

/** The wire format a provider endpoint speaks (the families this gateway translates to and from). */
export type EgressFamily = 'openai' | 'anthropic';

/** Where and how to send one attempt; built by the router from an integration or a platform credential. */
export type UpstreamTarget = {
  family: EgressFamily;
  /** Provider id from the catalog; selects the OpenAI-compatible profile. */
  providerId: string;
  /** e.g. `https://api.openai.com/v1`, `https://api.anthropic.com`. */
  baseUrl: string;
  /** The provider's own model id. */
  model: string;
  /** Auth and custom headers, already revealed: only the signer sees them. */
  headers: Record<string, string>;
  /** Every secret in `headers`, for redacting provider echoes. */
  secrets: readonly string[];
  /** The model's output limit from the catalog (Anthropic needs `max_tokens`). */
  maxOutputTokens?: number;
};

/** One caller request, already validated against the caller's format. */
export type ChatCall = {
  caller: CallerFormat;
  body: Record<string, unknown>;
  stream: boolean;
  /** The model name the caller sent; echoed in translated answers. */
  requestedModel: string;
  /** Caller headers that are part of the caller's API (`anthropic-version`, `anthropic-beta`). */
  passHeaders: Record<string, string>;
  signal: AbortSignal;
  timeoutMs: number;
};

export type ChatResult = {
  /** The answer in the caller's format, serialized (a same-format answer is passed on byte for byte). */
  body: string;
  usage: CanonicalUsage;
  servedModel: string;
};

/** A stream whose upstream answered 2xx: frames are SSE text in the caller's format, to write as they come. */
export type ChatStream = {
  frames: AsyncIterable<string>;
  usage(): CanonicalUsage;
  /** After `frames` ends: whether the stream finished cleanly, and why not. */
  failure(): ProviderError | undefined;
  servedModel(): string;
};

/** Sends a chat request to an upstream in its family's format, translating when the caller speaks another. */
export abstract class ProviderClient {
  abstract chat(call: ChatCall, target: UpstreamTarget): Promise<ChatResult>;
  abstract streamChat(call: ChatCall, target: UpstreamTarget): Promise<ChatStream>;
}
