/** Stable codes carried by every {@link TestkitError}. */
export const TESTKIT_ERROR_CODES = ['INVALID_OPTIONS', 'LISTEN_FAILED'] as const;

/** One of {@link TESTKIT_ERROR_CODES}. */
export type TestkitErrorCode = (typeof TESTKIT_ERROR_CODES)[number];

const testkitErrorMarker = Symbol.for('@clanstats/testkit.TestkitError');

/** The one error class `@clanstats/testkit` throws. Branch on `code`, never on the message. */
export class TestkitError extends Error {
  override readonly name = 'TestkitError';
  readonly code: TestkitErrorCode;
  /** The option that was invalid, for `INVALID_OPTIONS`. */
  readonly option: string | undefined;
  readonly [testkitErrorMarker] = true;

  constructor(
    code: TestkitErrorCode,
    message: string,
    details: { option?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.option = details.option;
  }
}

/** True for a {@link TestkitError}, also across copies of this package (checks a global marker). */
export function isTestkitError(error: unknown): error is TestkitError {
  return typeof error === 'object' && error !== null && testkitErrorMarker in error;
}
