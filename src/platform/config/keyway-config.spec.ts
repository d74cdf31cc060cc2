import { ConfigError, KeywayConfig } from './keyway-config';

const TOKEN = 'm3tr1cs-t0ken-0123456789';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    new KeywayConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('KeywayConfig: metrics', () => {
  it('by default /metrics has no token and no port of its own, and a metrics port would bind to loopback', () => {
    expect(new KeywayConfig({}).metrics).toEqual({ token: undefined, port: undefined, host: '127.0.0.1' });
  });

  it('reads KEYWAY_METRICS_TOKEN, METRICS_PORT and METRICS_HOST', () => {
    const config = new KeywayConfig({ KEYWAY_METRICS_TOKEN: TOKEN, METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5' });
    expect(config.metrics).toEqual({ token: TOKEN, port: 9464, host: '10.0.0.5' });
  });

  it('a blank KEYWAY_METRICS_TOKEN counts as unset', () => {
    expect(new KeywayConfig({ KEYWAY_METRICS_TOKEN: '   ' }).metrics.token).toBeUndefined();
  });

  it('refuses a metrics token shorter than 16 characters, without echoing it', () => {
    const error = configError({ KEYWAY_METRICS_TOKEN: 'short-secret' });
    expect(error.variable).toBe('KEYWAY_METRICS_TOKEN');
    expect(error.message).toMatch(/at least 16 characters/);
    expect(error.message).not.toContain('short-secret');
  });

  it.each(['0', '65536', 'abc', '-1', '9464.5'])('refuses METRICS_PORT=%s', (port) => {
    const error = configError({ METRICS_PORT: port });
    expect(error.variable).toBe('METRICS_PORT');
    expect(error.message).toMatch(/between 1 and 65535/);
  });

  it('refuses a METRICS_PORT equal to PORT', () => {
    const error = configError({ PORT: '8080', METRICS_PORT: '8080' });
    expect(error.variable).toBe('METRICS_PORT');
    expect(error.message).toMatch(/must differ from PORT/);
  });

  it('accepts a METRICS_PORT equal to the default PORT when PORT is 0 (random)', () => {
    expect(new KeywayConfig({ PORT: '0', METRICS_PORT: '3000' }).metrics.port).toBe(3000);
  });

  it('refuses a METRICS_PORT equal to the default PORT 3000', () => {
    expect(configError({ METRICS_PORT: '3000' }).variable).toBe('METRICS_PORT');
  });
});

describe('KeywayConfig: activity retention', () => {
  it('by default keeps activity 90 days, purging hourly in batches of 5000', () => {
    expect(new KeywayConfig({}).retention).toEqual({ days: 90, intervalMs: 3_600_000, batchSize: 5_000 });
  });

  it('reads KEYWAY_ACTIVITY_RETENTION_DAYS, KEYWAY_ACTIVITY_PURGE_INTERVAL_MS and KEYWAY_ACTIVITY_PURGE_BATCH_SIZE', () => {
    const config = new KeywayConfig({ KEYWAY_ACTIVITY_RETENTION_DAYS: '30', KEYWAY_ACTIVITY_PURGE_INTERVAL_MS: '1000', KEYWAY_ACTIVITY_PURGE_BATCH_SIZE: '100000' });
    expect(config.retention).toEqual({ days: 30, intervalMs: 1_000, batchSize: 100_000 });
  });

  it('retention 0 keeps activity forever; the longest is 36500 days', () => {
    expect(new KeywayConfig({ KEYWAY_ACTIVITY_RETENTION_DAYS: '0' }).retention.days).toBe(0);
    expect(new KeywayConfig({ KEYWAY_ACTIVITY_RETENTION_DAYS: '36500' }).retention.days).toBe(36_500);
  });

  it.each([
    ['KEYWAY_ACTIVITY_RETENTION_DAYS', '-1', 'between 0 and 36500'],
    ['KEYWAY_ACTIVITY_RETENTION_DAYS', '36501', 'between 0 and 36500'],
    ['KEYWAY_ACTIVITY_RETENTION_DAYS', '30d', 'between 0 and 36500'],
    ['KEYWAY_ACTIVITY_RETENTION_DAYS', '7.5', 'between 0 and 36500'],
    ['KEYWAY_ACTIVITY_PURGE_INTERVAL_MS', '999', 'between 1000 and 2147483647'],
    ['KEYWAY_ACTIVITY_PURGE_INTERVAL_MS', '2147483648', 'between 1000 and 2147483647'],
    ['KEYWAY_ACTIVITY_PURGE_INTERVAL_MS', '1h', 'between 1000 and 2147483647'],
    ['KEYWAY_ACTIVITY_PURGE_BATCH_SIZE', '0', 'between 1 and 100000'],
    ['KEYWAY_ACTIVITY_PURGE_BATCH_SIZE', '100001', 'between 1 and 100000'],
  ])('refuses %s=%s in one line naming the variable', (variable, value, range) => {
    const error = configError({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message).toBe(`${variable} must be an integer ${range} (got "${value}")`);
    expect(error.message).not.toContain('\n');
  });
});
