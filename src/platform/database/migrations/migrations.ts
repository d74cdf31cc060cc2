import { Migration } from '@mikro-orm/migrations';
import { Migration0001IdentityAndOrganizations } from './0001-identity-and-organizations';
import { Migration0002Integrations } from './0002-integrations';

type MigrationClass = new (...args: ConstructorParameters<typeof Migration>) => Migration;

/** Every migration, oldest first. A new migration is a new file here; applied ones never change. */
export const MIGRATIONS: readonly { name: string; class: MigrationClass }[] = [
  { name: '0001-identity-and-organizations', class: Migration0001IdentityAndOrganizations },
  { name: '0002-integrations', class: Migration0002Integrations },
];
