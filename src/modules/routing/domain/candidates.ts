/** Weighted random order (Efraimidis–Spirakis): each item is first with probability weight / total weight. */
export function weightedOrder<T>(items: readonly T[], weightOf: (item: T) => number, random: () => number = Math.random): T[] {
  if (items.length < 2) return [...items];
  return items
    .map((item) => ({ item, key: Math.pow(random() || Number.MIN_VALUE, 1 / Math.max(weightOf(item), 1e-9)) }))
    .sort((a, b) => b.key - a.key)
    .map((entry) => entry.item);
}

/** Splits `provider/model` into its provider id when the prefix is one; otherwise the name is bare. */
export function splitModelName(requested: string, isProvider: (id: string) => boolean): { provider?: string; model: string } {
  const slash = requested.indexOf('/');
  if (slash > 0) {
    const provider = requested.slice(0, slash);
    if (isProvider(provider)) return { provider, model: requested.slice(slash + 1) };
  }
  return { model: requested };
}
