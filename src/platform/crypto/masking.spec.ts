import { createHash } from 'node:crypto';
import { fingerprint, maskKey } from './masking';

describe('maskKey', () => {
  it.each([
    ['sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123453f9', 'sk-ant-••••3f9'],
    ['sk-proj-abcdefghijklmnopqrstuvwxyz012345xyz', 'sk-proj-••••xyz'],
    ['sk-abcdefghijklmnopqrstuvwxyz012345678', 'sk-••••678'],
    ['sk-or-v1-0123456789abcdef0123456789abcdef', 'sk-or-••••def'],
    ['gsk_abcdefghijklmnopqrstuvwxyz0123', 'gsk_••••123'],
    ['xai-abcdefghijklmnopqrstuvwxyz0123', 'xai-••••123'],
    ['AIzaSyA-bcdefghijklmnopqrstuvwxyz012', '••••012'],
    ['0123456789abcdef0123456789abcdef', '••••def'],
  ])('masks %s as %s', (value, masked) => {
    expect(maskKey(value)).toBe(masked);
  });

  it('keeps no label that looks like part of a random key', () => {
    expect(maskKey('Ab3_xYz9qwertyuiopasdfghjkl')).toBe('••••jkl');
    expect(maskKey('AKIAIOSFODNN7EXAMPLE')).toBe('••••PLE');
  });

  it('shows at most 2 characters of a short value', () => {
    expect(maskKey('abcdefghijk')).toBe('••••jk');
    expect(maskKey('abcdefgh')).toBe('••••gh');
    expect(maskKey('abcdefg')).toBe('••••');
    expect(maskKey('x')).toBe('••••');
    expect(maskKey('')).toBe('••••');
  });

  it('shows at most 2 characters after the label of a short labelled value', () => {
    expect(maskKey('sk-ant-abcdefgh')).toBe('sk-ant-••••gh');
    expect(maskKey('sk-ant-abc')).toBe('sk-ant-••••');
  });

  it('ignores surrounding whitespace', () => {
    expect(maskKey('  sk-abcdefghijklmnopqrstuvwxyz012345678\n')).toBe('sk-••••678');
  });

  it('never shows more than the label and 3 characters', () => {
    const value = 'sk-ant-api03-SECRETSECRETSECRET-tail';
    const masked = maskKey(value);

    expect(masked).not.toContain('api03');
    expect(masked).not.toContain('SECRET');
  });
});

describe('fingerprint', () => {
  it('is short, stable and prefixed', () => {
    const value = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123453f9';

    expect(fingerprint(value)).toMatch(/^fp_[0-9a-f]{12}$/);
    expect(fingerprint(value)).toBe(fingerprint(value));
  });

  it('tells different keys apart', () => {
    expect(fingerprint('sk-one')).not.toBe(fingerprint('sk-two'));
    expect(fingerprint('')).toMatch(/^fp_[0-9a-f]{12}$/);
  });

  it('is not a plain SHA-256 of the key', () => {
    const plain = createHash('sha256').update('sk-one').digest('hex').slice(0, 12);

    expect(fingerprint('sk-one')).not.toBe(`fp_${plain}`);
  });

  it('does not contain the key', () => {
    expect(fingerprint('abc')).not.toContain('abc');
  });
});
