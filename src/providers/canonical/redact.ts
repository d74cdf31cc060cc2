const REDACTED = '[REDACTED]';
/** Shorter known secrets are only matched whole; a 5-character "secret" would redact prose. */
const MIN_SECRET_LENGTH = 6;
/** Any run of this many characters copied from a known secret is redacted. */
const FRAGMENT_LENGTH = 8;

const KEY_PREFIX = String.raw`(?:sk-|sk_|gsk_|xai-|pplx-|fw_|nvapi-|kw-|AIza|AKIA|ASIA)`;

/**
 * A key echoed with a mask, the way providers print it in 401 messages:
 * `sk-abc***...wxyz`, `sk-proj-ab****************wxyz`, `sk-abc…wxyz`.
 */
const MASKED_KEY = new RegExp(
  String.raw`\b${KEY_PREFIX}[A-Za-z0-9_-]*(?:\*+|…|\.{3})(?:[A-Za-z0-9_*-]|\.{3}|…)*`,
  'g',
);

const TOKEN_PATTERNS: readonly RegExp[] = [
  /\bsk-(?:ant-|proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/g, // OpenAI, Anthropic and look-alikes
  /\bgsk_[A-Za-z0-9]{16,}/g, // Groq
  /\bxai-[A-Za-z0-9]{16,}/g, // xAI
  /\bpplx-[A-Za-z0-9]{16,}/g, // Perplexity
  /\bfw_[A-Za-z0-9]{16,}/g, // Fireworks
  /\bnvapi-[A-Za-z0-9_-]{16,}/g, // NVIDIA
  /\bkw-[A-Za-z0-9_-]{16,}/g, // Keyway gateway keys
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /\bAIza[0-9A-Za-z_-]{30,}/g, // Google API keys
  /\bya29\.[0-9A-Za-z._-]{16,}/g, // Google OAuth access tokens
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, // JWTs
];

const BEARER = /\b(Bearer\s+)(?!\[REDACTED\])[A-Za-z0-9._~+/=-]{6,}/gi;
/** `api_key=…`, `"x-api-key": "…"`, `secret_access_key: …` and the like. */
const ASSIGNED_SECRET =
  /\b((?:x-)?api[-_]?key|access[-_]?token|secret[-_]?access[-_]?key|session[-_]?token|client[-_]?secret|private[-_]?key)(["']?\s*[:=]\s*["']?)(?!\[REDACTED\]|Bearer\b)([^\s"',;&]{4,})/gi;
/** OpenAI's "Incorrect API key provided: <key>." echoes whatever was sent, whatever its shape. */
const PROVIDED_KEY_ECHO = /(API key provided:\s*)(?!\[REDACTED\])(\S+?)(?=[.,;]?(?:\s|$))/gi;

/**
 * Replaces secrets in provider-supplied text with `[REDACTED]`: every known secret, any
 * 8-character run copied from one, masked key echoes and well-known credential shapes.
 */
export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  const secrets = knownSecrets.map((s) => s.trim()).filter((s) => s.length >= MIN_SECRET_LENGTH);
  let out = redactKnownSecrets(text, secrets);
  out = out.replace(MASKED_KEY, REDACTED);
  for (const pattern of TOKEN_PATTERNS) out = out.replace(pattern, REDACTED);
  out = out.replace(BEARER, `$1${REDACTED}`);
  out = out.replace(ASSIGNED_SECRET, `$1$2${REDACTED}`);
  out = out.replace(PROVIDED_KEY_ECHO, `$1${REDACTED}`);
  return out;
}

function redactKnownSecrets(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return text;
  const longestFirst = [...secrets].sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of longestFirst) out = out.split(secret).join(REDACTED);
  return redactFragments(out, longestFirst);
}

function redactFragments(text: string, secrets: readonly string[]): string {
  const fragments = new Set<string>();
  for (const secret of secrets) {
    for (let i = 0; i + FRAGMENT_LENGTH <= secret.length; i++) fragments.add(secret.slice(i, i + FRAGMENT_LENGTH));
  }
  if (fragments.size === 0) return text;
  const covered = new Uint8Array(text.length);
  let found = false;
  for (let i = 0; i + FRAGMENT_LENGTH <= text.length; i++) {
    if (!fragments.has(text.slice(i, i + FRAGMENT_LENGTH))) continue;
    covered.fill(1, i, i + FRAGMENT_LENGTH);
    found = true;
  }
  if (!found) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (!covered[i]) out += text[i];
    else if (i === 0 || !covered[i - 1]) out += REDACTED;
  }
  return out;
}
