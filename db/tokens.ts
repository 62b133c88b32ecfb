import { createHash, randomBytes } from 'node:crypto'

/** A random one-time token for an emailed link (256 bits) and the hash that is stored instead of it. */
export function createEmailToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, tokenHash: hashEmailToken(token) }
}

export function hashEmailToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
