import type { AddressInfo } from 'node:net'
import type { AppLoadContext } from '@remix-run/node'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, formRequest, getRequest, sessionCookieFrom, statusOf, type Harness } from '~/test/harness'
import { sql } from 'drizzle-orm'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import { withTenant } from '../../db/tenant-context'
import * as organisationPage from '~/routes/organisations.$organisationId'
import * as memberInvitationPage from '~/routes/organisations.invitation.$token'
import * as staffPage from '~/routes/$city.desk.staff'
import * as cityInvitationPage from '~/routes/$city.invitation.$token'
import * as signInPage from '~/routes/sign-in'

/**
 * Invitations by email link, through the real routes: an organisation's owner
 * invites members; a city's desk admin invites staff; both can cancel and
 * resend a waiting invitation (a new link; the old one stops working). Every
 * other role is refused. Mail goes over a real SMTP server in this process.
 */

let h: Harness
let smtp: SMTPServer
const received: { to: string; body: string }[] = []
const cookies = new Map<string, string>()

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let raw = ''
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo[0]!.address, body: unfold(raw) })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  const port = (smtp.server.address() as AddressInfo).port
  h = await createHarness({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` }, jobWorker: true })
})
afterAll(async () => {
  await new Promise<void>((resolve) => smtp?.close(resolve))
  await h?.close()
})

/** A mail body as text (nodemailer encodes non-ASCII text as quoted-printable or base64). */
function unfold(raw: string): string {
  const split = raw.indexOf('\r\n\r\n')
  const [headers, body] = [raw.slice(0, split), raw.slice(split + 4)]
  const encoding = /Content-Transfer-Encoding: (\S+)/i.exec(headers)?.[1]?.toLowerCase()
  if (encoding === 'base64') return Buffer.from(body, 'base64').toString('utf8')
  if (encoding !== 'quoted-printable') return body
  return Buffer.from(
    body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8')
}

/** The token of the newest link of this kind sent to this address (once the worker has sent what is queued). */
async function lastToken(to: string, path: RegExp): Promise<string> {
  await h.settleMail()
  const mail = received.filter((m) => m.to === to).at(-1)
  const token = mail && new RegExp(`${path.source}([A-Za-z0-9_-]{43})`).exec(mail.body)?.[1]
  if (!token) throw new Error(`no link for ${to}`)
  return token
}

async function as(account: string | null): Promise<{ cookie: string | null; context: AppLoadContext }> {
  if (!account) return { cookie: null, context: await h.contextFor(null) }
  if (!cookies.has(account)) {
    const response = (await signInPage.action({
      request: formRequest('/sign-in', { email: account, password: DEMO_PASSWORD }),
      context: await h.contextFor(null),
      params: {},
    })) as Response
    cookies.set(account, sessionCookieFrom(response)!)
  }
  const cookie = cookies.get(account)!
  return { cookie, context: await h.contextFor(cookie) }
}


async function json(run: Promise<unknown>): Promise<unknown> {
  return ((await run) as Response).json()
}

async function userIdOf(email: string): Promise<string | undefined> {
  return (await h.db.adminSql<{ id: string }[]>`SELECT id FROM users WHERE email = ${email}`)[0]?.id
}

async function organisationIdOf(email: string): Promise<string> {
  const [row] = await h.db.adminSql<{ id: string }[]>`
    SELECT om.organisation_id AS id FROM organisation_members om JOIN users u ON u.id = om.user_id WHERE u.email = ${email}`
  return row!.id
}

describe('organisation members by invitation', () => {
  let organisationId: string
  const path = () => `/organisations/${organisationId}`
  const post = async (account: string, fields: Record<string, string>) => {
    const { cookie, context } = await as(account)
    return organisationPage.action({
      request: formRequest(path(), fields, cookie),
      context,
      params: { organisationId },
    }) as Promise<Response>
  }
  const invitationPage = (token: string, cookie: string | null = null) =>
    json(
      (async () =>
        memberInvitationPage.loader({
          request: getRequest(`/organisations/invitation/${token}`, cookie),
          context: await h.contextFor(cookie),
          params: { token },
        }))(),
    )
  const accept = async (token: string, fields: Record<string, string>, cookie: string | null = null) =>
    (await memberInvitationPage.action({
      request: formRequest(`/organisations/invitation/${token}`, fields, cookie),
      context: await h.contextFor(cookie),
      params: { token },
    })) as Response
  const newAccount = {
    intent: 'create',
    displayName: '新人 一郎',
    password: 'new member passphrase',
    locale: 'ja',
  }

  beforeAll(async () => {
    organisationId = await organisationIdOf('biz1@example.com')
  })

  it('an owner invites; the mail goes over SMTP with a single-use link whose token is stored hashed', async () => {
    const response = await post('biz1@example.com', {
      intent: 'invite',
      email: 'newcomer@example.org',
      role: 'member',
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe(`${path()}?invited=newcomer%40example.org`)
    const token = await lastToken('newcomer@example.org', /\/organisations\/invitation\//)
    expect(
      await h.db.adminSql`SELECT 1 FROM organisation_invitations WHERE token_hash = ${token}`,
    ).toHaveLength(0)
    expect(
      await h.db
        .adminSql`SELECT sent_at IS NOT NULL AS sent FROM mail_outbox WHERE to_address = 'newcomer@example.org'`,
    ).toEqual([{ sent: true }])
    const { cookie, context } = await as('biz1@example.com')
    const page = (await organisationPage.loader({
      request: getRequest(path(), cookie),
      context,
      params: { organisationId },
    })) as Response
    expect(page.headers.get('Cache-Control')).toBe('no-store')
    expect(((await page.json()) as { invitations: { email: string }[] }).invitations).toEqual([
      expect.objectContaining({ email: 'newcomer@example.org', role: 'member' }),
    ])
    expect(await invitationPage(token)).toMatchObject({
      state: 'open',
      invitation: { email: 'newcomer@example.org', organisationName: expect.any(String) },
    })
  })

  it('someone without an account accepts, is signed in and sees the organisation; the link works once', async () => {
    const token = await lastToken('newcomer@example.org', /\/organisations\/invitation\//)
    const response = await accept(token, newAccount)
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe(`${path()}?joined=1`)
    const cookie = sessionCookieFrom(response)!
    const page = (await organisationPage.loader({
      request: getRequest(path(), cookie),
      context: await h.contextFor(cookie),
      params: { organisationId },
    })) as Response
    const data = (await page.json()) as { members: { email: string; role: string }[]; invitations: unknown[] }
    expect(data.members).toContainEqual(
      expect.objectContaining({ email: 'newcomer@example.org', role: 'member' }),
    )
    // A plain member sees no invitations and may not invite.
    expect(data.invitations).toEqual([])
    expect(await invitationPage(token)).toMatchObject({ state: 'used', invitation: null })
    const replay = await accept(token, { ...newAccount, displayName: 'Again' })
    expect(replay.status).toBe(400)
    expect(await replay.json()).toEqual({
      formError: 'auth:errors.invalid_token',
      fieldErrors: {},
      // The answers are given back to the form, the password never.
      values: { intent: 'create', displayName: 'Again', locale: 'ja' },
    })
    const audit = await h.db.adminSql<{ action: string }[]>`
      SELECT action FROM platform_audit_log WHERE target_id = ${organisationId} AND action LIKE 'organisation.%' ORDER BY at`
    expect(audit.map((row) => row.action)).toEqual([
      'organisation.member_invited',
      'organisation.invitation_accepted',
    ])
  })

  it('a cancelled link says so and cannot be used; a resent one replaces the old link', async () => {
    await post('biz1@example.com', { intent: 'invite', email: 'biz2@example.com', role: 'owner' })
    const first = await lastToken('biz2@example.com', /\/organisations\/invitation\//)
    const [pending] = await h.db.adminSql<{ id: string }[]>`
      SELECT id FROM organisation_invitations WHERE email = 'biz2@example.com' AND revoked_at IS NULL`
    const resent = await post('biz1@example.com', { intent: 'resend', invitationId: pending!.id })
    expect(resent.status).toBe(302)
    const second = await lastToken('biz2@example.com', /\/organisations\/invitation\//)
    expect(second).not.toBe(first)
    expect(await invitationPage(first)).toMatchObject({ state: 'revoked', invitation: null })
    expect(await invitationPage(second)).toMatchObject({ state: 'open' })
    // Someone signed in with another address is told so; the invited account accepts.
    const { cookie: otherCookie } = await as('univ@example.com')
    const wrong = await accept(second, { intent: 'accept' }, otherCookie)
    expect(wrong.status).toBe(403)
    expect(await wrong.json()).toEqual({
      formError: 'auth:errors.wrong_email',
      fieldErrors: {},
      values: { intent: 'accept' },
    })
    const { cookie } = await as('biz2@example.com')
    expect((await accept(first, { intent: 'accept' }, cookie)).status).toBe(400)
    const accepted = await accept(second, { intent: 'accept' }, cookie)
    expect(accepted.status).toBe(302)
    expect(
      await h.db.adminSql`
      SELECT om.role FROM organisation_members om JOIN users u ON u.id = om.user_id
       WHERE om.organisation_id = ${organisationId} AND u.email = 'biz2@example.com'`,
    ).toEqual([{ role: 'owner' }])

    // Another owner (biz2, now) cancels an invitation the first owner sent.
    await post('biz1@example.com', { intent: 'invite', email: 'later@example.org', role: 'member' })
    const token = await lastToken('later@example.org', /\/organisations\/invitation\//)
    const [later] = await h.db.adminSql<
      { id: string }[]
    >`SELECT id FROM organisation_invitations WHERE email = 'later@example.org'`
    const cancelled = await post('biz2@example.com', { intent: 'cancel', invitationId: later!.id })
    expect(cancelled.headers.get('Location')).toBe(`${path()}?cancelled=1`)
    expect(await invitationPage(token)).toMatchObject({ state: 'revoked', invitation: null })
    expect((await accept(token, newAccount)).status).toBe(400)
    // Cancelling twice finds nothing waiting.
    expect((await post('biz1@example.com', { intent: 'cancel', invitationId: later!.id })).status).toBe(404)
    // A new invitation always names its inviter (row-level policy), whoever sends it.
    const [biz1, biz2] = [await userIdOf('biz1@example.com'), await userIdOf('biz2@example.com')]
    const forged = await withTenant(
      h.db.runtimeDb,
      { tenantId: null, userId: biz2!, actor: 'proposer' },
      (tx) =>
        tx.execute(sql`INSERT INTO organisation_invitations (organisation_id, email, token_hash, expires_at, invited_by)
          VALUES (${organisationId}, 'forged@example.org', 'forged', now() + interval '1 day', ${biz1!})`),
    ).catch((error: unknown) => error)
    expect((forged as { cause?: unknown }).cause ?? forged).toMatchObject({ code: '42501' })
  })

  it('an expired link says so', async () => {
    await post('biz1@example.com', { intent: 'invite', email: 'slow@example.org', role: 'member' })
    const token = await lastToken('slow@example.org', /\/organisations\/invitation\//)
    await h.db
      .adminSql`UPDATE organisation_invitations SET expires_at = now() - interval '1 minute' WHERE email = 'slow@example.org'`
    expect(await invitationPage(token)).toMatchObject({ state: 'expired', invitation: null })
    expect(await invitationPage('not-a-token')).toMatchObject({ state: 'unknown', invitation: null })
  })

  it('per role: only owners invite, cancel and resend; members and outsiders are refused', async () => {
    await post('biz1@example.com', { intent: 'invite', email: 'role-check@example.org', role: 'member' })
    const [pending] = await h.db.adminSql<
      { id: string }[]
    >`SELECT id FROM organisation_invitations WHERE email = 'role-check@example.org'`
    const expected: Record<string, number> = {
      'newcomer@example.org': 403,
      'univ@example.com': 404,
      'desk-admin@komatsu.example.jp': 404,
      'operator@example.com': 404,
    }
    // The newcomer signs in with the password chosen on the invitation page.
    const response = (await signInPage.action({
      request: formRequest('/sign-in', { email: 'newcomer@example.org', password: newAccount.password }),
      context: await h.contextFor(null),
      params: {},
    })) as Response
    cookies.set('newcomer@example.org', sessionCookieFrom(response)!)
    for (const [account, status] of Object.entries(expected)) {
      for (const fields of [
        { intent: 'invite', email: 'x@example.org', role: 'member' } as Record<string, string>,
        { intent: 'cancel', invitationId: pending!.id },
        { intent: 'resend', invitationId: pending!.id },
      ]) {
        expect(await statusOf(() => post(account, fields)), `${account} ${fields.intent}`).toBe(status)
      }
    }
    const { context } = await as(null)
    expect(
      await statusOf(() =>
        organisationPage.action({
          request: formRequest(path(), { intent: 'invite', email: 'x@example.org', role: 'member' }),
          context,
          params: { organisationId },
        }),
      ),
    ).toBe(302)
    expect(
      await h.db.adminSql`SELECT 1 FROM organisation_invitations WHERE email = 'x@example.org'`,
    ).toHaveLength(0)
  })

  it('the last owner can neither leave, be demoted nor be removed', async () => {
    const univ = await organisationIdOf('univ@example.com')
    const [owner] = await h.db.adminSql<
      { id: string }[]
    >`SELECT id FROM users WHERE email = 'univ@example.com'`
    const { cookie, context } = await as('univ@example.com')
    for (const fields of [
      { intent: 'leave' } as Record<string, string>,
      { intent: 'role', userId: owner!.id, role: 'member' },
      { intent: 'remove', userId: owner!.id },
    ]) {
      const response = (await organisationPage.action({
        request: formRequest(`/organisations/${univ}`, fields, cookie),
        context,
        params: { organisationId: univ },
      })) as Response
      expect(response.status, fields.intent).toBe(409)
      expect(await response.json()).toEqual({
        formError: 'auth:errors.last_owner',
        fieldErrors: {},
        values: fields,
      })
    }
    expect(
      await h.db.adminSql`SELECT role FROM organisation_members WHERE organisation_id = ${univ}`,
    ).toEqual([{ role: 'owner' }])
  })
})

describe('city staff invitations: accept, cancel and resend', () => {
  const params = { city: 'komatsu' }
  const post = async (account: string, fields: Record<string, string>) => {
    const { cookie, context } = await as(account)
    return staffPage.action({
      request: formRequest('/komatsu/desk/staff', fields, cookie),
      context,
      params,
    }) as Promise<Response>
  }
  const invitationState = async (token: string) =>
    (
      (await json(
        (async () =>
          cityInvitationPage.loader({
            request: getRequest(`/komatsu/invitation/${token}`),
            context: await h.contextFor(null),
            params: { ...params, token },
          }))(),
      )) as { state: string }
    ).state
  const pendingId = async (email: string) =>
    (
      await h.db.adminSql<{ id: string }[]>`
        SELECT id FROM invitations WHERE email = ${email} AND used_at IS NULL AND revoked_at IS NULL`
    )[0]?.id

  const acceptCity = async (token: string, fields: Record<string, string>, cookie: string | null = null) =>
    (await cityInvitationPage.action({
      request: formRequest(`/komatsu/invitation/${token}`, fields, cookie),
      context: await h.contextFor(cookie),
      params: { ...params, token },
    })) as Response
  const cityRoleOf = async (email: string) =>
    await h.db.adminSql<{ role: string }[]>`
      SELECT cm.role FROM city_memberships cm JOIN users u ON u.id = cm.user_id JOIN tenants t ON t.id = cm.tenant_id
       WHERE u.email = ${email} AND t.slug = 'komatsu'`

  it('a desk admin resends (new link, old one dead) and cancels (link dead, a clear message); both audited', async () => {
    const admin = 'desk-admin@komatsu.example.jp'
    expect(
      (await post(admin, { intent: 'invite', email: 'helper@komatsu.example.jp', role: 'desk_staff' }))
        .status,
    ).toBe(302)
    const first = await lastToken('helper@komatsu.example.jp', /\/komatsu\/invitation\//)
    expect(await invitationState(first)).toBe('open')
    expect(
      (await post(admin, { intent: 'resend', invitationId: (await pendingId('helper@komatsu.example.jp'))! }))
        .status,
    ).toBe(302)
    const second = await lastToken('helper@komatsu.example.jp', /\/komatsu\/invitation\//)
    expect(await invitationState(first)).toBe('revoked')
    expect(await invitationState(second)).toBe('open')
    const cancelled = await post(admin, {
      intent: 'cancel',
      invitationId: (await pendingId('helper@komatsu.example.jp'))!,
    })
    expect(cancelled.headers.get('Location')).toBe('/komatsu/desk/staff?cancelled=1')
    expect(await invitationState(second)).toBe('revoked')
    const refused = (await cityInvitationPage.action({
      request: formRequest(`/komatsu/invitation/${second}`, {
        intent: 'create',
        displayName: 'Helper',
        password: 'helper passphrase',
        locale: 'en',
      }),
      context: await h.contextFor(null),
      params: { ...params, token: second },
    })) as Response
    expect(refused.status).toBe(400)
    expect(await h.db.adminSql`SELECT 1 FROM users WHERE email = 'helper@komatsu.example.jp'`).toHaveLength(0)
    const audit = await h.db.adminSql<{ action: string }[]>`
      SELECT a.action FROM audit_log a JOIN tenants t ON t.id = a.tenant_id
       WHERE t.slug = 'komatsu' AND a.action LIKE 'staff.invit%' ORDER BY a.at`
    expect(audit.map((row) => row.action)).toEqual([
      'staff.invited',
      'staff.invitation_resent',
      'staff.invitation_cancelled',
    ])
  })

  it('per role: only the desk admin of the city invites, resends, cancels, changes roles and removes', async () => {
    await post('desk-admin@komatsu.example.jp', {
      intent: 'invite',
      email: 'waiting@komatsu.example.jp',
      role: 'desk_staff',
    })
    const invitationId = (await pendingId('waiting@komatsu.example.jp'))!
    const [membership] = await h.db.adminSql<{ id: string }[]>`
      SELECT cm.id FROM city_memberships cm JOIN users u ON u.id = cm.user_id WHERE u.email = 'dept-staff@komatsu.example.jp'`
    const expected: Record<string, number> = {
      'desk-staff@komatsu.example.jp': 403,
      'dept-staff@komatsu.example.jp': 403,
      'desk-admin@aomori.example.jp': 403,
      'biz1@example.com': 403,
      'operator@example.com': 403,
    }
    for (const [account, status] of Object.entries(expected)) {
      for (const fields of [
        { intent: 'resend', invitationId } as Record<string, string>,
        { intent: 'cancel', invitationId },
        { intent: 'role', membershipId: membership!.id, role: 'desk_admin' },
        { intent: 'remove', membershipId: membership!.id },
      ]) {
        expect(await statusOf(() => post(account, fields)), `${account} ${fields.intent}`).toBe(status)
      }
    }
    expect(await pendingId('waiting@komatsu.example.jp')).toBe(invitationId)
    expect(await h.db.adminSql`SELECT role FROM city_memberships WHERE id = ${membership!.id}`).toEqual([
      { role: 'department_staff' },
    ])
    // Another city's desk admin cannot reach this city's invitation through their own city either.
    expect(
      await statusOf(async () => {
        const { cookie, context } = await as('desk-admin@aomori.example.jp')
        return staffPage.action({
          request: formRequest('/aomori/desk/staff', { intent: 'cancel', invitationId }, cookie),
          context,
          params: { city: 'aomori' },
        })
      }),
    ).toBe(404)
    expect(await pendingId('waiting@komatsu.example.jp')).toBe(invitationId)
  })

  it('a newcomer accepts with a new account, a signed-in person with theirs; each link works once', async () => {
    const admin = 'desk-admin@komatsu.example.jp'
    await post(admin, { intent: 'invite', email: 'newcomer@komatsu.example.jp', role: 'desk_staff' })
    const fresh = await lastToken('newcomer@komatsu.example.jp', /\/komatsu\/invitation\//)
    const created = await acceptCity(fresh, {
      intent: 'create',
      displayName: '新任 花子',
      password: 'new staff passphrase',
      locale: 'ja',
    })
    expect(created.status).toBe(302)
    expect(created.headers.get('Location')).toBe('/account')
    expect(await cityRoleOf('newcomer@komatsu.example.jp')).toEqual([{ role: 'desk_staff' }])
    expect(await invitationState(fresh)).toBe('used')

    await post(admin, { intent: 'invite', email: 'desk-admin@aomori.example.jp', role: 'desk_staff' })
    const existing = await lastToken('desk-admin@aomori.example.jp', /\/komatsu\/invitation\//)
    const { cookie } = await as('desk-admin@aomori.example.jp')
    const accepted = await acceptCity(existing, { intent: 'accept' }, cookie)
    expect(accepted.status).toBe(302)
    expect(await cityRoleOf('desk-admin@aomori.example.jp')).toEqual([{ role: 'desk_staff' }])
    expect((await acceptCity(existing, { intent: 'accept' }, cookie)).status).toBe(400)
    const audit = await h.db.adminSql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM audit_log a JOIN tenants t ON t.id = a.tenant_id
       WHERE t.slug = 'komatsu' AND a.action = 'staff.invitation_accepted'`
    expect(audit).toEqual([{ n: 2 }])
  })
})
