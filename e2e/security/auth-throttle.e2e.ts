import { expect, test } from '@playwright/test'
import { freshAddress, send } from './auth-http'

/**
 * Issue 17, findings 3 and 4: the sign-in throttle cannot be raced, and it
 * cannot be used to lock an account's owner out; reset requests are throttled too.
 */
const LIMIT = 10
const signIn = (email: string, password: string, from: string) =>
  send({ path: '/sign-in', form: { email, password }, from })

test('100 concurrent wrong passwords for one account from one address: at most the limit get through', async () => {
  const from = freshAddress()
  const answers = await Promise.all(
    Array.from({ length: 100 }, (_, i) => signIn('biz2@example.com', `wrong guess ${i}`, from)),
  )
  const statuses = answers.map((answer) => answer.status)
  const checked = statuses.filter((status) => status === 401).length
  expect(checked).toBeLessThanOrEqual(LIMIT)
  expect(statuses.filter((status) => status === 429).length).toBe(100 - checked)
  expect(answers.find((answer) => answer.status === 429)?.headers['retry-after']).toMatch(/^\d+$/)
})

test("wrong passwords from other addresses never lock out the owner, the operator or a desk's staff", async () => {
  for (const email of ['operator@example.com', 'desk-staff@aomori.example.jp', 'biz1@example.com']) {
    const attacker = freshAddress()
    for (let i = 0; i <= LIMIT + 2; i++) await signIn(email, `attacker guess ${i}`, attacker)
    // The attacker's address is stopped ...
    expect((await signIn(email, 'attacker guess again', attacker)).status).toBe(429)
    // ... even more guesses from many addresses, as a botnet would ...
    for (let i = 0; i < LIMIT; i++) await signIn(email, `botnet guess ${i}`, freshAddress())
    // ... and the owner, from their own address, signs in.
    const owner = await signIn(email, 'demo-pass-2026', freshAddress())
    expect(owner.status, email).toBe(302)
  }
})

test('reset requests are throttled per e-mail address and per client, alike for unknown addresses', async () => {
  for (const email of ['biz1@example.com', `nobody-${Date.now()}@example.org`]) {
    const statuses: number[] = []
    for (let i = 0; i < 7; i++)
      statuses.push((await send({ path: '/forgot-password', form: { email }, from: freshAddress() })).status)
    expect(statuses, email).toEqual([200, 200, 200, 200, 200, 429, 429])
  }
  const from = freshAddress()
  const statuses: number[] = []
  for (let i = 0; i < 22; i++)
    statuses.push(
      (
        await send({
          path: '/forgot-password',
          form: { email: `someone-${i}-${Date.now()}@example.org` },
          from,
        })
      ).status,
    )
  expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true)
  expect(statuses.slice(20)).toEqual([429, 429])
})
