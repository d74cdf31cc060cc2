import Ajv, { _, type ErrorObject, type KeywordCxt, type ValidateFunction } from 'ajv';
import { type FieldError, ValidationFailed } from '../../platform/errors/domain-error';
import { isObject } from './json-guards';

/** A JSON Schema (draft-07, as ajv compiles it), optionally annotated with {@link INVALID_MESSAGE}. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * Annotation keyword: the one message reported when the value at this schema has the wrong
 * shape (its `type`, `enum` or `anyOf`/`oneOf` fail), e.g. "must be a string or an array of
 * content parts" instead of ajv's "must be string,array".
 */
export const INVALID_MESSAGE = 'invalidMessage';

const COMBINATORS = new Set(['anyOf', 'oneOf']);
/** Keywords saying that a value is not of a schema's shape at all (as opposed to a flaw inside it). */
const SHAPE_KEYWORDS = new Set(['type', 'enum', 'const', 'anyOf', 'oneOf']);
const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
};
const COMPARISONS: Record<string, string> = { '>=': 'at least', '>': 'greater than', '<=': 'at most', '<': 'less than' };

/**
 * Keyword `tagSwitch: { field, cases }`: an object whose `field` equals a key of `cases` must also
 * match that case's schema; other values (unknown part or block types) are left alone. Like
 * OpenAPI's discriminator, one comparison per case picks the schema; `if`/`then` or `oneOf`
 * would run every other case to failure, allocating an error object each time.
 */
const TAG_SWITCH = 'tagSwitch';
type TagSwitch = { field: string; cases: Record<string, JsonSchema> };

// One instance for every request schema; each is compiled once, when its module loads.
const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false });
ajv.addKeyword({ keyword: INVALID_MESSAGE, schemaType: 'string' });
ajv.addKeyword({
  keyword: TAG_SWITCH,
  type: 'object',
  schemaType: 'object',
  code(cxt: KeywordCxt): void {
    const { gen, data, it } = cxt;
    const { field, cases } = cxt.schema as TagSwitch;
    const tag = gen.const('tag', _`${data}[${field}]`);
    const valid = gen.let('valid', true);
    gen.if(false);
    for (const value of Object.keys(cases)) {
      gen.elseIf(_`${tag} === ${value}`);
      cxt.subschema(
        {
          schema: cases[value],
          topSchemaRef: it.topSchemaRef,
          schemaPath: _`${it.schemaPath}.tagSwitch.cases[${value}]`,
          errSchemaPath: `${it.errSchemaPath}/${TAG_SWITCH}/cases/${escapeJsonPointer(value)}`,
        },
        valid,
      );
    }
    gen.endIf();
    cxt.ok(valid);
  },
});

/**
 * A request-body check compiled once from a JSON Schema. On failure it throws
 * {@link ValidationFailed} naming every malformed field in the gateway's path style
 * (`messages[0].content[1].image_url.url`); a valid body costs one call of ajv's generated code.
 */
export class SchemaValidator<T> {
  private readonly validate: ValidateFunction;
  /** `invalidMessage` annotations by the schema path (as ajv writes `schemaPath`) of their schema. */
  private readonly messages: ReadonlyMap<string, string>;

  constructor(schema: JsonSchema) {
    this.validate = ajv.compile(schema);
    this.messages = collectMessages(schema);
  }

  assert(body: unknown): asserts body is T {
    if (this.validate(body)) return;
    throw new ValidationFailed(this.fieldErrors(this.validate.errors ?? [], body));
  }

  private fieldErrors(errors: readonly ErrorObject[], body: unknown): FieldError[] {
    const seen = new Set<string>();
    const fieldErrors: FieldError[] = [];
    for (const described of describeAll(errors, this.messages)) {
      const field = fieldPath(described.instancePath, described.property, body);
      if (seen.has(field)) continue;
      seen.add(field);
      fieldErrors.push({ field, message: described.message });
    }
    return fieldErrors;
  }
}

// ---------------------------------------------------------------------------------------------
// Schema builders: unknown fields are allowed everywhere, so objects only type the fields they name
// ---------------------------------------------------------------------------------------------

export const STRING: JsonSchema = { type: 'string' };
export const NUMBER: JsonSchema = { type: 'number' };
export const INTEGER: JsonSchema = { type: 'integer' };
export const BOOLEAN: JsonSchema = { type: 'boolean' };
export const ANY_OBJECT: JsonSchema = { type: 'object', additionalProperties: true };

/** An object with the given known fields; any other field is allowed. */
export function object(properties: Record<string, JsonSchema>, required: readonly string[] = []): JsonSchema {
  return { type: 'object', additionalProperties: true, properties, ...(required.length > 0 ? { required } : {}) };
}

/**
 * A reference to `$defs[name]` of the root schema. ajv inlines a definition unless it holds a
 * `$ref` itself, in which case it becomes a function of its own. Keep big, repeated sub-schemas
 * (messages, content blocks) behind such references: V8 does not optimize a function above
 * ~60 KB of bytecode, and one all-inlined request validator ran ten times slower.
 */
export function ref(name: string): JsonSchema {
  return { $ref: `#/$defs/${name}` };
}

export function arrayOf(items: JsonSchema): JsonSchema {
  return { type: 'array', items };
}

/** Adds `null` to the schema's `type`: an optional field sent as `null` is treated as not set. */
export function nullable(schema: JsonSchema): JsonSchema {
  const type = schema['type'];
  if (type === undefined) throw new Error('nullable() needs a schema with a `type`');
  const types: unknown[] = Array.isArray(type) ? type : [type];
  return { ...schema, type: [...types, 'null'] };
}

export function oneOfValues(values: readonly string[]): JsonSchema {
  return { enum: values };
}

/**
 * Checks an object against the schema of its tag (`cases[body[field]]`); an object with another
 * tag matches none and is left alone. Spread it next to the object's `type`/`properties`.
 */
export function switchOn(field: string, cases: Record<string, JsonSchema>): JsonSchema {
  const tagSwitch: TagSwitch = { field, cases };
  return { [TAG_SWITCH]: tagSwitch };
}

/** Applies `then` to an object whose `field` matches `match`; a non-object (`null`, …) never matches. */
export function whenField(field: string, match: JsonSchema, then: JsonSchema): JsonSchema {
  return { if: { type: 'object', properties: { [field]: match }, required: [field] }, then };
}

export function withMessage(schema: JsonSchema, message: string): JsonSchema {
  return { ...schema, [INVALID_MESSAGE]: message };
}

// ---------------------------------------------------------------------------------------------
// ajv errors -> field errors
// ---------------------------------------------------------------------------------------------

type Described = { instancePath: string; property?: string; message: string };

/**
 * Maps ajv's errors, in order. The errors of an `anyOf`/`oneOf` branch come right before the
 * combinator's own error: they are collapsed into the errors of the one branch that took the
 * value's shape (its type and tag matched, something inside is wrong), or into one message for the
 * field when no branch did.
 */
function describeAll(errors: readonly ErrorObject[], messages: ReadonlyMap<string, string>): Described[] {
  const described: Described[] = [];
  for (let i = 0; i < errors.length; ) {
    const owner = outermostCombinator(errors, i);
    if (owner === undefined) {
      const one = describe(errors[i], messages);
      if (one) described.push(one);
      i += 1;
      continue;
    }
    described.push(...collapse(errors[owner], errors.slice(i, owner), messages));
    i = owner + 1;
  }
  return described;
}

/** The index of the outermost combinator error whose branches produced `errors[from]`, if any. */
function outermostCombinator(errors: readonly ErrorObject[], from: number): number | undefined {
  const schemaPath = errors[from].schemaPath;
  let owner: number | undefined;
  for (let j = from; j < errors.length; j++) {
    const candidate = errors[j];
    if (!COMBINATORS.has(candidate.keyword)) continue;
    if (j === from || schemaPath.startsWith(`${candidate.schemaPath}/`)) owner = j;
  }
  return owner;
}

function collapse(combinator: ErrorObject, branchErrors: readonly ErrorObject[], messages: ReadonlyMap<string, string>): Described[] {
  const branches = new Map<string, ErrorObject[]>();
  for (const error of branchErrors) {
    const branch = error.schemaPath.slice(combinator.schemaPath.length + 1).split('/', 1)[0];
    branches.set(branch, [...(branches.get(branch) ?? []), error]);
  }
  const taken = [...branches.values()].find((errors) => !errors.some((e) => e.instancePath === combinator.instancePath && SHAPE_KEYWORDS.has(e.keyword)));
  if (taken) return describeAll(taken, messages);
  const message = messages.get(parentOf(combinator.schemaPath)) ?? typeMessageOf(branchErrors, combinator.instancePath) ?? 'does not match any allowed form';
  return [{ instancePath: combinator.instancePath, message }];
}

/** "must be a string or an object" when every branch failed on its type at the field. */
function typeMessageOf(branchErrors: readonly ErrorObject[], instancePath: string): string | undefined {
  const atField = branchErrors.filter((e) => e.instancePath === instancePath);
  if (atField.length === 0 || !atField.every((e) => e.keyword === 'type')) return undefined;
  return typeMessage(atField.flatMap((e) => typesOf(e.params['type'])));
}

function describe(error: ErrorObject, messages: ReadonlyMap<string, string>): Described | undefined {
  switch (error.keyword) {
    case 'if':
      return undefined; // reported through the errors of its `then`/`else`
    case 'required':
      return { instancePath: error.instancePath, property: String(error.params['missingProperty']), message: 'is required' };
    default:
      return { instancePath: error.instancePath, message: messages.get(parentOf(error.schemaPath)) ?? messageOf(error) };
  }
}

function messageOf(error: ErrorObject): string {
  switch (error.keyword) {
    case 'type':
      return typeMessage(typesOf(error.params['type']));
    case 'enum':
      return valuesMessage(error.params['allowedValues']);
    case 'const':
      return valuesMessage([error.params['allowedValue']]);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${COMPARISONS[String(error.params['comparison'])] ?? String(error.params['comparison'])} ${String(error.params['limit'])}`;
    default:
      return error.message ?? 'is invalid';
  }
}

function typesOf(type: unknown): string[] {
  if (Array.isArray(type)) return type.map(String);
  return typeof type === 'string' ? type.split(',') : [];
}

function typeMessage(types: readonly string[]): string {
  const names = [...new Set(types)].filter((t) => t !== 'null').map((t) => TYPE_NAMES[t] ?? t);
  return `must be ${names.join(' or ')}`;
}

function valuesMessage(values: unknown): string {
  const allowed = (Array.isArray(values) ? values : []).filter((v) => v !== null).map(String);
  return allowed.length === 1 ? `must be "${allowed[0]}"` : `must be one of: ${allowed.join(', ')}`;
}

/** `#/properties/a/type` -> `#/properties/a`: the schema holding the failed keyword. */
function parentOf(schemaPath: string): string {
  return schemaPath.slice(0, schemaPath.lastIndexOf('/'));
}

/**
 * `/messages/0/content` -> `messages[0].content`. The body is walked alongside, so that an index
 * is written `[i]` only inside arrays (a `logit_bias` key `"50256"` stays `.50256`).
 */
function fieldPath(instancePath: string, property: string | undefined, body: unknown): string {
  const segments = instancePath === '' ? [] : instancePath.slice(1).split('/').map(unescapeJsonPointer);
  let field = '';
  let value = body;
  for (const segment of segments) {
    if (Array.isArray(value)) {
      field += `[${segment}]`;
      value = value[Number(segment)];
    } else {
      field = field === '' ? segment : `${field}.${segment}`;
      value = isObject(value) ? value[segment] : undefined;
    }
  }
  if (property !== undefined) field = field === '' ? property : `${field}.${property}`;
  return field === '' ? 'body' : field;
}

function unescapeJsonPointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Records every `invalidMessage` under the schema path ajv reports for its schema. A `$defs` entry
 * that ajv compiles into a function of its own (one holding a `$ref`) reports paths from its own
 * root, so definitions are recorded both ways; an ambiguous path is a schema bug, caught at load.
 */
function collectMessages(schema: JsonSchema): Map<string, string> {
  const messages = new Map<string, string>();
  collect(schema, '#', messages);
  const defs = schema['$defs'];
  if (isObject(defs)) Object.values(defs).forEach((def) => collect(def, '#', messages));
  return messages;
}

function collect(node: unknown, path: string, into: Map<string, string>): void {
  if (Array.isArray(node)) {
    node.forEach((child, i) => collect(child, `${path}/${i}`, into));
    return;
  }
  if (!isObject(node)) return;
  const message = node[INVALID_MESSAGE];
  if (typeof message === 'string') {
    const known = into.get(path);
    if (known !== undefined && known !== message) throw new Error(`Schema path ${path} has two messages: "${known}" and "${message}"`);
    into.set(path, message);
  }
  for (const [key, child] of Object.entries(node)) {
    if (key !== INVALID_MESSAGE) collect(child, `${path}/${escapeJsonPointer(key)}`, into);
  }
}

/**
 * A schema-path segment. ajv also URI-encodes property names, which leaves the identifiers used
 * as keys here unchanged, but writes `$defs` segments as they appear in a `$ref`: unencoded.
 */
function escapeJsonPointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
