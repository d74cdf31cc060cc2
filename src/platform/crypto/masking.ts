import { createHmac } from 'node:crypto';

const MASK = '••••';
const PREFIX_WINDOW = 8;
const SHORT_BELOW = 12;
const SHOW_TWO_FROM = 8;
/** Vendor labels such as `sk-ant-`, `sk-proj-`, `gsk_`, `hf_`: lowercase words ending in a separator. */
const LABEL_PATTERN = /^(?:[a-z][a-z0-9]*[-_])+$/;
const FINGERPRINT_LABEL = 'keyway:credential-fingerprint:v1';

/**
 * A display form of an API key: its vendor label, a mask and the last 3 characters
 * (`sk-ant-api03-…3f9` → `sk-ant-••••3f9`). Short keys show at most 2 characters.
 */
export function maskKey(value: string): string {
  const key = value.trim();
  const label = vendorLabel(key);
  const rest = key.slice(label.length);
  if (rest.length >= SHORT_BELOW) return `${label}${MASK}${rest.slice(-3)}`;
  if (rest.length >= SHOW_TWO_FROM) return `${label}${MASK}${rest.slice(-2)}`;
  return `${label}${MASK}`;
}

/**
 * A short stable identifier of a credential (`fp_` + 12 hex), to tell keys apart or spot reuse
 * without storing or showing them. Not reversible for high-entropy keys; the fixed HMAC key
 * only separates this use of SHA-256 from any other.
 */
export function fingerprint(value: string): string {
  const digest = createHmac('sha256', FINGERPRINT_LABEL).update(value, 'utf8').digest('hex');
  return `fp_${digest.slice(0, 12)}`;
}

function vendorLabel(key: string): string {
  const window = key.slice(0, PREFIX_WINDOW);
  const end = Math.max(window.lastIndexOf('-'), window.lastIndexOf('_'));
  const label = key.slice(0, end + 1);
  return LABEL_PATTERN.test(label) ? label : '';
}
