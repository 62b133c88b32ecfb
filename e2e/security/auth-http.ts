import http from 'node:http'
import { randomInt } from 'node:crypto'
import { E2E_PORT } from '../playwright.config'

/**
 * Raw HTTP for the authentication security tests (issue 17): requests with a
 * forged Host header, from a chosen loopback address (the server sees it as the
 * client's IP), without a browser. The e2e server is started with this origin.
 */
export const APP_ORIGIN = `http://localhost:${E2E_PORT}`

export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; body: string; ms: number }

/** A loopback address no other test uses: the server's throttles count it as another client. */
export function freshAddress(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`
}

export function send(options: {
  path: string
  method?: string
  form?: Record<string, string>
  headers?: Record<string, string>
  cookie?: string
  /** The client's address (a 127/8 loopback address); default 127.0.0.1. */
  from?: string
}): Promise<RawResponse> {
  const body = options.form ? new URLSearchParams(options.form).toString() : undefined
  const method = options.method ?? (body === undefined ? 'GET' : 'POST')
  const headers: Record<string, string> = {
    // As a browser on APP_ORIGIN would send it; a test overrides it to forge one.
    Host: new URL(APP_ORIGIN).host,
    ...(body !== undefined
      ? {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': String(Buffer.byteLength(body)),
        }
      : {}),
    ...(method === 'POST' ? { Origin: APP_ORIGIN } : {}),
    ...(options.cookie ? { Cookie: options.cookie } : {}),
    ...options.headers,
  }
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: E2E_PORT,
        localAddress: options.from,
        path: options.path,
        method,
        headers,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        )
        response.on('error', reject)
      },
    )
    request.on('error', reject)
    request.end(body)
  })
}

/** The session cookie (`name=value`) a response sets, or undefined. */
export function sessionCookieOf(response: RawResponse): string | undefined {
  return (response.headers['set-cookie'] ?? [])
    .map((cookie) => cookie.split(';')[0]!)
    .find((pair) => /session=./.test(pair))
}

/** Signs in with the form, as a browser without JavaScript would; returns the session cookie. */
export async function signInRaw(email: string, password: string, from?: string): Promise<string> {
  const response = await send({ path: '/sign-in', form: { email, password }, from })
  const cookie = sessionCookieOf(response)
  if (response.status !== 302 || !cookie) throw new Error(`sign-in as ${email} answered ${response.status}`)
  return cookie
}

type OutboxMail = { to: string; subject: string; text: string }

/** The mails queued or sent to `to`, newest first, read from the mail outbox page's data. */
export async function mailsTo(to: string): Promise<OutboxMail[]> {
  const response = await send({ path: '/dev/mail?_data=routes%2Fdev.mail' })
  if (response.status !== 200) throw new Error(`/dev/mail answered ${response.status}`)
  const { mails } = JSON.parse(response.body) as { mails: OutboxMail[] }
  return mails.filter((mail) => mail.to === to)
}

/** The reset links mailed to `to`, newest first. */
export async function resetLinksTo(to: string): Promise<string[]> {
  return (await mailsTo(to)).flatMap((mail) => /\S+\/reset-password\/[\w-]+/.exec(mail.text)?.[0] ?? [])
}

/** The sign-up form's fields for a new proposer account. */
export function signUpForm(email: string, password: string): Record<string, string> {
  return {
    displayName: 'セキュリティ 試験',
    email,
    password,
    organisationName: 'セキュリティ試験株式会社',
    kind: 'corporation',
    address: '青森県青森市',
    contactPerson: 'セキュリティ 試験',
    locale: 'ja',
  }
}

/** A new proposer account: the sign-up form (from an address of its own), then sign-in; returns the session cookie. */
export async function signUpRaw(email: string, password: string): Promise<string> {
  const from = freshAddress()
  const response = await send({ path: '/sign-up', from, form: signUpForm(email, password) })
  if (response.status !== 302) throw new Error(`sign-up as ${email} answered ${response.status}`)
  return signInRaw(email, password, from)
}
