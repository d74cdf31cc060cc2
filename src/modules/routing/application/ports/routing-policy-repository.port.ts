import type { GatewayConfig } from '../../domain/gateway-config';
import type { TargetOptions } from '../../domain/route-target';
import type { VirtualModel } from '../../domain/virtual-model';

/** Virtual models and gateway configs of projects. */
export abstract class RoutingPolicyRepository {
  /** A project's virtual models, by name. */
  abstract listVirtualModels(projectId: string): Promise<VirtualModel[]>;
  abstract findVirtualModel(id: string): Promise<VirtualModel | null>;
  /**
   * Inserts or updates. Throws `RoutingPolicyNameTaken` when another virtual model of the project has
   * the name, and `InvalidRoutingPolicy` (field `config`) when its gateway config is gone.
   */
  abstract saveVirtualModel(virtualModel: VirtualModel): Promise<void>;
  abstract deleteVirtualModel(id: string): Promise<boolean>;

  /** A project's gateway configs, by name. */
  abstract listGatewayConfigs(projectId: string): Promise<GatewayConfig[]>;
  abstract findGatewayConfig(id: string): Promise<GatewayConfig | null>;
  /** Inserts or updates. Throws `RoutingPolicyNameTaken` when another config of the project has the name. */
  abstract saveGatewayConfig(config: GatewayConfig): Promise<void>;
  /** Throws `GatewayConfigInUse` when a virtual model still names it. */
  abstract deleteGatewayConfig(id: string): Promise<boolean>;
}

/** What targets of a project may name (its organization's integrations in scope, the platform credentials), read when a policy is saved. */
export abstract class TargetDirectory {
  abstract optionsFor(organizationId: string, projectId: string): Promise<TargetOptions>;
}
