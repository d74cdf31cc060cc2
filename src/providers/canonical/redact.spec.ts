import { redactSecrets } from './redact';

describe('redactSecrets', () => {
  const openAiKey = 'sk-proj-Xy7Qm2Lk9Rt4Wv6Ns8Bd3Fh5Jp1Zc0Ga7Ue2Io4Yt6Re8Wq0Pl3Mn5Bv7Cx9Za1Sd3Fg5Hj7Kl9Ab9z';
  const anthropicKey = 'sk-ant-api03-R2d2C3p0Bb8Yk4Lm6Nq8Ps0Tu2Vw4Xy6Za8Bc0De2Fg4Hi6Jk8Lm0No2Pq4Rs6Tu8Vw0Xy2Za-AAAAAA';

  it('replaces a known secret wherever it appears', () => {
    const text = `upstream said: key ${openAiKey} is invalid; retry with ${openAiKey}`;
    expect(redactSecrets(text, [openAiKey])).toBe('upstream said: key [REDACTED] is invalid; retry with [REDACTED]');
  });

  it('replaces long fragments of a known secret', () => {
    const fragment = openAiKey.slice(20, 44);
    const out = redactSecrets(`the tail ${fragment} was echoed`, [openAiKey]);
    expect(out).toBe('the tail [REDACTED] was echoed');
    expect(out).not.toContain(fragment.slice(0, 8));
  });

  it('replaces a secret that is not shaped like any known key, with its fragments', () => {
    const awsSecret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    expect(redactSecrets(`signature mismatch for wJalrXUtnFEMI/K7MD`, [awsSecret])).toBe('signature mismatch for [REDACTED]');
  });

  it('leaves text alone when it shares only short runs with a secret', () => {
    expect(redactSecrets('model gpt-4o not found', ['sk-gpt-4o-abcdefgh12345678'])).toBe('model gpt-4o not found');
  });

  it('ignores known secrets too short to match safely', () => {
    expect(redactSecrets('a b c abc', ['abc'])).toBe('a b c abc');
  });

  it.each([
    ['Incorrect API key provided: sk-abc***...wxyz. You can find your API key at https://platform.openai.com/account/api-keys.'],
    ['Incorrect API key provided: sk-abc12***************************************wxyz. You can find your API key at https://platform.openai.com/account/api-keys.'],
    ['Incorrect API key provided: sk-abc****wxyz.'],
    ['Incorrect API key provided: sk-proj-********************************************Ab9z.'],
    ['Incorrect API key provided: sk-abc…wxyz.'],
  ])('redacts a masked key echo: %s', (message) => {
    const out = redactSecrets(message);
    expect(out).toMatch(/^Incorrect API key provided: \[REDACTED\]\./);
    expect(out).not.toMatch(/wxyz|Ab9z|sk-/);
  });

  it('redacts whatever was echoed as "API key provided", whatever its shape', () => {
    expect(redactSecrets('Incorrect API key provided: my-own-token-123. See docs.')).toBe(
      'Incorrect API key provided: [REDACTED]. See docs.',
    );
  });

  it.each([
    ['OpenAI', 'sk-Ab3De6Gh9Jk2Mn5Pq8St1Vw4Yz7'],
    ['OpenAI project', 'sk-proj-Ab3De6Gh9Jk2Mn5Pq8St1Vw4Yz7Bc0Ef3'],
    ['OpenAI service account', 'sk-svcacct-Ab3De6Gh9Jk2Mn5Pq8St1Vw4Yz7'],
    ['Anthropic', anthropicKey],
    ['Groq', 'gsk_Ab3De6Gh9Jk2Mn5Pq8St1Vw4Yz7Bc0Ef3Hi6'],
    ['xAI', 'xai-Ab3De6Gh9Jk2Mn5Pq8St1Vw4Yz7Bc0Ef3Hi6Kl9No2'],
    ['Perplexity', 'pplx-Ab3De6Gh9Jk2Mn5Pq8St1Vw4Yz7Bc0Ef3Hi6'],
    ['Fireworks', 'fw_3ZAb3De6Gh9Jk2Mn5Pq8St1Vw'],
    ['AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['AWS temporary key id', 'ASIAY34FZKBOKMUTVV7A'],
    ['Google API key', 'AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe'],
    ['Google access token', 'ya29.a0AfB_byC1d2E3f4G5h6I7j8K9l0M'],
    ['Keyway gateway key', 'kw-live-Ab3De6Gh9Jk2Mn5Pq8St1Vw4'],
  ])('redacts a %s key found in text', (_name, key) => {
    const out = redactSecrets(`request failed for key ${key} at 12:00`);
    expect(out).toBe('request failed for key [REDACTED] at 12:00');
  });

  it('redacts bearer tokens but keeps the scheme', () => {
    expect(redactSecrets('sent Authorization: Bearer abc.def-ghi_jkl123')).toBe('sent Authorization: Bearer [REDACTED]');
  });

  it('redacts assigned secrets in query strings, headers and JSON', () => {
    expect(redactSecrets('GET /v1/models?api_key=abcd1234efgh&x=1')).toBe('GET /v1/models?api_key=[REDACTED]&x=1');
    expect(redactSecrets('{"x-api-key": "abcd1234efgh"}')).toBe('{"x-api-key": "[REDACTED]"}');
    expect(redactSecrets('secret_access_key=wJalrXUtnFEMI')).toBe('secret_access_key=[REDACTED]');
  });

  it('leaves ordinary error messages untouched', () => {
    const message = "This model's maximum context length is 128000 tokens. Please reduce the length of the messages (task-1).";
    expect(redactSecrets(message)).toBe(message);
  });

  it('is idempotent', () => {
    const once = redactSecrets(`Incorrect API key provided: sk-abc***wxyz; Bearer ${openAiKey}`, [openAiKey]);
    expect(redactSecrets(once, [openAiKey])).toBe(once);
    expect(once).not.toContain('sk-');
  });
});
