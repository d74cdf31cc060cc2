/**
 * Paths pino censors in every log line. Headers that carry keys, and any object field that
 * holds a credential, wherever it is nested (pino's `*` matches one level).
 */
const SECRET_FIELDS = [
  'authorization',
  'password',
  'passwordHash',
  'apiKey',
  'api_key',
  'secretAccessKey',
  'sessionToken',
  'serviceAccountJson',
  'private_key',
  'credential',
  'customAuthHeaders',
  'token',
  'accessToken',
  'inviteToken',
  'secret',
];

export const REDACT_PATHS: string[] = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
];
