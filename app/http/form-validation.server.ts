import { parseWithZod, unstable_coerceFormValue as coerceFormValue } from '@conform-to/zod'
import type { TFunction } from 'i18next'
import { z } from 'zod'
import { AppError, type InputIssue } from '~/operations/app-error'
import { PageQuerySchema } from '~/utils/paging'
import { echoedValues, formErrorMap, STALE_FORM, type FormValues } from './form-schemas'

/**
 * Reading a form: `parseSubmission` reads it with the route's zod schema
 * through @conform-to/zod (the same schema the page checks in the browser
 * with `useValidatedForm`, app/components/forms.tsx). A refused answer is an
 * `AppError('invalid_form')` whose issues are the fields' messages (locale
 * keys such as `auth:validation.required`), so it reaches the user through the
 * one mapper, `refusal` (./errors.server.ts), like any operation's refusal.
 * A refused value the page itself set (`hidden`, `intents` in ./form-schemas)
 * is an `AppError('stale_form')`: the page is out of date, no field is named.
 * Either carries the answers (`echoedValues`), which the page shows again.
 */

/**
 * Each schema as conform reads form values with it (empty values stripped, text coerced to numbers, booleans,
 * dates), made once: `parseWithZod` otherwise rebuilds the whole schema on every parse with the same
 * `coerceFormValue` (~3 % of the inbox page's server time, for its filter form). Kept while the schema lives.
 */
const readyForFormValues = new WeakMap<z.ZodTypeAny, z.ZodTypeAny>()

function parseFormValues<S extends z.ZodTypeAny>(payload: FormData | URLSearchParams, schema: S) {
  let ready = readyForFormValues.get(schema) as S | undefined
  if (!ready) readyForFormValues.set(schema, (ready = coerceFormValue(schema) as unknown as S))
  return parseWithZod(payload, { schema: ready, errorMap: formErrorMap, disableAutoCoercion: true })
}

/** The form's answers as the schema reads them, or an `AppError('invalid_form')` naming each refused field. */
export function parseSubmission<S extends z.ZodTypeAny>(formData: FormData, schema: S): z.output<S> {
  const submission = parseFormValues(formData, schema)
  if (submission.status === 'success') return submission.value
  const issues = Object.entries(submission.error ?? {}).flatMap(([name, messages]) =>
    name && messages?.[0] ? [{ path: [name], message: messages[0] }] : [],
  )
  // A value the page put there was refused: nothing the reader can correct in a field.
  const values = echoedValues(formData)
  if (issues.some((issue) => issue.message === STALE_FORM))
    throw new AppError('stale_form', `Refused values the page sets: ${namesOf(issues, STALE_FORM)}`, {
      values,
    })
  throw new AppError('invalid_form', `Refused form fields: ${namesOf(issues)}`, { issues, values })
}

/** The refused inputs' names (never their values) for the log, those refused with `message` if given. */
function namesOf(issues: InputIssue[], message?: string) {
  return issues
    .filter((issue) => message === undefined || issue.message === message)
    .map((issue) => issue.path[0])
    .join(', ')
}

/**
 * The site's public origin for absolute links (e-mails, feeds): APP_ORIGIN, never the request's Host
 * header, which the client chooses (a reset link to the attacker's host: docs/decisions/006-security.md).
 */
export function siteOrigin(context: { env: { APP_ORIGIN: string } }): string {
  return context.env.APP_ORIGIN
}

/**
 * A GET form's query (a list's filters) read with its zod schema. A refused
 * value is a refused form: `fieldErrors` holds each refused input's message
 * (a locale key, by input name) and `values` what the address sent, for the
 * page to answer 400 with them at their fields; `value` is the query read
 * without the refused inputs — what the page shows instead, and says so —
 * never a default taken for what was asked.
 */
export type QueryReading<T> = {
  value: T
  fieldErrors: Record<string, string>
  /** Only when something was refused: the kit's boxes read an empty `values` as a refused form with none ticked. */
  values: FormValues | undefined
}

export function readQuery<S extends z.ZodTypeAny>(
  params: URLSearchParams,
  schema: S,
): QueryReading<z.output<S>> {
  const submission = parseFormValues(params, schema)
  if (submission.status === 'success') return { value: submission.value, fieldErrors: {}, values: undefined }
  const fieldErrors: Record<string, string> = {}
  // A list's item (`field[1]`) is refused at its input (`field`).
  for (const [path, messages] of Object.entries(submission.error ?? {})) {
    const name = path.replace(/[[.].*$/, '')
    if (name && messages?.[0]) fieldErrors[name] ??= messages[0]
  }
  const rest = parseFormValues(withoutRefused(params, fieldErrors), schema)
  // A query schema takes every input as optional, so the rest always reads; a schema that does not is a bug.
  if (rest.status !== 'success')
    throw new Error(`A query schema refused its inputs left out: ${Object.keys(rest.error ?? {}).join(', ')}`)
  return { value: rest.value, fieldErrors, values: echoedValues(params) }
}

/** The query without the refused inputs: what a refused list shows instead. */
export function withoutRefused(
  params: URLSearchParams,
  fieldErrors: Record<string, string>,
): URLSearchParams {
  return new URLSearchParams([...params].filter(([name]) => !(name in fieldErrors)))
}

const PageOnlyQuerySchema = z.object({ page: PageQuerySchema })

/**
 * `?page=` of a list with a pager and no filter form, read as the filter forms read theirs: a page
 * number that is not one (abc, 0, -1, 1.5) is refused — `fieldErrors.page` for the page's
 * RefusedQueryNotice, `status` 400 — and the first page is shown, never taken silently for the one asked.
 */
export function readPageQuery(params: URLSearchParams): {
  page: number
  fieldErrors: Record<string, string>
  status: 200 | 400
} {
  const { value, fieldErrors } = readQuery(params, PageOnlyQuerySchema)
  return { page: value.page ?? 1, fieldErrors, status: 'page' in fieldErrors ? 400 : 200 }
}

/**
 * A feed's or file's answer to a refused query (it has no fields to show a
 * message at): 400, each refused input's label and message in the reader's
 * language, one a line — never the unfiltered file under the asked address.
 */
export function refusedQueryResponse(
  fieldErrors: Record<string, string>,
  t: TFunction,
  labels: Record<string, string>,
): Response {
  const lines = Object.entries(fieldErrors).map(([name, message]) => `${labels[name] ?? name}: ${t(message)}`)
  return new Response(`${lines.join('\n')}\n`, {
    status: 400,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  })
}
