import { json } from '@remix-run/node'
import type { z } from 'zod'
import type { AppFailure } from './errors.server'

/**
 * Form answers: zod schemas (./form-schemas.ts) whose messages are keys of
 * `auth:validation.*`, so each field's error is shown in the user's language.
 * A refused operation is answered by `refusal` (./errors.server.ts).
 */

export type FieldErrors = Record<string, string>
/** What a form's action answers when it refuses: its fields' errors, or an operation's refusal. */
export type ActionFailure = Partial<AppFailure>

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

/**
 * The site's public origin for absolute links (e-mails, feeds): APP_ORIGIN, never the request's Host
 * header, which the client chooses (a reset link to the attacker's host: docs/decisions/006-security.md).
 */
export function siteOrigin(context: { env: { APP_ORIGIN: string } }): string {
  return context.env.APP_ORIGIN
}
