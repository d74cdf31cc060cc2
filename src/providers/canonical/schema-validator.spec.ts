import { type FieldError, ValidationFailed } from '../../platform/errors/domain-error';
import { arrayOf, INTEGER, type JsonSchema, nullable, NUMBER, object, oneOfValues, SchemaValidator, STRING, switchOn, withMessage } from './schema-validator';

function errorsOf(schema: JsonSchema, body: unknown): FieldError[] {
  const validator: SchemaValidator<unknown> = new SchemaValidator<unknown>(schema);
  try {
    validator.assert(body);
  } catch (error) {
    if (error instanceof ValidationFailed) return error.errors ?? [];
    throw error;
  }
  return [];
}

const part: JsonSchema = {
  ...object({ type: STRING }, ['type']),
  ...switchOn('type', { image_url: object({ image_url: object({ url: STRING }, ['url']) }, ['image_url']), text: object({ text: STRING }, ['text']) }),
};

const chat = object(
  {
    model: STRING,
    messages: arrayOf(
      object(
        {
          role: oneOfValues(['system', 'user']),
          content: withMessage({ type: ['string', 'array'], items: part }, 'must be a string or an array of content parts'),
        },
        ['role'],
      ),
    ),
    temperature: nullable(NUMBER),
    max_tokens: { type: 'integer', minimum: 1 },
    logit_bias: { type: 'object', additionalProperties: NUMBER },
    choice: withMessage({ anyOf: [{ enum: ['auto', 'none'] }, object({ name: STRING }, ['name'])] }, 'must be auto, none or a named choice'),
    either: { anyOf: [STRING, INTEGER] },
  },
  ['model', 'messages'],
);

describe('SchemaValidator', () => {
  it('accepts a valid body with unknown fields and leaves it untouched', () => {
    const body = { model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'u', extra: 1 } }, { type: 'video' }] }], extra: true };
    expect(errorsOf(chat, body)).toEqual([]);
    expect(body.extra).toBe(true);
  });

  it('writes array indices in brackets and object keys with dots, even numeric ones', () => {
    expect(errorsOf(chat, { model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }], logit_bias: { '50256': 'x' } })).toEqual([
      { field: 'messages[0].content[0].image_url.url', message: 'is required' },
      { field: 'logit_bias.50256', message: 'must be a number' },
    ]);
  });

  it('renders types, enums, limits and annotated messages readably, and a non-object body as `body`', () => {
    expect(errorsOf(chat, { model: 1, messages: [{ role: 'robot', content: 5 }], temperature: 'hot', max_tokens: 0 })).toEqual([
      { field: 'model', message: 'must be a string' },
      { field: 'messages[0].role', message: 'must be one of: system, user' },
      { field: 'messages[0].content', message: 'must be a string or an array of content parts' },
      { field: 'temperature', message: 'must be a number' },
      { field: 'max_tokens', message: 'must be at least 1' },
    ]);
    expect(errorsOf(chat, [])).toEqual([{ field: 'body', message: 'must be an object' }]);
  });

  it('collapses anyOf branches into one message when no branch takes the value', () => {
    expect(errorsOf(chat, { model: 'm', messages: [], choice: 'sometimes', either: true })).toEqual([
      { field: 'choice', message: 'must be auto, none or a named choice' },
      { field: 'either', message: 'must be a string or an integer' },
    ]);
  });

  it('reports the inner errors of the anyOf branch that takes the value', () => {
    expect(errorsOf(chat, { model: 'm', messages: [], choice: { name: 3 } })).toEqual([{ field: 'choice.name', message: 'must be a string' }]);
    expect(errorsOf(chat, { model: 'm', messages: [], choice: {} })).toEqual([{ field: 'choice.name', message: 'is required' }]);
  });

  it('checks an object against the case of its tag only, and leaves unknown tags alone', () => {
    const content = [{ type: 'text', text: 1 }, { type: 'image_url', text: 1 }, { type: 'video', text: 1 }, { type: 7 }];
    expect(errorsOf(chat, { model: 'm', messages: [{ role: 'user', content }] })).toEqual([
      { field: 'messages[0].content[0].text', message: 'must be a string' },
      { field: 'messages[0].content[1].image_url', message: 'is required' },
      { field: 'messages[0].content[3].type', message: 'must be a string' },
    ]);
  });

  it('names a field once even when several keywords fail on it', () => {
    const schema = object({ tag: { type: 'string', enum: ['a', 'b'] } });
    expect(errorsOf(schema, { tag: 7 })).toEqual([{ field: 'tag', message: 'must be a string' }]);
  });
});
