import { Injectable } from '@nestjs/common';
import { EntityManager, ForeignKeyConstraintViolationException, MikroORM, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { CustomModel } from '../domain/custom-model';
import { CustomModelSlugTaken } from '../domain/custom-model.errors';
import { IntegrationNotFound } from '../domain/integration.errors';
import { CustomModelRepository } from '../application/ports/custom-model-repository.port';

@Injectable()
export class MikroOrmCustomModelRepository implements CustomModelRepository {
  constructor(private readonly orm: MikroORM) {}

  private em(): EntityManager {
    return this.orm.em.fork();
  }

  listByIntegration(integrationId: string): Promise<CustomModel[]> {
    return this.em().find(CustomModel, { integrationId }, { orderBy: { modelSlug: 'asc' } });
  }

  async listByIntegrationIds(integrationIds: readonly string[]): Promise<CustomModel[]> {
    if (integrationIds.length === 0) return [];
    return this.em().find(CustomModel, { integrationId: { $in: [...new Set(integrationIds)] } }, { orderBy: { integrationId: 'asc', modelSlug: 'asc' } });
  }

  find(integrationId: string, modelSlug: string): Promise<CustomModel | null> {
    return this.em().findOne(CustomModel, { integrationId, modelSlug });
  }

  async save(model: CustomModel): Promise<void> {
    try {
      await this.em().upsert(CustomModel, model);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new CustomModelSlugTaken(model.modelSlug);
      if (error instanceof ForeignKeyConstraintViolationException) throw new IntegrationNotFound();
      throw error;
    }
  }

  async delete(id: string): Promise<boolean> {
    return (await this.em().nativeDelete(CustomModel, { id })) > 0;
  }
}
