import type { FieldError } from '../../platform/errors/domain-error';
import { isObject } from './json-guards';

/**
 * Drop/reject rules for request parameters, shared by provider profiles (what a provider
 * cannot take) and translators (what another format cannot express).
 */
export interface ParamRule {
  /** `drop`: removed and reported; `reject`: the request fails naming the field. */
  action: 'drop' | 'reject';
  /** Why, for the drop report or the error message; ends with the documentation link when there is one. */
  reason: string;
  /** Values equivalent to leaving the parameter out; those are dropped, never rejected. */
  harmlessWhen?: (value: unknown) => boolean;
}

/**
 * Keyed by field path: `temperature`, `stream_options.include_obfuscation` (a nested field),
 * or `messages[].name` (a field of every message).
 */
export type ParamRules = Readonly<Record<string, ParamRule>>;

const isNullish = (value: unknown): boolean => value === null || value === undefined;

/** Common `harmlessWhen` predicates: the values that mean "not set". */
export const harmless = {
  isFalse: (value: unknown): boolean => value === false || isNullish(value),
  isZero: (value: unknown): boolean => value === 0 || isNullish(value),
  isOne: (value: unknown): boolean => value === 1 || isNullish(value),
  isEmptyObject: (value: unknown): boolean =>
    isNullish(value) || (typeof value === 'object' && value !== null && Object.keys(value).length === 0),
  isTextOnly: (value: unknown): boolean => isNullish(value) || (Array.isArray(value) && value.every((m) => m === 'text')),
};

export interface CheckedParams {
  body: Record<string, unknown>;
  dropped: string[];
  rejected: FieldError[];
}

/**
 * Runs drop/reject rules over a request body, returning a copy without the dropped fields.
 * A rejected field is reported as `messagePrefix: reason`; `null` and harmless values are
 * dropped rather than rejected.
 */
export function applyParamRules(
  input: Readonly<Record<string, unknown>>,
  rules: ParamRules,
  messagePrefix: string,
): CheckedParams {
  const checked: CheckedParams = { body: { ...input }, dropped: [], rejected: [] };
  for (const [path, rule] of Object.entries(rules)) applyRule(checked, path, rule, `${messagePrefix}: ${rule.reason}`);
  return checked;
}

type Verdict = 'keep' | 'drop' | 'reject';

function verdict(value: unknown, rule: ParamRule): Verdict {
  if (value === undefined) return 'keep';
  if (value === null || rule.harmlessWhen?.(value) === true) return 'drop';
  return rule.action;
}

function applyRule(checked: CheckedParams, path: string, rule: ParamRule, message: string): void {
  const perMessage = /^messages\[\]\.(.+)$/.exec(path);
  if (perMessage) return applyMessageRule(checked, perMessage[1], rule, message);
  const dot = path.indexOf('.');
  if (dot < 0) {
    const outcome = verdict(checked.body[path], rule);
    if (outcome === 'reject') checked.rejected.push({ field: path, message });
    if (outcome === 'drop') {
      delete checked.body[path];
      checked.dropped.push(path);
    }
    return;
  }
  const [head, nested] = [path.slice(0, dot), path.slice(dot + 1)];
  const parent = checked.body[head];
  if (!isObject(parent)) return;
  const outcome = verdict(parent[nested], rule);
  if (outcome === 'reject') checked.rejected.push({ field: path, message });
  if (outcome === 'drop') {
    checked.body[head] = withoutField(parent, nested);
    checked.dropped.push(path);
  }
}

function applyMessageRule(checked: CheckedParams, field: string, rule: ParamRule, message: string): void {
  const messages = checked.body.messages;
  if (!Array.isArray(messages)) return;
  let droppedAny = false;
  const kept = messages.map((entry: unknown, index) => {
    if (!isObject(entry)) return entry;
    const outcome = verdict(entry[field], rule);
    if (outcome === 'reject') checked.rejected.push({ field: `messages[${index}].${field}`, message });
    if (outcome !== 'drop') return entry;
    droppedAny = true;
    return withoutField(entry, field);
  });
  if (!droppedAny) return;
  checked.body.messages = kept;
  checked.dropped.push(`messages[].${field}`);
}

function withoutField(source: { readonly [key: string]: unknown }, field: string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...source };
  delete copy[field];
  return copy;
}
