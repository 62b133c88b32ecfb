/**
 * Whether a state-changing request comes from this site: its Origin header
 * (every current browser sends one on POST) or, failing that, its Referer
 * must have exactly the expected origin. Neither header → refused.
 */
export function isSameOriginRequest(headers: {
  origin?: string | null
  referer?: string | null
  expected: string
}): boolean {
  const expected = new URL(headers.expected).origin
  const claimed = headers.origin && headers.origin !== 'null' ? headers.origin : headers.referer
  if (!claimed) return false
  try {
    return new URL(claimed).origin === expected
  } catch {
    return false
  }
}
