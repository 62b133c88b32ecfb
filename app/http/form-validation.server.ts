import { json } from '@remix-run/node'
import type { z } from 'zod'
import { AccountError, accountErrorStatus } from '../operations/accounts/account-errors'

/**
 * Form answers: zod schemas (./form-schemas.ts) whose messages are keys of
 * `auth:validation.*`, so each field's error is shown in the user's language;
 * a refused operation (`AccountError`) becomes one form-level message and its
 * HTTP status.
 */

export type FieldErrors = Record<string, string>
export type ActionFailure = { fieldErrors?: FieldErrors; formError?: string; retryAfterMinutes?: number }

export function parseForm<S extends z.ZodTypeAny>(
  schema: S,
  formData: FormData,
): { ok: true; data: z.infer<S> } | { ok: false; fieldErrors: FieldErrors } {
  const result = schema.safeParse(Object.fromEntries(formData))
  if (result.success) return { ok: true, data: result.data }
  const fieldErrors: FieldErrors = {}
  for (const issue of result.error.issues) {
    const field = issue.path.join('.')
    fieldErrors[field] ??= issue.message
  }
  return { ok: false, fieldErrors }
}

export function invalidForm(fieldErrors: FieldErrors) {
  return json<ActionFailure>({ fieldErrors }, { status: 400 })
}

/** An AccountError as the action's answer; anything else is not ours to handle. */
export function refused(error: unknown) {
  if (!(error instanceof AccountError)) throw error
  const retryAfter = error.retryAfterSeconds
  return json<ActionFailure>(
    { formError: error.code, retryAfterMinutes: retryAfter ? Math.ceil(retryAfter / 60) : undefined },
    {
      status: accountErrorStatus[error.code],
      headers: retryAfter ? { 'Retry-After': String(retryAfter) } : undefined,
    },
  )
}

/**
 * The site's public origin for absolute links (e-mails, feeds): APP_ORIGIN, never the request's Host
 * header, which the client chooses (a reset link to the attacker's host: docs/decisions/006-security.md).
 */
export function siteOrigin(context: { env: { APP_ORIGIN: string } }): string {
  return context.env.APP_ORIGIN
}
