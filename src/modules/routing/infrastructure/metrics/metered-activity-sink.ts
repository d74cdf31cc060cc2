import type { ActivityEntry, ActivitySink, RequestTiming } from '../../application/ports/activity-sink.port';
import type { Registry } from 'prom-client';
import { ActivityWriterStats, GatewayMetrics } from './gateway-metrics';

export type MetricsLogger = { warn(message: string): void };

/**
 * Derives the request metrics from what the proxy hands to the activity log, then forwards the
 * entry unchanged. Metrics never fail a request or lose a record: an error while counting is
 * logged (once) and the entry still goes to the wrapped sink.
 */
export class MeteredActivitySink implements ActivitySink {
  private warned = false;

  constructor(
    private readonly inner: ActivitySink,
    private readonly metrics: GatewayMetrics,
    private readonly logger: MetricsLogger,
  ) {}

  record(entry: ActivityEntry, timing?: RequestTiming): void {
    try {
      this.metrics.recordRequest(entry, timing);
    } catch (error) {
      if (!this.warned) {
        this.warned = true;
        this.logger.warn(`metrics: could not count request ${entry.requestId} (further failures are not logged): ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.inner.record(entry, timing);
  }
}

/** `writer` behind the request metrics, its buffer and counters exposed too, all on `registry`. */
export function meteredActivitySink(writer: ActivitySink & ActivityWriterStats, registry: Registry, logger: MetricsLogger): ActivitySink {
  const metrics = GatewayMetrics.of(registry);
  metrics.watchActivityWriter(writer);
  return new MeteredActivitySink(writer, metrics, logger);
}
