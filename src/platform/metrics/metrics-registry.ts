import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The application's own registry (never prom-client's global one: tests run several apps in one
 * process), with the standard process and Node.js metrics under their conventional unprefixed
 * names (`process_cpu_seconds_total`, `nodejs_heap_size_used_bytes`, …) so that stock dashboards
 * work; Keyway's own series are prefixed `keyway_`.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
