import { json, type TypedResponse } from '@remix-run/node'
import { AppError, APP_ERRORS, type AppErrorCode } from '~/operations/app-error'
import { echoedValues, type FormValues } from './form-schemas'

/**
 * The one place an error becomes an HTTP answer: an operation's `AppError`, or
 * a PostgreSQL refusal however deeply a library wrapped it (drizzle wraps
 * every failed query in a `DrizzleQueryError` whose `cause` is postgres.js's
 * error). Anything else (a bug) is not ours to word: it is rethrown for the
 * error boundary, which logs it without query values (app/utils/logger.server.ts).
 */

/** An action's refusal as the page shows it. */
export type AppFailure = {
  /** A locale key with its namespace (`auth:errors.last_owner`), shown above the form. */
  formError: string
  /** Issues by input path (`a.b`), in the operation's words (form answers: already in the user's language). */
  fieldErrors: Record<string, string>
  /** For a throttled form: minutes until another attempt is allowed. */
  retryAfterMinutes?: number
  /** Problems to list under the message (an invalid tenant file, a refused plan). */
  problems?: string[]
  /**
   * The answers sent, by input name, by the kit's echo rule (`echoedValues`:
   * no password, no file): the form shows them again, so a refusal loses
   * nothing typed, also without JavaScript.
   */
  values?: FormValues
}

/** PostgreSQL's SQLSTATE (and postgres.js's connection codes) → what it means for the user. */
const databaseCodes: Record<string, AppErrorCode> = {
  // Row-level security or a privilege refused the change (a city suspended a moment ago, a membership just removed).
  '42501': 'forbidden',
  // A unique key taken by a concurrent request.
  '23505': 'conflict',
  // Serialization failure, deadlock, lock not available: another transaction holds what this one needs.
  '40001': 'busy',
  '40P01': 'busy',
  '55P03': 'busy',
  // statement_timeout.
  '57014': 'timed_out',
  // The server went away or refuses connections.
  '57P01': 'unavailable',
  '57P02': 'unavailable',
  '57P03': 'unavailable',
  '53300': 'unavailable',
  '08000': 'unavailable',
  '08003': 'unavailable',
  '08006': 'unavailable',
  '08001': 'unavailable',
  CONNECTION_CLOSED: 'unavailable',
  CONNECTION_ENDED: 'unavailable',
  CONNECTION_DESTROYED: 'unavailable',
  CONNECT_TIMEOUT: 'unavailable',
  ECONNREFUSED: 'unavailable',
  ECONNRESET: 'unavailable',
}

/** The database's code behind an error and the errors that wrap it (drizzle → postgres.js), if any. */
export function databaseErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && code in databaseCodes) return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/** The error as an `AppError`, when it is one or a database refusal we can word; otherwise undefined. */
export function asAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error
  const code = databaseErrorCode(error)
  if (code === undefined) return undefined
  const appCode = databaseCodes[code]!
  return new AppError(appCode, `The database refused: ${code}`, {
    retryAfterSeconds: APP_ERRORS[appCode].status === 503 ? 5 : undefined,
  })
}

/** The status and message of an error we can word; anything else is rethrown. */
export function toHttpError(error: unknown): { status: number; error: AppError; message: string } {
  const appError = asAppError(error)
  if (!appError) throw error
  const { status, message } = APP_ERRORS[appError.code]
  return { status, error: appError, message }
}

/**
 * A refusal as the action's answer: status, Retry-After, the message key, the
 * input issues by input name (their path; their
 * messages worded by `wordIssue`, given the issue's key, when they are keys
 * and values, such as a city form's `FormIssue`) and the answers to show again
 * (those `parseSubmission` refused, or `form`'s when an operation refused). A missing
 * proposal is a real 404 so a forged id of another city reads like any
 * unknown page; a database that cannot answer now is a 503 page in a loader.
 */
export function refusal(
  error: unknown,
  options: {
    wordIssue?: (message: string, key: string) => string
    form?: FormData
  } = {},
): TypedResponse<AppFailure> {
  const { status, error: appError, message } = toHttpError(error)
  if (appError.code === 'not_found') throw new Response('Not Found', { status: 404 })
  const { issues = [], retryAfterSeconds, problems } = appError.details
  const values = appError.details.values ?? (options.form && echoedValues(options.form))
  const fieldErrors: Record<string, string> = {}
  for (const issue of issues) {
    const key = issue.path.join('.')
    fieldErrors[key] ??= options.wordIssue ? options.wordIssue(issue.message, key) : issue.message
  }
  const failure: AppFailure = { formError: message, fieldErrors }
  if (retryAfterSeconds) failure.retryAfterMinutes = Math.ceil(retryAfterSeconds / 60)
  if (problems) failure.problems = problems
  if (values) failure.values = values
  return json(failure, {
    status,
    headers: retryAfterSeconds ? { 'Retry-After': String(retryAfterSeconds) } : undefined,
  })
}

/**
 * A route's `headers` for a document request: the action's Retry-After (a throttled form), which
 * Remix would otherwise drop from the rendered page's response.
 */
export function retryAfterOf({ actionHeaders }: { actionHeaders: Headers }): Record<string, string> {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : {}
}
