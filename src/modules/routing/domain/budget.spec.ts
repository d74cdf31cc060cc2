import { DEFAULT_OUTPUT_ALLOWANCE, inputTokensUpperBound, nanosUp, outputTokensUpperBound, periodOf, windowEnd, windowStart } from './budget';

describe('budget windows', () => {
  it('a day and a month are UTC', () => {
    const at = Date.UTC(2026, 11, 31, 23, 30);
    expect(periodOf(at)).toEqual({ day: '2026-12-31', month: '2026-12' });
    expect(windowStart('daily', at).toISOString()).toBe('2026-12-31T00:00:00.000Z');
    expect(windowEnd('daily', at).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(windowStart('monthly', at).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(windowEnd('monthly', at).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('reservations round up to the nano-dollar', () => {
    expect(nanosUp(0.0000000011)).toBe(2);
    expect(nanosUp(0.000001)).toBe(1000);
    expect(nanosUp(0)).toBe(0);
  });
});

describe('worst-case tokens of a request', () => {
  it('counts every byte of the body as an input token', () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'héllo' }] };
    expect(inputTokensUpperBound(body)).toBe(Buffer.byteLength(JSON.stringify(body)));
  });

  it('adds an allowance for each image or document, however short its reference', () => {
    const text = { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'describe' }] }] };
    const images = {
      model: 'm',
      messages: [
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }, { type: 'text', text: 'and' }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/b.png' } }] }] },
      ],
    };
    expect(inputTokensUpperBound(text)).toBe(Buffer.byteLength(JSON.stringify(text)));
    expect(inputTokensUpperBound(images)).toBe(Buffer.byteLength(JSON.stringify(images)) + 2 * 2_000);
  });

  it('the output allowance is what the request asks for, times its completions', () => {
    expect(outputTokensUpperBound({ max_tokens: 300 }, 16_384)).toBe(300);
    expect(outputTokensUpperBound({ max_completion_tokens: 500, max_tokens: 300 }, 16_384)).toBe(500);
    expect(outputTokensUpperBound({ max_tokens: 300, n: 3 }, 16_384)).toBe(900);
  });

  it('without a limit in the request, the model’s output limit from the catalog, else a default', () => {
    expect(outputTokensUpperBound({}, 16_384)).toBe(16_384);
    expect(outputTokensUpperBound({ max_tokens: null }, undefined)).toBe(DEFAULT_OUTPUT_ALLOWANCE);
  });
});
