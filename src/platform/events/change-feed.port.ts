/**
 * Change notifications that reach every gateway instance, so in-memory caches (API keys,
 * integrations, decrypted credentials) are dropped at once after a change anywhere.
 * Listeners on the publishing instance are called before `publish` resolves.
 */
export abstract class ChangeFeed {
  abstract publish(channel: string, payload: Record<string, string>): Promise<void>;
  abstract subscribe(channel: string, listener: (payload: Record<string, string>) => void): () => void;
}
