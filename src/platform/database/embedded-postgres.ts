import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** Another process already serves this data folder. */
export class DataDirInUse extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `the embedded database in ${dataDir} is already used by process ${pid}; ` +
        'the embedded database serves one instance: stop that process, choose another KEYWAY_DATA_DIR, ' +
        'or set DATABASE_URL to share a PostgreSQL server between instances',
    );
    this.name = 'DataDirInUse';
  }
}

/**
 * PostgreSQL embedded in the process: PGlite on the data folder, served over a loopback
 * socket so that the ORM's ordinary PostgreSQL driver and migrations work unchanged.
 * PGlite is a single session: keep transactions short and never query another connection
 * from inside one (see STACK.md).
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly lockFile: string,
    readonly url: string,
  ) {}

  static async start(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
    const pgDir = join(dataDir, 'pg');
    mkdirSync(pgDir, { recursive: true, mode: 0o700 });
    const lockFile = acquireLock(dataDir);
    try {
      const db = await PGlite.create({ dataDir: pgDir });
      const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
      await server.start();
      const [host, port] = server.getServerConn().split(':');
      return new EmbeddedPostgres(db, server, lockFile, `postgres://postgres@${host}:${port}/postgres`);
    } catch (error) {
      rmSync(lockFile, { force: true });
      HELD.delete(lockFile);
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    rmSync(this.lockFile, { force: true });
    HELD.delete(this.lockFile);
  }
}

/** Folders this process serves: the pid file alone cannot tell a second app in the same process. */
const HELD = new Set<string>();

function acquireLock(dataDir: string): string {
  const lockFile = join(dataDir, 'keyway.pid');
  if (HELD.has(lockFile)) throw new DataDirInUse(dataDir, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      HELD.add(lockFile);
      return lockFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) throw new DataDirInUse(dataDir, pid);
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`could not lock ${lockFile}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
