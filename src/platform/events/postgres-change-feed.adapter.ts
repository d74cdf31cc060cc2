import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { InProcessChangeFeed } from './in-process-change-feed.adapter';

const PG_CHANNEL = 'keyway_changes';

/**
 * Shares changes between instances through PostgreSQL LISTEN/NOTIFY on one dedicated
 * connection. Local listeners get the change at once; the echo of our own notification is
 * ignored. If the listening connection drops, it reconnects and every subscriber is told
 * to drop everything (`{ all: 'true' }`), since notifications may have been missed.
 */
export class PostgresChangeFeed extends InProcessChangeFeed {
  private readonly instanceId = randomUUID();
  private readonly logger = new Logger('ChangeFeed');
  private client?: Client;
  private closed = false;
  private channels = new Set<string>();

  constructor(private readonly url: string) {
    super();
  }

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    client.on('notification', (msg) => this.onNotification(msg.payload));
    client.on('error', (error) => {
      this.logger.warn(`change feed connection lost (${error.message}); reconnecting`);
      void this.reconnect();
    });
    await client.connect();
    await client.query(`listen ${PG_CHANNEL}`);
    this.client = client;
  }

  override async publish(channel: string, payload: Record<string, string>): Promise<void> {
    this.channels.add(channel);
    this.deliver(channel, payload);
    await this.client?.query('select pg_notify($1, $2)', [PG_CHANNEL, JSON.stringify({ from: this.instanceId, channel, payload })]);
  }

  override subscribe(channel: string, listener: (payload: Record<string, string>) => void): () => void {
    this.channels.add(channel);
    return super.subscribe(channel, listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
  }

  private onNotification(raw: string | undefined): void {
    if (!raw) return;
    try {
      const message = JSON.parse(raw) as { from: string; channel: string; payload: Record<string, string> };
      if (message.from !== this.instanceId) this.deliver(message.channel, message.payload);
    } catch {
      this.logger.warn('ignored a malformed change notification');
    }
  }

  private async reconnect(): Promise<void> {
    if (this.closed) return;
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        await this.start();
        for (const channel of this.channels) this.deliver(channel, { all: 'true' });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * attempt)));
      }
    }
  }
}
