/** An error a route throws to answer with a given status and JSON body. Internal to the fake server. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    super(typeof body.message === 'string' ? body.message : `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** WOM's coded error messages (`ErrorMessageMap`) for the codes this fake uses. */
export const ERROR_MESSAGES = {
  GROUP_NOT_FOUND: 'Group not found',
  PLAYER_NOT_FOUND: 'Player not found',
  INVALID_PERIOD: 'Invalid period',
  INVALID_DATE_RANGE: 'Invalid date range',
  NO_OUTDATED_MEMBERS: 'This group has no outdated members (updated over 24h ago)',
  MISSING_VERIFICATION_CODE: "Required parameter 'verificationCode' is undefined",
  INCORRECT_VERIFICATION_CODE: 'Incorrect verification code',
  INVALID_USERNAME: 'Invalid username',
  HISCORES_USERNAME_NOT_FOUND: 'Player not found on the hiscores',
  HISCORES_SERVICE_UNAVAILABLE: 'Jagex Hiscores Service is unavailable',
  PLAYER_IS_RATE_LIMITED: 'Player was updated too recently',
  ENDPOINT_NOT_FOUND: 'Endpoint not found',
} as const;

/** A coded WOM error code known to this fake. */
export type WomErrorCode = keyof typeof ERROR_MESSAGES | 'VALIDATION_ERROR' | 'UNEXPECTED_ERROR';

/** A new-style (coded) error: `{ code, subError?, message }`. */
export function codedError(
  status: number,
  code: keyof typeof ERROR_MESSAGES,
  extra: { subError?: unknown; headers?: Record<string, string> } = {},
): HttpError {
  const body: Record<string, unknown> = { code };
  if (extra.subError !== undefined && status < 500) body.subError = extra.subError;
  body.message = ERROR_MESSAGES[code];
  return new HttpError(status, body, extra.headers);
}

/** A legacy (uncoded) error: the body reads `{ code: "UNEXPECTED_ERROR", message }`. */
export function legacyError(status: number, message: string): HttpError {
  return new HttpError(status, { code: 'UNEXPECTED_ERROR', message });
}

/** A zod validation failure: 400 `{ code: "VALIDATION_ERROR", message }`. */
export function validationError(message: string): HttpError {
  return new HttpError(400, { code: 'VALIDATION_ERROR', message });
}
