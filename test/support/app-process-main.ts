import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { KeywayConfig } from '../../src/platform/config/keyway-config';
import { createApp } from '../../src/platform/http/create-app';

/** Child-process entry of {@link startAppProcess}: boots the app from its environment and reports its URL over IPC. */
async function main(): Promise<void> {
  const app = await createApp(new KeywayConfig(process.env));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.send!({ ready: `http://127.0.0.1:${port}` });
}

main().catch((error: unknown) => {
  process.send!({ failed: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  process.exit(1);
});
