import { expect, test } from '@playwright/test'
import { freshAddress, mailsTo, send, sessionCookieOf, signUpForm, type RawResponse } from './auth-http'

/**
 * Issue 17, finding 5: sign-up answers an address that already has an account
 * exactly as a new one (status, page, no session, about the same time), tells
 * the owner by mail, and is throttled per client.
 */
const PASSWORD = 'sign up passphrase 2026'

function signUp(email: string, from = freshAddress()) {
  return send({ path: '/sign-up', form: signUpForm(email, PASSWORD), from })
}

const answer = (response: RawResponse) => ({
  status: response.status,
  location: response.headers.location,
  session: sessionCookieOf(response) ?? null,
  body: response.body,
})

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

test('an existing e-mail address gets the same answer as a new one, and its owner a mail', async () => {
  const existing = `existing-${Date.now()}@example.org`
  expect((await signUp(existing)).status).toBe(302)

  const times = { fresh: [] as number[], existing: [] as number[] }
  for (let i = 0; i < 3; i++) {
    const fresh = await signUp(`fresh-${i}-${Date.now()}@example.org`)
    const again = await signUp(existing)
    expect(answer(again)).toEqual(answer(fresh))
    expect(answer(fresh).session).toBeNull()
    times.fresh.push(fresh.ms)
    times.existing.push(again.ms)
  }
  // Both hash the password: neither is a quick refusal.
  const ratio = median(times.existing) / median(times.fresh)
  expect(ratio).toBeGreaterThan(0.33)
  expect(ratio).toBeLessThan(3)

  const subjects = (await mailsTo(existing)).map((mail) => mail.subject)
  expect(subjects).toContain('アカウントを登録しました')
  expect(
    subjects.filter((subject) => subject === 'このメールアドレスのアカウントは既にあります'),
  ).toHaveLength(3)
})

test('sign-up is throttled per client', async () => {
  const from = freshAddress()
  const statuses: number[] = []
  for (let i = 0; i < 11; i++)
    statuses.push((await signUp(`burst-${i}-${Date.now()}@example.org`, from)).status)
  expect(statuses.slice(0, 10).every((status) => status === 302)).toBe(true)
  expect(statuses[10]).toBe(429)
})
