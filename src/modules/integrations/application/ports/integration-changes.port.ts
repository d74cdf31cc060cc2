export type IntegrationChange = { integrationId: string; organizationId: string; kind: 'created' | 'updated' | 'credential' | 'deleted' | 'models' | 'health' };

/**
 * Tells every part of the gateway (and, with a shared adapter, every instance) that an
 * integration changed, so caches of its settings and decrypted credential are dropped.
 */
export abstract class IntegrationChanges {
  abstract publish(change: IntegrationChange): Promise<void>;
  abstract subscribe(listener: (change: IntegrationChange) => void): () => void;
}
