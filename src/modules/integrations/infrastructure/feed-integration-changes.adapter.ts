import { ChangeFeed } from '../../../platform/events/change-feed.port';
import { IntegrationChange, IntegrationChanges } from '../application/ports/integration-changes.port';

const CHANNEL = 'integrations';

/** Integration changes over the shared change feed: every instance drops its cached settings and secrets. */
export class FeedIntegrationChanges implements IntegrationChanges {
  constructor(private readonly feed: ChangeFeed) {}

  publish(change: IntegrationChange): Promise<void> {
    return this.feed.publish(CHANNEL, change);
  }

  subscribe(listener: (change: IntegrationChange) => void): () => void {
    return this.feed.subscribe(CHANNEL, (payload) => listener(payload as IntegrationChange));
  }
}
