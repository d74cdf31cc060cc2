import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Provisioning } from '../../catalog/domain/provisioning';
import type { SealedSecret } from '../../../platform/crypto/envelope';
import { AuditEvent, Integration, IntegrationHealth } from '../domain/integration';
import { AuditLog, IntegrationRepository } from '../application/ports/integration-repository.port';

@Injectable()
export class MikroOrmIntegrationRepository implements IntegrationRepository {
  constructor(private readonly orm: MikroORM) {}

  private em(): EntityManager {
    return this.orm.em.fork();
  }

  findById(id: string): Promise<Integration | null> {
    return this.em().findOne(Integration, { id });
  }

  findBySlug(organizationId: string, providerSlug: string): Promise<Integration | null> {
    return this.em().findOne(Integration, { organizationId, providerSlug });
  }

  listByOrganization(organizationId: string): Promise<Integration[]> {
    return this.em().find(Integration, { organizationId }, { orderBy: { providerSlug: 'asc' } });
  }

  listAll(): Promise<Integration[]> {
    return this.em().find(Integration, {}, { orderBy: { id: 'asc' } });
  }

  async save(integration: Integration): Promise<void> {
    await this.em().upsert(Integration, integration);
  }

  async delete(id: string): Promise<boolean> {
    return (await this.em().nativeDelete(Integration, { id })) > 0;
  }

  async updateProvisioning(id: string, provisioning: Provisioning): Promise<void> {
    await this.em().nativeUpdate(Integration, { id }, { provisioning, updatedAt: new Date() });
  }

  async updateHealth(id: string, health: IntegrationHealth): Promise<void> {
    await this.em().nativeUpdate(Integration, { id }, { health });
  }

  page(afterId: string | null, limit: number): Promise<Integration[]> {
    return this.em().find(Integration, afterId ? { id: { $gt: afterId } } : {}, { orderBy: { id: 'asc' }, limit });
  }

  async replaceSealed(id: string, expectedVersion: number, credential: SealedSecret, customAuthHeaders: SealedSecret | null): Promise<boolean> {
    const changed = await this.em().nativeUpdate(Integration, { id, credentialVersion: expectedVersion }, { credential, customAuthHeaders });
    return changed === 1;
  }
}

@Injectable()
export class MikroOrmAuditLog implements AuditLog {
  constructor(private readonly orm: MikroORM) {}

  async record(event: AuditEvent): Promise<void> {
    await this.orm.em.fork().persistAndFlush(event);
  }

  list(organizationId: string, options: { before?: Date; limit: number; integrationId?: string }): Promise<AuditEvent[]> {
    return this.orm.em.fork().find(
      AuditEvent,
      {
        organizationId,
        ...(options.before ? { createdAt: { $lt: options.before } } : {}),
        ...(options.integrationId ? { integrationId: options.integrationId } : {}),
      },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: options.limit },
    );
  }
}
