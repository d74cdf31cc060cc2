import { ChangeFeed } from './change-feed.port';

/** One process only: the embedded database serves a single instance, so local delivery is complete. */
export class InProcessChangeFeed implements ChangeFeed {
  private readonly listeners = new Map<string, Set<(payload: Record<string, string>) => void>>();

  async publish(channel: string, payload: Record<string, string>): Promise<void> {
    this.deliver(channel, payload);
  }

  deliver(channel: string, payload: Record<string, string>): void {
    for (const listener of this.listeners.get(channel) ?? []) listener(payload);
  }

  subscribe(channel: string, listener: (payload: Record<string, string>) => void): () => void {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }
}
