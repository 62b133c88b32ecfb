/**
 * Why an account operation refused, as a code. Server operations throw
 * `AccountError`; route actions map the code to an HTTP status at the edge
 * and the form shows `auth:errors.<code>` in the user's language.
 */
export const accountErrorStatus = {
  invalid_credentials: 401,
  throttled: 429,
  rate_limited: 429,
  email_taken: 409,
  wrong_password: 400,
  common_password: 400,
  invalid_token: 400,
  wrong_email: 403,
  last_admin: 409,
  last_owner: 409,
  department_required: 400,
  not_found: 404,
  city_suspended: 403,
} as const

export type AccountErrorCode = keyof typeof accountErrorStatus

export class AccountError extends Error {
  constructor(
    readonly code: AccountErrorCode,
    /** For `throttled` and `rate_limited`: seconds until another attempt is allowed. */
    readonly retryAfterSeconds?: number,
  ) {
    super(code)
  }
}

/**
 * A route's `headers` for a document request: the action's Retry-After (a throttled form), which
 * Remix would otherwise drop from the rendered page's response.
 */
export function retryAfterOf({ actionHeaders }: { actionHeaders: Headers }): Record<string, string> {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : {}
}
