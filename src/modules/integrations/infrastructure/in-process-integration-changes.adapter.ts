import { IntegrationChange, IntegrationChanges } from '../application/ports/integration-changes.port';

/** Change notifications within one process (the embedded default, and the base of the shared adapters). */
export class InProcessIntegrationChanges implements IntegrationChanges {
  private readonly listeners = new Set<(change: IntegrationChange) => void>();

  async publish(change: IntegrationChange): Promise<void> {
    this.deliver(change);
  }

  deliver(change: IntegrationChange): void {
    for (const listener of this.listeners) listener(change);
  }

  subscribe(listener: (change: IntegrationChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
