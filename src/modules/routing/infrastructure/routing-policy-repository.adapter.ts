import { Injectable } from '@nestjs/common';
import { EntityManager, ForeignKeyConstraintViolationException, MikroORM, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { RoutingPolicyRepository } from '../application/ports/routing-policy-repository.port';
import { GatewayConfig } from '../domain/gateway-config';
import { GatewayConfigInUse, InvalidRoutingPolicy, RoutingPolicyNameTaken } from '../domain/routing-policy.errors';
import { VirtualModel } from '../domain/virtual-model';

@Injectable()
export class MikroOrmRoutingPolicyRepository implements RoutingPolicyRepository {
  constructor(private readonly orm: MikroORM) {}

  private em(): EntityManager {
    return this.orm.em.fork();
  }

  listVirtualModels(projectId: string): Promise<VirtualModel[]> {
    return this.em().find(VirtualModel, { projectId }, { orderBy: { name: 'asc' } });
  }

  findVirtualModel(id: string): Promise<VirtualModel | null> {
    return this.em().findOne(VirtualModel, { id });
  }

  async saveVirtualModel(virtualModel: VirtualModel): Promise<void> {
    try {
      await this.em().upsert(VirtualModel, virtualModel);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new RoutingPolicyNameTaken('virtual model', virtualModel.name);
      if (error instanceof ForeignKeyConstraintViolationException && virtualModel.configId) {
        throw new InvalidRoutingPolicy([{ field: 'config', message: 'is not a gateway config of this project' }]);
      }
      throw error;
    }
  }

  async deleteVirtualModel(id: string): Promise<boolean> {
    return (await this.em().nativeDelete(VirtualModel, { id })) > 0;
  }

  listGatewayConfigs(projectId: string): Promise<GatewayConfig[]> {
    return this.em().find(GatewayConfig, { projectId }, { orderBy: { name: 'asc' } });
  }

  findGatewayConfig(id: string): Promise<GatewayConfig | null> {
    return this.em().findOne(GatewayConfig, { id });
  }

  async saveGatewayConfig(config: GatewayConfig): Promise<void> {
    try {
      await this.em().upsert(GatewayConfig, config);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new RoutingPolicyNameTaken('gateway config', config.name);
      throw error;
    }
  }

  async deleteGatewayConfig(id: string): Promise<boolean> {
    try {
      return (await this.em().nativeDelete(GatewayConfig, { id })) > 0;
    } catch (error) {
      if (!(error instanceof ForeignKeyConstraintViolationException)) throw error;
      const config = await this.findGatewayConfig(id);
      const users = await this.em().find(VirtualModel, { configId: id }, { orderBy: { name: 'asc' } });
      throw new GatewayConfigInUse(config?.name ?? id, users.map((v) => v.name));
    }
  }
}
