import { expect, test } from '@playwright/test'
import { APP_ORIGIN, mailsTo, resetLinksTo, send, signInRaw, signUpRaw } from './auth-http'

/**
 * Issue 17, finding 1: links in mails, the cities' feeds and the CSRF origin
 * check come from APP_ORIGIN, never from the Host header the client sends.
 */
const EVIL = 'evil.example'

test('a reset requested with a forged Host header mails a link to APP_ORIGIN', async () => {
  const email = `host-reset-${Date.now()}@example.org`
  await signUpRaw(email, 'host header passphrase 2026')

  // The origin check does not take the forged host for the site's own.
  const forged = await send({
    path: '/forgot-password',
    form: { email },
    headers: { Host: EVIL, Origin: `http://${EVIL}` },
  })
  expect(forged.status).toBe(403)
  expect(await resetLinksTo(email)).toEqual([])

  // A real page of the site, reached through a forged Host: the link still names APP_ORIGIN.
  const viaForgedHost = await send({ path: '/forgot-password', form: { email }, headers: { Host: EVIL } })
  expect(viaForgedHost.status).toBe(200)
  const links = await resetLinksTo(email)
  expect(links).toHaveLength(1)
  expect(links[0]).toMatch(new RegExp(`^${APP_ORIGIN}/reset-password/[\\w-]{43}$`))
})

test("the cities' cases.json and cases.atom never echo the Host header", async () => {
  for (const path of ['/aomori/cases.json', '/aomori/cases.atom', '/komatsu/cases.json']) {
    const response = await send({ path, headers: { Host: EVIL } })
    expect(response.status, path).toBe(200)
    expect(response.body, path).not.toContain(EVIL)
    expect(response.body, path).toContain(`${APP_ORIGIN}/`)
  }
})

test('a staff invitation sent through a forged Host header links to APP_ORIGIN', async () => {
  const cookie = await signInRaw('desk-admin@aomori.example.jp', 'demo-pass-2026')
  const invitee = `host-invite-${Date.now()}@aomori.example.jp`
  const response = await send({
    path: '/aomori/desk/staff',
    cookie,
    form: { intent: 'invite', email: invitee, role: 'desk_staff' },
    headers: { Host: EVIL },
  })
  expect(response.status).toBeLessThan(400)
  const [mail] = await mailsTo(invitee)
  expect(mail?.text).toContain(`${APP_ORIGIN}/aomori/invitation/`)
  expect(mail?.text).not.toContain(EVIL)
})
