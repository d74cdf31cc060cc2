import { Injectable } from '@nestjs/common';
import { ChangeFeed } from '../../../platform/events/change-feed.port';
import { ApiKey, generateApiKey, hashApiKey, hashesMatch, prefixOf } from '../domain/api-key';
import { ApiKeyNotFound, ExpiryInPast } from '../domain/routing.errors';
import { ApiKeyRepository } from './ports/api-key-repository.port';

const CHANNEL = 'api-keys';
const NEGATIVE_TTL_MS = 5_000;
const MAX_NEGATIVE = 10_000;

export type AuthenticatedKey = { apiKeyId: string; projectId: string; organizationId: string };

/**
 * Gateway API keys. `authenticate` is on the hot path: keys are cached by prefix after the first
 * lookup (unknown prefixes briefly too, bounded), and any create or revoke anywhere drops the entry.
 */
@Injectable()
export class ApiKeyService {
  private readonly cache = new Map<string, ApiKey>();
  private readonly unknown = new Map<string, number>();

  constructor(
    private readonly repo: ApiKeyRepository,
    private readonly feed: ChangeFeed,
  ) {
    feed.subscribe(CHANNEL, (payload) => {
      if (payload.all) {
        this.cache.clear();
        this.unknown.clear();
        return;
      }
      this.cache.delete(payload.prefix);
      this.unknown.delete(payload.prefix);
    });
  }

  async create(input: { organizationId: string; projectId: string; name: string; expiresAt?: Date; createdByUserId: string }): Promise<{ apiKey: ApiKey; key: string }> {
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw new ExpiryInPast();
    const { key, prefix, hash } = generateApiKey();
    const apiKey = new ApiKey(input.organizationId, input.projectId, input.name.trim(), prefix, hash, input.createdByUserId, input.expiresAt ?? null);
    await this.repo.insert(apiKey);
    await this.feed.publish(CHANNEL, { prefix });
    return { apiKey, key };
  }

  list(projectId: string): Promise<ApiKey[]> {
    return this.repo.listByProject(projectId);
  }

  async get(projectId: string, id: string): Promise<ApiKey> {
    const key = await this.repo.findById(id);
    if (!key || key.projectId !== projectId) throw new ApiKeyNotFound();
    return key;
  }

  async revoke(projectId: string, id: string): Promise<ApiKey> {
    const key = await this.get(projectId, id);
    if (!key.revokedAt) {
      key.revokedAt = new Date();
      await this.repo.revoke(id, key.revokedAt);
    }
    await this.feed.publish(CHANNEL, { prefix: key.prefix });
    return key;
  }

  /** The key's project, or null for anything but a usable key. No database round trip once warm. */
  async authenticate(presented: string): Promise<AuthenticatedKey | null> {
    const prefix = prefixOf(presented);
    if (!prefix) return null;
    const now = Date.now();
    let key = this.cache.get(prefix);
    if (!key) {
      const missedAt = this.unknown.get(prefix);
      if (missedAt !== undefined && now - missedAt < NEGATIVE_TTL_MS) return null;
      key = (await this.repo.findByPrefix(prefix)) ?? undefined;
      if (!key) {
        if (this.unknown.size >= MAX_NEGATIVE) this.unknown.clear();
        this.unknown.set(prefix, now);
        return null;
      }
      this.cache.set(prefix, key);
    }
    if (!key.isUsable(now) || !hashesMatch(key.keyHash, hashApiKey(presented))) return null;
    return { apiKeyId: key.id, projectId: key.projectId, organizationId: key.organizationId };
  }
}
