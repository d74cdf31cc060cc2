import { splitModelName, weightedOrder } from './candidates';

describe('weightedOrder', () => {
  it('puts an item first in proportion to its weight', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const firsts = { a: 0, b: 0 };
    for (let i = 0; i < 20000; i++) firsts[weightedOrder(['a', 'b'] as const, (x) => (x === 'a' ? 3 : 1), random)[0]] += 1;
    expect(firsts.a / 20000).toBeGreaterThan(0.72);
    expect(firsts.a / 20000).toBeLessThan(0.78);
  });

  it('keeps every item exactly once', () => {
    expect(weightedOrder([1, 2, 3, 4], () => 1).sort()).toEqual([1, 2, 3, 4]);
  });
});

describe('splitModelName', () => {
  const isProvider = (id: string) => ['openai', 'together-ai'].includes(id);

  it('reads a provider prefix', () => {
    expect(splitModelName('openai/gpt-4o', isProvider)).toEqual({ provider: 'openai', model: 'gpt-4o' });
    expect(splitModelName('together-ai/meta-llama/Llama-3.3-70B', isProvider)).toEqual({ provider: 'together-ai', model: 'meta-llama/Llama-3.3-70B' });
  });

  it('leaves a name whose prefix is not a provider bare', () => {
    expect(splitModelName('meta-llama/Llama-3.3-70B', isProvider)).toEqual({ model: 'meta-llama/Llama-3.3-70B' });
    expect(splitModelName('gpt-4o', isProvider)).toEqual({ model: 'gpt-4o' });
  });
});
