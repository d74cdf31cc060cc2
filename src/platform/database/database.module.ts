import { DynamicModule, Global, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { EntityManager, EntitySchema, MikroORM } from '@mikro-orm/postgresql';
import { KeywayConfig } from '../config/keyway-config';
import { EmbeddedPostgres } from './embedded-postgres';
import { buildOrmOptions } from './orm-options';

const ENTITIES = Symbol('ENTITIES');

/** Owns the connection: the embedded PostgreSQL when there is no DATABASE_URL, and the ORM on top. */
export class Database implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private closed = false;

  constructor(
    readonly orm: MikroORM,
    private readonly embedded: EmbeddedPostgres | undefined,
  ) {}

  static async open(config: KeywayConfig, entities: EntitySchema[]): Promise<Database> {
    const embedded = config.database.kind === 'embedded' ? await EmbeddedPostgres.start(config.database.dataDir, config.database.poolSize + 2) : undefined;
    try {
      const url = embedded ? embedded.url : (config.database as { url: string }).url;
      const orm = await MikroORM.init(buildOrmOptions(url, entities, config.database.poolSize));
      const db = new Database(orm, embedded);
      if (config.runMigrations) await db.migrate();
      return db;
    } catch (error) {
      await embedded?.stop();
      throw error;
    }
  }

  async migrate(): Promise<void> {
    const applied = await this.orm.getMigrator().up();
    if (applied.length > 0) this.logger.log(`applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
  }

  async pendingMigrations(): Promise<string[]> {
    return (await this.orm.getMigrator().getPendingMigrations()).map((m) => m.name);
  }

  async ping(): Promise<void> {
    await this.orm.em.fork().getConnection().execute('select 1');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.orm.close(true);
    await this.embedded?.stop();
  }
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(entities: EntitySchema[]): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: ENTITIES, useValue: entities },
        {
          provide: Database,
          inject: [KeywayConfig, ENTITIES],
          useFactory: (config: KeywayConfig, list: EntitySchema[]) => Database.open(config, list),
        },
        { provide: MikroORM, inject: [Database], useFactory: (db: Database) => db.orm },
        { provide: EntityManager, inject: [Database], useFactory: (db: Database) => db.orm.em },
      ],
      exports: [Database, MikroORM, EntityManager],
    };
  }
}

