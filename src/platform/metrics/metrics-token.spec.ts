import { bearerMatches } from './metrics-token';

const TOKEN = 'scrape-me-0123456789abcdef';

describe('bearerMatches', () => {
  it('accepts the exact token as a bearer token', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['the token without the scheme', TOKEN],
    ['another scheme', `Basic ${TOKEN}`],
    ['a different token', 'Bearer scrape-me-0123456789abcdeX'],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`],
    ['the token with a suffix', `Bearer ${TOKEN}x`],
    ['an empty bearer', 'Bearer '],
  ])('refuses %s', (_what, header) => {
    expect(bearerMatches(header, TOKEN)).toBe(false);
  });
});
