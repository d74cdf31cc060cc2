import { DEFAULT_ATTEMPT_RULES, GatewayConfig, GatewayConfigFields, attemptRulesOf, attemptSequence, gatewayConfigProblems } from './gateway-config';

function fields(overrides: Partial<GatewayConfigFields> = {}): GatewayConfigFields {
  return { name: 'resilient', strategy: 'fallback', targets: null, retry: { attempts: 3, onStatus: [429, 503] }, timeoutMs: 30_000, ...overrides };
}

function aConfig(overrides: Partial<GatewayConfigFields> = {}): GatewayConfig {
  return GatewayConfig.create({ organizationId: 'org-1', projectId: 'project-1' }, fields(overrides));
}

describe('gateway config values', () => {
  it('a well-formed config has no problems', () => {
    expect(gatewayConfigProblems(fields())).toEqual([]);
    expect(gatewayConfigProblems(fields({ strategy: 'loadbalance', targets: [{ providerSlug: 'platform:openai', model: 'gpt-4o', weight: 2 }], retry: { attempts: 1, onStatus: [] } }))).toEqual([]);
  });

  it('names each field out of range', () => {
    const problems = gatewayConfigProblems(fields({ name: 'has space', retry: { attempts: 6, onStatus: [404] }, timeoutMs: 999, targets: [] }));
    expect(problems.map((p) => p.field)).toEqual(['name', 'targets', 'retry.attempts', 'retry.onStatus', 'timeoutMs']);
  });

  it('accepts the timeout bounds 1 s and 10 min', () => {
    expect(gatewayConfigProblems(fields({ timeoutMs: 1000 }))).toEqual([]);
    expect(gatewayConfigProblems(fields({ timeoutMs: 600_000 }))).toEqual([]);
    expect(gatewayConfigProblems(fields({ timeoutMs: 600_001 })).map((p) => p.field)).toEqual(['timeoutMs']);
  });
});

describe('attempt rules', () => {
  const failure = (status: number, kind = 'upstream', retryable = true) => ({ status, kind, retryable });

  it('without a config every retryable failure and a rejected credential move on, and each candidate is tried once', () => {
    expect(DEFAULT_ATTEMPT_RULES.movesOn(failure(500))).toBe(true);
    expect(DEFAULT_ATTEMPT_RULES.movesOn(failure(401, 'auth', false))).toBe(true);
    expect(DEFAULT_ATTEMPT_RULES.movesOn(failure(400, 'invalid_request', false))).toBe(false);
    expect(DEFAULT_ATTEMPT_RULES.maxAttempts).toBeUndefined();
    expect(DEFAULT_ATTEMPT_RULES.timeoutMs).toBe(120_000);
  });

  it('a config moves on only for its listed statuses, and on a rejected credential', () => {
    const rules = attemptRulesOf(aConfig({ retry: { attempts: 2, onStatus: [503] } }));
    expect(rules.movesOn(failure(503))).toBe(true);
    expect(rules.movesOn(failure(500))).toBe(false);
    expect(rules.movesOn(failure(504, 'timeout'))).toBe(false);
    expect(rules.movesOn(failure(401, 'auth', false))).toBe(true);
    expect(rules.maxAttempts).toBe(2);
  });

  it('a config’s timeout replaces the default', () => {
    expect(attemptRulesOf(aConfig({ timeoutMs: 1500 })).timeoutMs).toBe(1500);
  });
});

describe('attempt sequence', () => {
  it('tries each candidate once when attempts do not exceed them', () => {
    expect(attemptSequence(['a', 'b', 'c'], undefined)).toEqual(['a', 'b', 'c']);
    expect(attemptSequence(['a', 'b', 'c'], 2)).toEqual(['a', 'b', 'c']);
  });

  it('walks the candidates again when there are more attempts than candidates', () => {
    expect(attemptSequence(['only'], 3)).toEqual(['only', 'only', 'only']);
    expect(attemptSequence(['a', 'b'], 5)).toEqual(['a', 'b', 'a', 'b', 'a']);
  });

  it('has nothing to try without candidates', () => {
    expect(attemptSequence([], 3)).toEqual([]);
  });
});
