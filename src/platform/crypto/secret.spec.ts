import { inspect } from 'node:util';
import { Secret } from './secret';

const VALUE = 'sk-live-plaintext-value';

describe('Secret', () => {
  const secret = new Secret(VALUE);

  it('reveals its value on request', () => {
    expect(secret.reveal()).toBe(VALUE);
  });

  it.each<[string, () => string]>([
    ['JSON.stringify', () => JSON.stringify({ apiKey: secret })],
    ['String()', () => String(secret)],
    ['a template literal', () => `${secret}`],
    ['string concatenation', () => 'key=' + secret],
    ['util.inspect', () => inspect({ nested: { apiKey: secret } }, { depth: 10, showHidden: true })],
    ['util.inspect without custom inspectors', () => inspect(secret, { customInspect: false, showHidden: true })],
    ['object spread', () => JSON.stringify({ ...secret })],
    ['Object.entries', () => JSON.stringify(Object.entries(secret))],
  ])('shows only its mask through %s', (_way, print) => {
    const printed = print();

    expect(printed).not.toContain(VALUE);
  });

  it('prints the default mask', () => {
    expect(JSON.stringify({ apiKey: secret })).toBe('{"apiKey":"••••"}');
    expect(`${secret}`).toBe('••••');
    expect(inspect(secret)).toBe('••••');
  });

  it('prints the mask it was given', () => {
    const masked = new Secret({ token: VALUE }, 'sk-live-••••lue');

    expect(JSON.stringify(masked)).toBe('"sk-live-••••lue"');
    expect(String(masked)).toBe('sk-live-••••lue');
    expect(masked.reveal()).toEqual({ token: VALUE });
  });
});
