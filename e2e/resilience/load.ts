import type { ProposalSubmission } from '../harness/proposal-form'

/** One submission as a client saw it: acknowledged means the server answered with the proposal's reference. */
export type Outcome = {
  key: string
  status: number | 'network-error'
  references: string[]
  at: number
}

/**
 * Clients submitting proposals in a loop until stopped, as browsers would
 * (multipart, same origin, the session cookie). The server's acknowledgement
 * is its redirect to `/proposals?submitted=<reference codes>`.
 */
export function submissionLoad(options: {
  url: () => string
  cookie: string
  submission: ProposalSubmission
  clients: number
}) {
  const outcomes: Outcome[] = []
  let running = true
  const client = async () => {
    while (running) {
      const { body, contentType, idempotencyKey } = options.submission.body()
      const base = options.url()
      try {
        const response = await fetch(base + options.submission.path, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'Content-Type': contentType, Cookie: options.cookie, Origin: base },
          body,
          signal: AbortSignal.timeout(15_000),
        })
        await response.arrayBuffer()
        const location = response.headers.get('location') ?? ''
        const submitted = new URL(location, base).searchParams.get('submitted')
        outcomes.push({
          key: idempotencyKey,
          status: response.status,
          references: response.status === 302 && submitted ? submitted.split(' ').filter(Boolean) : [],
          at: Date.now(),
        })
      } catch {
        outcomes.push({ key: idempotencyKey, status: 'network-error', references: [], at: Date.now() })
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  }
  const done = Promise.all(Array.from({ length: options.clients }, client))
  return {
    outcomes,
    acknowledged: () => outcomes.filter((outcome) => outcome.references.length > 0),
    stop: async () => {
      running = false
      await done
    },
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
