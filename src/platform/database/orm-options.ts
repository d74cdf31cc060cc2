import { EntitySchema, Options, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { MIGRATIONS } from './migrations/migrations';

/** Hand-written SQL migrations, listed in code so they run the same from `src/` (tests) and `dist/`. */
export function buildOrmOptions(clientUrl: string, entities: EntitySchema[], poolSize: number): Options {
  return {
    driver: PostgreSqlDriver,
    clientUrl,
    entities,
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    pool: { min: 0, max: poolSize },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    debug: false,
    migrations: {
      migrationsList: MIGRATIONS.map((m) => ({ name: m.name, class: m.class })),
      tableName: 'schema_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      silent: true,
    },
    schemaGenerator: { disableForeignKeys: false },
  };
}
