import pino from 'pino'

/**
 * Structured JSON logs. Every request line carries the request id, the city and
 * the user id; nothing else about the request body is ever logged, so proposal
 * content and secrets never reach the logs. Errors go through `loggedError`,
 * which keeps what locates a failure and drops every value a query carried.
 */
export function createLogger(level: string, destination?: pino.DestinationStream) {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: loggedError, error: loggedError },
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'cookie',
          '*.cookie',
          'authorization',
          '*.authorization',
        ],
        censor: '[redacted]',
      },
    },
    destination as pino.DestinationStream,
  )
}

export type Logger = ReturnType<typeof createLogger>

/** PostgreSQL's fields that name things (never a row's values: `detail`, `where` and the query's parameters are left out). */
const POSTGRES_NAME_FIELDS = [
  'code',
  'severity',
  'routine',
  'schema_name',
  'table_name',
  'column_name',
  'constraint_name',
] as const

/**
 * An error as it is logged. drizzle's `DrizzleQueryError` puts the query's
 * parameters (a proposal's text, an e-mail address) into its message, and
 * PostgreSQL's `detail` repeats a row's values ("Key (email)=(…) already
 * exists"), so: the SQL text without its parameters, PostgreSQL's code and the
 * names of what failed, its message only when it names things (a data
 * exception, class 22, quotes the value), and the stack without its message line.
 */
export function loggedError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error }
  const record: Record<string, unknown> = { type: error.constructor?.name ?? error.name }
  const fields = error as unknown as Record<string, unknown>
  const code = typeof fields.code === 'string' ? fields.code : undefined
  const isPostgres = typeof fields.severity === 'string' && code !== undefined
  let message = error.message
  if ('params' in fields && typeof fields.query === 'string') message = `Failed query: ${fields.query}`
  else if (isPostgres) {
    for (const name of POSTGRES_NAME_FIELDS) if (fields[name] !== undefined) record[name] = fields[name]
    if (code.startsWith('22')) message = `data exception ${code} (the value is not logged)`
  } else if (code !== undefined) record.code = code
  record.message = message
  if (error.stack)
    record.stack = `${record.type}: ${message}${error.stack.slice(Math.max(0, error.stack.indexOf('\n    at ')))}`
  if (error.cause !== undefined && depth < 4) record.cause = loggedError(error.cause, depth + 1)
  return record
}
