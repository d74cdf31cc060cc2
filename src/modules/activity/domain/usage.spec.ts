import { ValidationFailed } from '../../../platform/errors/domain-error';
import { NO_USAGE, orderUsageRows, sourceOf, toUsageRow, usageRange, withErrorRate, type UsageCounts, type UsageKey, type UsageRow } from './usage';

const NOW = new Date('2026-03-31T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

function row(key: UsageKey, counts: Partial<UsageCounts>): UsageRow {
  return toUsageRow({ key, counts: { ...NO_USAGE, ...counts } });
}

describe('usage range', () => {
  it('defaults to the 30 days up to now', () => {
    expect(usageRange({}, NOW)).toEqual({ from: new Date(NOW.getTime() - 30 * DAY), to: NOW });
  });

  it('defaults from to 30 days before the given to', () => {
    const to = new Date('2026-03-10T00:00:00.000Z');
    expect(usageRange({ to }, NOW)).toEqual({ from: new Date('2026-02-08T00:00:00.000Z'), to });
  });

  it('keeps an explicit from, up to now', () => {
    const from = new Date('2026-03-01T00:00:00.000Z');
    expect(usageRange({ from }, NOW)).toEqual({ from, to: NOW });
  });

  it.each([
    ['from after to', { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') }, 'must be earlier than to'],
    ['an empty range', { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') }, 'must be earlier than to'],
    ['a from in the future, with to defaulting to now', { from: new Date(NOW.getTime() + 1000) }, 'must be earlier than to'],
    ['a range over 366 days', { from: new Date(NOW.getTime() - 366 * DAY - 1), to: NOW }, 'must be at most 366 days before to'],
  ])('refuses %s, naming from', (_name, asked, message) => {
    expect(() => usageRange(asked, NOW)).toThrow(expect.objectContaining({ constructor: ValidationFailed, errors: [{ field: 'from', message }] }));
  });

  it('accepts exactly 366 days', () => {
    const from = new Date(NOW.getTime() - 366 * DAY);
    expect(usageRange({ from, to: NOW }, NOW)).toEqual({ from, to: NOW });
  });
});

describe('usage source of a row', () => {
  it.each([
    [{ byokRequests: 3, platformRequests: 0 }, 'byok'],
    [{ byokRequests: 0, platformRequests: 2 }, 'platform'],
    [{ byokRequests: 1, platformRequests: 1 }, 'mixed'],
    [{ byokRequests: 0, platformRequests: 0 }, null],
  ] as const)('%j is %s', (counts, source) => {
    expect(sourceOf(counts)).toBe(source);
  });
});

describe('usage error rate', () => {
  it('is errors over requests, to 4 decimals', () => {
    expect(withErrorRate({ ...NO_USAGE, requests: 3, errorRequests: 1 }).errorRate).toBe(0.3333);
    expect(withErrorRate({ ...NO_USAGE, requests: 8, errorRequests: 8 }).errorRate).toBe(1);
  });

  it('is 0 without requests', () => {
    expect(withErrorRate(NO_USAGE).errorRate).toBe(0);
  });
});

describe('usage row order', () => {
  it('puts the biggest spend first, then the most requests, then the key (nulls last)', () => {
    const rows = [
      row({ provider: 'openai', model: 'b' }, { requests: 1, byokSpendUsd: 0.5 }),
      row({ provider: null, model: 'z' }, { requests: 9 }),
      row({ provider: 'openai', model: 'c' }, { requests: 1, platformSpendUsd: 0.2, byokSpendUsd: 0.4 }),
      row({ provider: 'anthropic', model: 'a' }, { requests: 9 }),
      row({ provider: 'openai', model: 'a' }, { requests: 1, byokSpendUsd: 0.5 }),
      row({ provider: 'openai', model: 'd' }, { requests: 2 }),
    ];
    expect(orderUsageRows('model', rows).map((r) => r.key)).toEqual([
      { provider: 'openai', model: 'c' },
      { provider: 'openai', model: 'a' },
      { provider: 'openai', model: 'b' },
      { provider: 'anthropic', model: 'a' },
      { provider: null, model: 'z' },
      { provider: 'openai', model: 'd' },
    ]);
  });

  it('puts days in calendar order, whatever they cost', () => {
    const rows = [row({ day: '2026-03-02' }, { requests: 1 }), row({ day: '2026-03-01' }, { requests: 1, byokSpendUsd: 0.01 }), row({ day: '2026-02-28' }, { requests: 5 })];
    expect(orderUsageRows('day', rows).map((r) => r.key)).toEqual([{ day: '2026-02-28' }, { day: '2026-03-01' }, { day: '2026-03-02' }]);
  });
});
