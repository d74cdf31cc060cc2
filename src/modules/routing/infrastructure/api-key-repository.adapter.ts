import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { ApiKey } from '../domain/api-key';
import { ApiKeyRepository } from '../application/ports/api-key-repository.port';

@Injectable()
export class MikroOrmApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly orm: MikroORM) {}

  async insert(key: ApiKey): Promise<void> {
    await this.orm.em.fork().persistAndFlush(key);
  }

  findById(id: string): Promise<ApiKey | null> {
    return this.orm.em.fork().findOne(ApiKey, { id });
  }

  findByPrefix(prefix: string): Promise<ApiKey | null> {
    return this.orm.em.fork().findOne(ApiKey, { prefix });
  }

  listByProject(projectId: string): Promise<ApiKey[]> {
    return this.orm.em.fork().find(ApiKey, { projectId }, { orderBy: { createdAt: 'desc' } });
  }

  async revoke(id: string, at: Date): Promise<void> {
    await this.orm.em.fork().nativeUpdate(ApiKey, { id, revokedAt: null }, { revokedAt: at });
  }
}
