import pino from 'pino'

/**
 * Structured JSON logs. Every request line carries the request id, the city and
 * the user id; nothing else about the request body is ever logged, so proposal
 * content and secrets never reach the logs.
 */
export function createLogger(level: string) {
  return pino({
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'cookie', '*.cookie', 'authorization', '*.authorization'],
      censor: '[redacted]',
    },
  })
}

export type Logger = ReturnType<typeof createLogger>
