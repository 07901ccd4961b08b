/** The marker that replaces a secret in every line the CLI prints or logs. */
export const REDACTED = '[redacted]';

/** The settings whose values are secrets. Their values never reach the terminal or `app.log`. */
export const SECRET_SETTINGS = [
  'DISCORD_TOKEN',
  'WOM_API_KEY',
  'WOM_GROUP_SECRET',
  'DISCORD_WEBHOOK_URL',
] as const;

/** The token part of a webhook URL (`…/webhooks/<id>/<token>`). */
const WEBHOOK_TOKEN = /\/webhooks\/\d{1,20}\/([^/?#\s]+)/;

/**
 * The parts of a secret setting's value that are secrets on their own: the webhook URL's token
 * (an error may print the URL partly, or the token alone).
 */
function secretParts(value: string | undefined): string[] {
  const token = value === undefined ? undefined : WEBHOOK_TOKEN.exec(value)?.[1];
  return token === undefined ? [] : [token];
}

/**
 * Values shorter than this are not redacted by value (redacting every `a` would destroy the log);
 * such values are not valid tokens anyway. The patterns below still apply.
 */
const MINIMUM_SECRET_LENGTH = 4;

/** Credential shapes redacted wherever they appear, whatever the value. */
const CREDENTIAL_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  // Authorization: Bot <token> / Bearer <token>
  [/\b(Bot|Bearer)\s+[\w.~+/=-]{20,}/g, `$1 ${REDACTED}`],
  // x-api-key: value, "x-api-key":"value", x-api-key=value
  [/\b(x-api-key)(["']?\s*[:=]\s*["']?)[^\s"',;}]+/gi, `$1$2${REDACTED}`],
  // verificationCode (WOM group secret in request bodies)
  [/\b(verificationCode)(["']?\s*[:=]\s*["']?)[^\s"',;}]+/gi, `$1$2${REDACTED}`],
  // Discord bot tokens: three base64url parts, the first one a base64 user id
  [/\b[MNO][\w-]{22,}\.[\w-]{5,7}\.[\w-]{25,}\b/g, REDACTED],
  // Discord webhook URLs: /api/webhooks/<id>/<token>
  [/(\/webhooks\/\d{1,20}\/)[\w-]{8,}/g, `$1${REDACTED}`],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Removes secrets from text: the known secret values (and their URL-encoded forms) and any
 * credential-shaped text (`Bot <token>`, `x-api-key: …`).
 */
export class Redactor {
  readonly #valuePattern: RegExp | undefined;

  /** @param secrets - The secret values to remove; empty and very short values are ignored. */
  constructor(secrets: Iterable<string | undefined> = []) {
    const values = new Set<string>();
    for (const secret of secrets) {
      const trimmed = secret?.trim();
      if (trimmed === undefined || trimmed.length < MINIMUM_SECRET_LENGTH) continue;
      values.add(trimmed);
      values.add(encodeURIComponent(trimmed));
    }
    // Longest first, so a secret that contains another is removed whole.
    const sorted = [...values].sort((left, right) => right.length - left.length);
    this.#valuePattern =
      sorted.length > 0 ? new RegExp(sorted.map(escapeRegExp).join('|'), 'g') : undefined;
  }

  /** Builds a redactor from the secret settings found in `env`. */
  static fromEnv(env: Readonly<Record<string, string | undefined>>): Redactor {
    return new Redactor(SECRET_SETTINGS.flatMap((name) => [env[name], ...secretParts(env[name])]));
  }

  /** Returns `text` with every secret replaced by {@link REDACTED}. */
  redact(text: string): string {
    let result = this.#valuePattern ? text.replace(this.#valuePattern, REDACTED) : text;
    for (const [pattern, replacement] of CREDENTIAL_PATTERNS) {
      result = result.replace(pattern, replacement);
    }
    return result;
  }
}
