import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import createClient, { type Client as ApiClient } from 'openapi-fetch';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { KeywayConfig } from '../../src/platform/config/keyway-config';
import { createApp } from '../../src/platform/http/create-app';
import type { paths } from './api-schema';

/** Where the suites' databases come from: a PostgreSQL server when KEYWAY_TEST_DATABASE_URL is set, else embedded PGlite. */
export const TEST_SERVER_URL = process.env.KEYWAY_TEST_DATABASE_URL;
export const TEST_REDIS_URL = process.env.KEYWAY_TEST_REDIS_URL;

export type TestApp = {
  app: NestExpressApplication;
  baseUrl: string;
  api: ApiClient<paths>;
  /** Every log line the app wrote, for secret scans. */
  logs: () => string;
  env: Record<string, string>;
  dataDir: string;
  databaseUrl?: string;
  close: () => Promise<void>;
  /** Stops the app but keeps its database (for restart tests). */
  stop: () => Promise<void>;
};

export type TestDatabase = { env: Record<string, string>; dataDir: string; url?: string; drop: () => Promise<void> };

/** A fresh, empty database for one suite. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyway-e2e-'));
  if (!TEST_SERVER_URL) {
    return { env: { KEYWAY_DATA_DIR: dataDir }, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `keyway_e2e_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    env: {
      KEYWAY_DATA_DIR: dataDir,
      DATABASE_URL: url.toString(),
      JWT_SECRET: randomBytes(32).toString('hex'),
      KEYWAY_MASTER_KEYS: `v1:${randomBytes(32).toString('base64')}`,
    },
    dataDir,
    url: url.toString(),
    drop: async () => {
      await adminQuery(`drop database if exists ${name} with (force)`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Boots the whole application on 127.0.0.1 (random port) on a fresh database, or on `database` when given. */
export async function startTestApp(extraEnv: Record<string, string> = {}, database?: TestDatabase): Promise<TestApp> {
  const db = database ?? (await createTestDatabase());
  const env: Record<string, string> = { LOG_LEVEL: 'debug', KEYWAY_ALLOW_PRIVATE_HOSTS: 'true', ...db.env, ...extraEnv };
  if (TEST_REDIS_URL && !('REDIS_URL' in extraEnv)) env.REDIS_URL = TEST_REDIS_URL;
  let logText = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logText += chunk.toString('utf8');
      done();
    },
  });
  const app = await createApp(new KeywayConfig(env), { logDestination: sink });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.close();
  };
  return {
    app,
    baseUrl,
    api: createClient<paths>({ baseUrl }),
    logs: () => logText,
    env,
    dataDir: db.dataDir,
    databaseUrl: db.url,
    stop,
    close: async () => {
      await stop();
      if (!database) await db.drop();
    },
  };
}
