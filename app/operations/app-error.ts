/**
 * The one error model of the operations: an operation that refuses throws an
 * `AppError` with a code; the edge (app/http/errors.server.ts) turns it into
 * the HTTP status and the message below, in the user's language. A code says
 * what happened in the user's terms, never which layer noticed it.
 */
export const APP_ERRORS = {
  // Proposals and the desk's work on them.
  /** No such proposal here (another city's id, a forged id, someone else's draft): answered as a 404 page. */
  not_found: { status: 404, message: 'common:errors.operation.not_found' },
  conflict: { status: 409, message: 'common:errors.operation.conflict' },
  forbidden: { status: 403, message: 'common:errors.operation.forbidden' },
  // The request is well formed but the proposal is not in a state where it applies.
  invalid_transition: { status: 409, message: 'common:errors.operation.invalid_transition' },
  missing_requirement: { status: 422, message: 'common:errors.operation.missing_requirement' },
  invalid_input: { status: 422, message: 'common:errors.operation.invalid_input' },
  /** A form's answers refused by its schema (app/http/form-validation.server.ts): each field says why. */
  invalid_form: { status: 400, message: 'common:errors.operation.invalid_input' },
  /** A value the page itself put in the form (an id, the form's intent) refused: the page is out of date or forged. */
  stale_form: { status: 400, message: 'common:errors.request.stale_form' },
  ineligible: { status: 422, message: 'common:errors.operation.ineligible' },
  // Too many of something the caller keeps (drafts): they must finish or reuse one first.
  limit_reached: { status: 422, message: 'common:errors.operation.limit_reached' },

  // Accounts, organisations, city staff, invitations.
  invalid_credentials: { status: 401, message: 'auth:errors.invalid_credentials' },
  sign_in_throttled: { status: 429, message: 'auth:errors.throttled' },
  rate_limited: { status: 429, message: 'auth:errors.rate_limited' },
  email_taken: { status: 409, message: 'auth:errors.email_taken' },
  wrong_password: { status: 400, message: 'auth:errors.wrong_password' },
  common_password: { status: 400, message: 'auth:errors.common_password' },
  invalid_token: { status: 400, message: 'auth:errors.invalid_token' },
  wrong_email: { status: 403, message: 'auth:errors.wrong_email' },
  last_admin: { status: 409, message: 'auth:errors.last_admin' },
  last_owner: { status: 409, message: 'auth:errors.last_owner' },
  department_required: { status: 400, message: 'auth:errors.department_required' },
  /** A member, invitation or organisation removed meanwhile: said on the form, not a 404 page. */
  no_longer_exists: { status: 404, message: 'auth:errors.not_found' },
  city_suspended: { status: 403, message: 'auth:errors.city_suspended' },
  /** Said only after the right password of a disabled account (ADR 006). */
  account_disabled: { status: 403, message: 'auth:errors.account_disabled' },
  cannot_disable_self: { status: 409, message: 'auth:errors.cannot_disable_self' },
  cannot_disable_operator: { status: 403, message: 'auth:errors.cannot_disable_operator' },

  // The platform operator's console.
  invalid_code: { status: 400, message: 'operator:errors.invalid_code' },
  replayed_code: { status: 400, message: 'operator:errors.replayed_code' },
  code_throttled: { status: 429, message: 'operator:errors.throttled' },
  already_enrolled: { status: 409, message: 'operator:errors.already_enrolled' },
  invalid_file: { status: 422, message: 'operator:errors.invalid_file' },
  plan_refused: { status: 409, message: 'operator:errors.plan_refused' },
  unknown_city: { status: 404, message: 'operator:errors.unknown_city' },

  // The database could not do it now (mapped at the edge from PostgreSQL's codes); nothing was saved.
  busy: { status: 503, message: 'common:errors.operation.busy' },
  timed_out: { status: 503, message: 'common:errors.operation.timed_out' },
  unavailable: { status: 503, message: 'common:errors.operation.unavailable' },
} as const satisfies Record<string, { status: number; message: string }>

export type AppErrorCode = keyof typeof APP_ERRORS

/** One problem with the input, located by its path (a form field, a requirement piece, a note id). */
export type InputIssue = { path: (string | number)[]; message: string }

export type AppErrorDetails = {
  /** Input issues, each shown at its field. */
  issues?: InputIssue[]
  /** The eligibility criterion that blocked. */
  criterionId?: string
  /** For `conflict`: the version the caller should reload. */
  currentVersion?: number
  /** For `limit_reached`: the limit, for the message. */
  limit?: number
  /** For throttling: seconds until another attempt is allowed (Retry-After). */
  retryAfterSeconds?: number
  /** Problems to list under the message (an invalid tenant file, a refused plan). */
  problems?: string[]
  /** For a refused form: the answers sent (no password, no file), given back to the form to correct. */
  values?: Record<string, string | string[]>
  /**
   * For a submission to several cities refused by a later city: the cities
   * whose proposals went through before it (committed, reference code given).
   */
  submitted?: { slug: string; proposalId: string; referenceCode: string }[]
}

export class AppError extends Error {
  override readonly name = 'AppError'
  constructor(
    readonly code: AppErrorCode,
    /** For developers and tests, in English; users read the code's message. */
    message: string = code,
    readonly details: AppErrorDetails = {},
  ) {
    super(message)
  }
}

/** Refuses bad input with one issue per problem, each message prefixed with its path (`a.b must …`). */
export function invalidInput(
  issues: readonly { path: (string | number)[]; message: string }[],
  message = 'The input is not valid',
): never {
  throw new AppError('invalid_input', message, {
    issues: issues.map((issue) => ({
      path: issue.path,
      message: `${issue.path.join('.')} ${issue.message}`,
    })),
  })
}
