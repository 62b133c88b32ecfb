import { expect, test } from '@playwright/test'
import { resetLinksTo, send, signUpRaw } from './auth-http'

/**
 * Issue 17, finding 2: a reset link stops working once it is used, once a
 * newer one is requested, and once the password is changed in the settings.
 * (Using one revokes the user's other live tokens too: reset-tokens.test.ts,
 * which can hold two live tokens at once; through the site only the newest lives.)
 */
const PASSWORD = 'reset token passphrase 2026'

async function requestReset(email: string): Promise<string> {
  const before = (await resetLinksTo(email)).length
  expect((await send({ path: '/forgot-password', form: { email } })).status).toBe(200)
  const links = await resetLinksTo(email)
  expect(links).toHaveLength(before + 1)
  return new URL(links[0]!).pathname
}

function useLink(path: string, password: string) {
  return send({ path, form: { password } })
}

test('a newer reset link revokes the older one, and a used link works no more', async () => {
  const email = `tokens-newer-${Date.now()}@example.org`
  await signUpRaw(email, PASSWORD)
  const first = await requestReset(email)
  const second = await requestReset(email)
  expect((await useLink(first, 'first link passphrase 2026')).status).toBe(400)
  expect((await useLink(second, 'second link passphrase 2026')).status).toBe(302)
  expect((await useLink(second, 'second link again 2026')).status).toBe(400)
})

test('changing the password in the settings revokes an outstanding reset link', async () => {
  const email = `tokens-changed-${Date.now()}@example.org`
  const cookie = await signUpRaw(email, PASSWORD)
  const link = await requestReset(email)
  const changed = await send({
    path: '/account/settings',
    cookie,
    form: { intent: 'password', currentPassword: PASSWORD, newPassword: 'changed in settings 2026' },
  })
  expect(changed.status).toBeLessThan(400)
  expect((await useLink(link, 'stale link passphrase 2026')).status).toBe(400)
})
