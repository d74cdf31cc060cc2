import { UnsupportedParameter } from '../canonical/translation.errors';
import { deepSeekProfile } from '../deepseek/deepseek.profile';
import { fireworksAiProfile } from '../fireworks-ai/fireworks-ai.profile';
import { groqProfile } from '../groq/groq.profile';
import { mistralProfile } from '../mistral/mistral.profile';
import { openAiProfile } from '../openai/openai.profile';
import type { OpenAiPassThroughBody } from '../openai/openai.wire';
import { perplexityProfile } from '../perplexity/perplexity.profile';
import { xAiProfile } from '../xai/xai.profile';
import { applyProfile } from './apply-profile';
import { OPENAI_COMPATIBLE_PROFILES } from './profiles';

const hello = [{ role: 'user', content: 'Hello' }];

function rejection(run: () => unknown): UnsupportedParameter {
  try {
    run();
  } catch (error) {
    if (error instanceof UnsupportedParameter) return error;
    throw error;
  }
  throw new Error('expected UnsupportedParameter');
}

describe('applyProfile', () => {
  it('forwards fields the profile does not mention, untouched', () => {
    const body: OpenAiPassThroughBody = {
      model: 'llama-3.3-70b-versatile',
      messages: hello,
      temperature: 0.2,
      reasoning_format: 'parsed',
      some_future_field: { nested: [1, 2] },
    };
    const { body: out, dropped } = applyProfile(body, groqProfile);
    expect(out).toEqual(body);
    expect(dropped).toEqual([]);
  });

  it('does not modify the body it is given', () => {
    const body: OpenAiPassThroughBody = { model: 'x', messages: [{ role: 'user', content: 'hi', name: 'ann' }], store: true };
    const copy = structuredClone(body);
    applyProfile(body, groqProfile);
    expect(body).toEqual(copy);
  });

  it('rejects every unsupported parameter by name, all at once', () => {
    const error = rejection(() =>
      applyProfile({ model: 'llama-3.3-70b-versatile', messages: hello, logprobs: true, n: 3, logit_bias: { '50256': -100 } }, groqProfile),
    );
    expect(error.type).toBe('unsupported-parameter');
    expect(error.kind).toBe('invalid');
    expect(error.errors.map((e) => e.field).sort()).toEqual(['logit_bias', 'logprobs', 'n']);
    expect(error.errors[0].message).toMatch(/^not supported by Groq: .*https:\/\/console\.groq\.com\/docs\/openai$/);
  });

  it('drops values equivalent to leaving the parameter out instead of rejecting them', () => {
    const { body, dropped } = applyProfile(
      { model: 'llama-3.3-70b-versatile', messages: hello, logprobs: false, n: 1, logit_bias: {}, top_logprobs: null },
      groqProfile,
    );
    expect(body).toEqual({ model: 'llama-3.3-70b-versatile', messages: hello });
    expect(dropped.sort()).toEqual(['logit_bias', 'logprobs', 'n', 'top_logprobs']);
  });

  it('drops a per-message field from every message and reports it once', () => {
    const { body, dropped } = applyProfile(
      {
        model: 'llama-3.3-70b-versatile',
        messages: [
          { role: 'system', content: 'Be brief', name: 'ops' },
          { role: 'user', content: 'Hi', name: 'ann' },
          { role: 'assistant', content: 'Hello' },
        ],
      },
      groqProfile,
    );
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
    ]);
    expect(dropped).toEqual(['messages[].name']);
  });

  it('drops OpenAI platform hints and nested fields for other providers', () => {
    const { body, dropped } = applyProfile(
      {
        model: 'accounts/fireworks/models/llama-v3p1-8b-instruct',
        messages: hello,
        store: true,
        metadata: { team: 'a' },
        prompt_cache_key: 'k',
        stream: true,
        stream_options: { include_usage: true, include_obfuscation: false },
      },
      fireworksAiProfile,
    );
    expect(dropped.sort()).toEqual(['metadata', 'prompt_cache_key', 'store', 'stream_options.include_obfuscation']);
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it('rejects OpenAI-only features that would change the answer', () => {
    const error = rejection(() =>
      applyProfile({ model: 'm', messages: hello, modalities: ['text', 'audio'], audio: { voice: 'alloy', format: 'wav' } }, fireworksAiProfile),
    );
    expect(error.errors.map((e) => e.field).sort()).toEqual(['audio', 'modalities']);
    expect(applyProfile({ model: 'm', messages: hello, modalities: ['text'] }, fireworksAiProfile).dropped).toEqual(['modalities']);
  });

  it('sets documented defaults only when the caller left them out', () => {
    expect(applyProfile({ model: 'm', messages: hello }, fireworksAiProfile).body.context_length_exceeded_behavior).toBe('error');
    const kept = applyProfile({ model: 'm', messages: hello, context_length_exceeded_behavior: 'truncate' }, fireworksAiProfile);
    expect(kept.body.context_length_exceeded_behavior).toBe('truncate');
  });

  describe('output-token cap', () => {
    it('renames max_tokens to max_completion_tokens for OpenAI', () => {
      const { body, renamed } = applyProfile({ model: 'o3-mini', messages: hello, max_tokens: 500 }, openAiProfile);
      expect(body).toEqual({ model: 'o3-mini', messages: hello, max_completion_tokens: 500 });
      expect(renamed).toEqual([{ from: 'max_tokens', to: 'max_completion_tokens' }]);
    });

    it('renames max_completion_tokens to max_tokens for Mistral, which refuses the new name', () => {
      const { body } = applyProfile({ model: 'mistral-large-latest', messages: hello, max_completion_tokens: 500 }, mistralProfile);
      expect(body).toEqual({ model: 'mistral-large-latest', messages: hello, max_tokens: 500 });
    });

    it('keeps the wanted name when the caller sent both', () => {
      const out = applyProfile({ model: 'gpt-4o', messages: hello, max_tokens: 10, max_completion_tokens: 20 }, openAiProfile);
      expect(out.body.max_completion_tokens).toBe(20);
      expect(out.body.max_tokens).toBeUndefined();
      expect(out.dropped).toEqual(['max_tokens']);
    });
  });

  it('renames parameters the provider knows under another name', () => {
    const { body } = applyProfile({ model: 'mistral-small-latest', messages: hello, seed: 42, user: 'u-1' }, mistralProfile);
    expect(body).toEqual({ model: 'mistral-small-latest', messages: hello, random_seed: 42 });
  });

  describe('model rules', () => {
    it('applies rules to matching models only', () => {
      const reasoner = applyProfile({ model: 'deepseek-reasoner', messages: hello, temperature: 0.3, top_p: 0.9 }, deepSeekProfile);
      expect(reasoner.dropped.sort()).toEqual(['temperature', 'top_p']);
      const chat = applyProfile({ model: 'deepseek-chat', messages: hello, temperature: 0.3 }, deepSeekProfile);
      expect(chat.body.temperature).toBe(0.3);
      expect(() => applyProfile({ model: 'deepseek-reasoner', messages: hello, logprobs: true }, deepSeekProfile)).toThrow(UnsupportedParameter);
    });

    it('rejects stop and penalties on xAI reasoning models but not on non-reasoning ones', () => {
      const error = rejection(() =>
        applyProfile({ model: 'grok-4', messages: hello, stop: ['\n'], presence_penalty: 0.5, frequency_penalty: 0 }, xAiProfile),
      );
      expect(error.errors.map((e) => e.field).sort()).toEqual(['presence_penalty', 'stop']);
      expect(applyProfile({ model: 'grok-4-fast-non-reasoning', messages: hello, stop: ['\n'] }, xAiProfile).body.stop).toEqual(['\n']);
    });

    it('rejects reasoning_effort on Grok models without an effort setting', () => {
      expect(() => applyProfile({ model: 'grok-4-0709', messages: hello, reasoning_effort: 'high' }, xAiProfile)).toThrow(UnsupportedParameter);
      expect(applyProfile({ model: 'grok-3-mini', messages: hello, reasoning_effort: 'high' }, xAiProfile).body.reasoning_effort).toBe('high');
    });
  });

  it('rejects tools for Perplexity, whose Sonar models cannot call them', () => {
    const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];
    const error = rejection(() => applyProfile({ model: 'sonar-pro', messages: hello, tools, tool_choice: 'required' }, perplexityProfile));
    expect(error.errors.map((e) => e.field).sort()).toEqual(['tool_choice', 'tools']);
    const search = applyProfile({ model: 'sonar', messages: hello, web_search_options: { search_context_size: 'high' } }, perplexityProfile);
    expect(search.body.web_search_options).toEqual({ search_context_size: 'high' });
  });

  describe('stream usage', () => {
    it('asks for usage on the caller\'s behalf when told to, and says so', () => {
      const out = applyProfile({ model: 'gpt-4o', messages: hello, stream: true }, openAiProfile, { ensureStreamUsage: true });
      expect(out.body.stream_options).toEqual({ include_usage: true });
      expect(out.usageInjected).toBe(true);
    });

    it('does not inject when the caller asked already, or the provider reports usage unasked', () => {
      const asked = applyProfile(
        { model: 'gpt-4o', messages: hello, stream: true, stream_options: { include_usage: true } },
        openAiProfile,
        { ensureStreamUsage: true },
      );
      expect(asked.usageInjected).toBe(false);
      const mistral = applyProfile(
        { model: 'mistral-large-latest', messages: hello, stream: true, stream_options: { include_usage: true } },
        mistralProfile,
        { ensureStreamUsage: true },
      );
      expect(mistral.body.stream_options).toBeUndefined();
      expect(mistral.dropped).toEqual(['stream_options']);
      expect(mistral.usageInjected).toBe(false);
    });
  });
});

describe('OPENAI_COMPATIBLE_PROFILES', () => {
  it.each(Object.entries(OPENAI_COMPATIBLE_PROFILES))('%s is keyed by its id, uses HTTPS and bearer auth', (id, profile) => {
    expect(profile.id).toBe(id);
    expect(new URL(profile.baseUrl).protocol).toBe('https:');
    expect(profile.baseUrl.endsWith('/')).toBe(false);
    expect(profile.auth).toEqual({ header: 'authorization', scheme: 'Bearer' });
  });

  it.each(Object.entries(OPENAI_COMPATIBLE_PROFILES))('%s gives a reason for every rule', (_id, profile) => {
    const rules = [profile.unsupportedParams, ...(profile.modelRules ?? []).map((r) => r.unsupportedParams ?? {})];
    for (const rule of rules.flatMap((r) => Object.values(r))) expect(rule.reason.length).toBeGreaterThan(10);
  });
});
