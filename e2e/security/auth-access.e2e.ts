import { expect, test } from '@playwright/test'
import { freshAddress, send, signInRaw } from './auth-http'

/** Issue 17, finding 10: who may read the mail outbox, and who manages a city's themes. */
test('/dev/mail answers the machine itself, and no anonymous visitor from elsewhere', async () => {
  expect((await send({ path: '/dev/mail' })).status).toBe(200)
  const elsewhere = await send({ path: '/dev/mail', from: freshAddress() })
  expect(elsewhere.status).toBe(404)
  expect(elsewhere.body).not.toContain('/reset-password/')
})

test("the desk's staff and admins manage the city's themes; department staff do not", async () => {
  const theme = (title: string) => ({
    intent: 'save',
    titleJa: title,
    titleEn: '',
    backgroundJa: '権限の確認',
    backgroundEn: '',
    expectedOutcomeJa: '',
    expectedOutcomeEn: '',
    departmentKey: '',
    deadline: '',
  })
  for (const email of ['desk-staff@aomori.example.jp', 'desk-admin@aomori.example.jp']) {
    const cookie = await signInRaw(email, 'demo-pass-2026', freshAddress())
    expect((await send({ path: '/aomori/desk/themes', cookie })).status, email).toBe(200)
    const saved = await send({ path: '/aomori/desk/themes', cookie, form: theme(`権限テーマ ${Date.now()}`) })
    expect(saved.status, email).toBe(302)
  }
  const department = await signInRaw('dept-staff@aomori.example.jp', 'demo-pass-2026', freshAddress())
  expect((await send({ path: '/aomori/desk/themes', cookie: department })).status).toBe(403)
  const refused = await send({
    path: '/aomori/desk/themes',
    cookie: department,
    form: theme('部署の権限外テーマ'),
  })
  expect(refused.status).toBe(403)
})
