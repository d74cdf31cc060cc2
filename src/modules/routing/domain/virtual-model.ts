import { randomUUID } from 'node:crypto';
import type { FieldError } from '../../../platform/errors/domain-error';
import { POLICY_NAME, POLICY_NAME_RULE, RouteTarget, platformProviderOf, targetListProblems } from './route-target';

export const MAX_DESCRIPTION_LENGTH = 2000;

export type VirtualModelFields = {
  name: string;
  description: string | null;
  targets: readonly RouteTarget[];
  /** The gateway config (of the same project) that orders and retries its targets; none: weighted load balancing. */
  configId: string | null;
};

/** A per-project model alias (e.g. `smart`) that routes to one or more targets (DESIGN §1, §5 step 2). */
export class VirtualModel {
  readonly createdAt: Date = new Date();
  updatedAt: Date = new Date();

  constructor(
    readonly id: string,
    readonly organizationId: string,
    readonly projectId: string,
    public name: string,
    public description: string | null,
    public targets: RouteTarget[],
    public configId: string | null,
  ) {}

  static create(owner: { organizationId: string; projectId: string }, fields: VirtualModelFields): VirtualModel {
    return new VirtualModel(randomUUID(), owner.organizationId, owner.projectId, fields.name, fields.description, [...fields.targets], fields.configId);
  }

  fields(): VirtualModelFields {
    return { name: this.name, description: this.description, targets: this.targets, configId: this.configId };
  }

  apply(fields: VirtualModelFields): void {
    this.name = fields.name;
    this.description = fields.description;
    this.targets = [...fields.targets];
    this.configId = fields.configId;
    this.updatedAt = new Date();
  }
}

export function virtualModelProblems(fields: VirtualModelFields): FieldError[] {
  const problems: FieldError[] = [];
  if (!POLICY_NAME.test(fields.name)) problems.push({ field: 'name', message: POLICY_NAME_RULE });
  if (fields.description !== null && fields.description.length > MAX_DESCRIPTION_LENGTH) problems.push({ field: 'description', message: `must be at most ${MAX_DESCRIPTION_LENGTH} characters` });
  problems.push(...targetListProblems(fields.targets, 'targets'));
  return problems;
}

/** Where a virtual model's traffic comes from: BYOK integrations, the platform credential, or both. */
export function credentialSourceOf(targets: readonly RouteTarget[]): 'byok' | 'platform' | 'mixed' {
  const platform = targets.filter((t) => platformProviderOf(t.providerSlug) !== undefined).length;
  if (platform === 0) return 'byok';
  return platform === targets.length ? 'platform' : 'mixed';
}
