import { BoundedLabel, OVERFLOW_LABEL } from './bounded-label';

describe('BoundedLabel', () => {
  it('passes the first N distinct values through and reports every later one as other', () => {
    const label = new BoundedLabel(3);
    expect(['a', 'b', 'a', 'c'].map((v) => label.value(v))).toEqual(['a', 'b', 'a', 'c']);
    expect(label.value('d')).toBe(OVERFLOW_LABEL);
    expect(label.value('e')).toBe(OVERFLOW_LABEL);
    expect(label.size).toBe(3);
  });

  it('keeps a value seen before the bound was reached', () => {
    const label = new BoundedLabel(2);
    label.value('gpt-4o');
    label.value('claude');
    for (let i = 0; i < 1000; i++) label.value(`junk-${i}`);
    expect(label.value('gpt-4o')).toBe('gpt-4o');
    expect(label.value('claude')).toBe('claude');
    expect(label.size).toBe(2);
  });

  it('never yields more than N + 1 distinct values, whatever it is fed', () => {
    const label = new BoundedLabel(50);
    const out = new Set(Array.from({ length: 10_000 }, (_, i) => label.value(`model-${i % 777}`)));
    expect(out.size).toBe(51);
    expect(out.has(OVERFLOW_LABEL)).toBe(true);
  });

  it('cuts long values to the length limit, so that long variants share a slot', () => {
    const label = new BoundedLabel(10, 100);
    const long = 'x'.repeat(100);
    expect(label.value(`${long}-one`)).toBe(long);
    expect(label.value(`${long}-two`)).toBe(long);
    expect(label.size).toBe(1);
  });

  it('refuses a bound below 1', () => {
    expect(() => new BoundedLabel(0)).toThrow(RangeError);
  });
});
