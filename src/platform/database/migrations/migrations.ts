import { Migration } from '@mikro-orm/migrations';
import { Migration0001IdentityAndOrganizations } from './0001-identity-and-organizations';
import { Migration0002Integrations } from './0002-integrations';
import { Migration0003CustomModels } from './0003-custom-models';
import { Migration0004ApiKeys } from './0004-api-keys';
import { Migration0005RoutingPolicies } from './0005-routing-policies';
import { Migration0006Activity } from './0006-activity';
import { Migration0007ActivityIntegrationSpend } from './0007-activity-integration-spend';

type MigrationClass = new (...args: ConstructorParameters<typeof Migration>) => Migration;

/** Every migration, oldest first. A new migration is a new file here; applied ones never change. */
export const MIGRATIONS: readonly { name: string; class: MigrationClass }[] = [
  { name: '0001-identity-and-organizations', class: Migration0001IdentityAndOrganizations },
  { name: '0002-integrations', class: Migration0002Integrations },
  { name: '0003-custom-models', class: Migration0003CustomModels },
  { name: '0004-api-keys', class: Migration0004ApiKeys },
  { name: '0005-routing-policies', class: Migration0005RoutingPolicies },
  { name: '0006-activity', class: Migration0006Activity },
  { name: '0007-activity-integration-spend', class: Migration0007ActivityIntegrationSpend },
];
