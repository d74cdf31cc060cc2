import { isObject } from '../canonical/json-guards';
import { applyParamRules, type ParamRules } from '../canonical/param-rules';
import { UnsupportedParameter } from '../canonical/translation.errors';
import type { OpenAiPassThroughBody } from '../openai/openai.wire';
import type { OpenAiCompatibleProfile, OpenAiCompatibleQuirks } from './openai-compatible.profile';

export interface ApplyProfileOptions {
  /**
   * Ask a streaming provider for usage (`stream_options.include_usage`) even if the caller did
   * not, so the gateway can account for the tokens; see `usageInjected`.
   */
  ensureStreamUsage?: boolean;
}

export interface AppliedProfile {
  body: OpenAiPassThroughBody;
  /** Caller fields removed, each by a rule of the profile (`messages[].name` for per-message fields). */
  dropped: string[];
  renamed: Array<{ from: string; to: string }>;
  /** Usage was requested on the caller's behalf: strip the usage-only chunk before answering. */
  usageInjected: boolean;
}

export interface EffectiveProfile {
  rules: ParamRules;
  quirks: OpenAiCompatibleQuirks;
}

/** The provider's rules and quirks with those of every model rule matching `model` laid over them. */
export function effectiveProfile(profile: OpenAiCompatibleProfile, model: string): EffectiveProfile {
  let rules: ParamRules = profile.unsupportedParams;
  let quirks: OpenAiCompatibleQuirks = profile.quirks;
  for (const rule of profile.modelRules ?? []) {
    if (!rule.models.test(model)) continue;
    rules = { ...rules, ...rule.unsupportedParams };
    quirks = { ...quirks, ...rule.quirks };
  }
  return { rules, quirks };
}

/**
 * Fits a same-format Chat Completions body to a provider: rejects or drops the parameters it
 * cannot take, renames those it knows under another name, sets documented defaults. Fields the
 * profile does not mention pass through untouched. The input body is not modified.
 */
export function applyProfile(
  input: OpenAiPassThroughBody,
  profile: OpenAiCompatibleProfile,
  options: ApplyProfileOptions = {},
): AppliedProfile {
  const { rules, quirks } = effectiveProfile(profile, input.model);
  const checked = applyParamRules(input, rules, `not supported by ${profile.displayName}`);
  if (checked.rejected.length > 0) throw new UnsupportedParameter(checked.rejected);
  const body: OpenAiPassThroughBody = { ...checked.body, model: input.model };
  const dropped = [...checked.dropped];
  const renamed: Array<{ from: string; to: string }> = [];
  const rename = (from: string, to: string): void => {
    const outcome = renameField(body, from, to);
    if (outcome === 'renamed') renamed.push({ from, to });
    if (outcome === 'dropped') dropped.push(from);
  };
  if (quirks.maxTokensField === 'max_tokens') rename('max_completion_tokens', 'max_tokens');
  if (quirks.maxTokensField === 'max_completion_tokens') rename('max_tokens', 'max_completion_tokens');
  for (const [from, to] of Object.entries(quirks.renamedParams ?? {})) rename(from, to);
  for (const [field, value] of Object.entries(quirks.defaults ?? {})) {
    if (body[field] === undefined) body[field] = value;
  }
  const usageInjected = options.ensureStreamUsage === true && injectStreamUsage(body, quirks);
  return { body, dropped, renamed, usageInjected };
}

/** Moves `from` to `to`; when the caller sent both, `to` wins and `from` is dropped. */
function renameField(body: Record<string, unknown>, from: string, to: string): 'renamed' | 'dropped' | 'absent' {
  const value = body[from];
  if (value === undefined) return 'absent';
  delete body[from];
  if (body[to] !== undefined && body[to] !== null) return 'dropped';
  body[to] = value;
  return 'renamed';
}

function injectStreamUsage(body: Record<string, unknown>, quirks: OpenAiCompatibleQuirks): boolean {
  if (body.stream !== true || quirks.streamUsage !== 'stream_options') return false;
  const current = isObject(body.stream_options) ? body.stream_options : {};
  if (current.include_usage === true) return false;
  body.stream_options = { ...current, include_usage: true };
  return true;
}
