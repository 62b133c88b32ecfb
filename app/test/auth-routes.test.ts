import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, formRequest, getRequest, sessionCookieFrom, statusOf, type Harness } from '~/test/harness'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import * as accountPage from '~/routes/account._index'
import * as settingsPage from '~/routes/account.settings'
import * as organisationPage from '~/routes/organisations.$organisationId'
import * as staffPage from '~/routes/$city.desk.staff'
import * as devMailPage from '~/routes/dev.mail'
import * as signInPage from '~/routes/sign-in'
import * as signOutPage from '~/routes/sign-out'
import * as signUpPage from '~/routes/sign-up'

/**
 * The protected route families, one test per role, and the session rules
 * through the real route actions.
 */
let h: Harness
const cookies = new Map<string, string>()

async function signInCookie(email: string, password = DEMO_PASSWORD, existing?: string): Promise<string> {
  const context = await h.contextFor(existing)
  const response = (await signInPage.action({
    request: formRequest('/sign-in', { email, password }, existing),
    context,
    params: {},
  })) as Response
  expect(response.status).toBe(302)
  return sessionCookieFrom(response)!
}

async function as(account: string | null): Promise<{ cookie: string | null; context: AppLoadContext }> {
  if (!account) return { cookie: null, context: await h.contextFor(null) }
  if (!cookies.has(account)) cookies.set(account, await signInCookie(account))
  const cookie = cookies.get(account)!
  return { cookie, context: await h.contextFor(cookie) }
}


async function organisationIdOf(email: string): Promise<string> {
  const [row] = await h.db.adminSql<{ id: string }[]>`
    SELECT om.organisation_id AS id FROM organisation_members om JOIN users u ON u.id = om.user_id WHERE u.email = ${email}`
  return row!.id
}

beforeAll(async () => {
  h = await createHarness()
})
afterAll(async () => {
  await h?.close()
})

const everyone = [
  null,
  'biz1@example.com',
  'desk-admin@komatsu.example.jp',
  'desk-staff@komatsu.example.jp',
  'dept-staff@komatsu.example.jp',
  'desk-admin@aomori.example.jp',
  'operator@example.com',
] as const

describe('/account and /account/settings (requireUser)', () => {
  for (const account of everyone) {
    it(`${account ?? 'anonymous'}: ${account ? '200' : 'redirect to sign-in'}`, async () => {
      const { cookie, context } = await as(account)
      for (const [path, route] of [
        ['/account', accountPage],
        ['/account/settings', settingsPage],
      ] as const) {
        const status = await statusOf(() =>
          route.loader({ request: getRequest(path, cookie), context, params: {} }),
        )
        expect(status).toBe(account ? 200 : 302)
      }
    })
  }

  it('sends an anonymous visitor to sign in and back', async () => {
    const thrown = await accountPage
      .loader({ request: getRequest('/account'), context: await h.contextFor(null), params: {} })
      .catch((e) => e)
    expect(thrown.headers.get('Location')).toBe('/sign-in?redirectTo=%2Faccount')
  })
})

describe('/{city}/desk/staff (requireCityRole desk_admin)', () => {
  const expected: Record<string, number> = {
    anonymous: 302,
    'biz1@example.com': 403,
    'desk-admin@komatsu.example.jp': 200,
    'desk-staff@komatsu.example.jp': 403,
    'dept-staff@komatsu.example.jp': 403,
    'desk-admin@aomori.example.jp': 403,
    'operator@example.com': 403,
  }
  for (const account of everyone) {
    it(`${account ?? 'anonymous'} → ${expected[account ?? 'anonymous']}`, async () => {
      const { cookie, context } = await as(account)
      const loaderStatus = await statusOf(() =>
        staffPage.loader({
          request: getRequest('/komatsu/desk/staff', cookie),
          context,
          params: { city: 'komatsu' },
        }),
      )
      expect(loaderStatus).toBe(expected[account ?? 'anonymous'])
      const actionStatus = await statusOf(() =>
        staffPage.action({
          request: formRequest(
            '/komatsu/desk/staff',
            { intent: 'invite', email: 'x@example.jp', role: 'desk_staff' },
            cookie,
          ),
          context,
          params: { city: 'komatsu' },
        }),
      )
      expect(actionStatus).toBe(
        expected[account ?? 'anonymous'] === 200 ? 302 : expected[account ?? 'anonymous'],
      )
    })
  }

  it('an unknown city is a 404', async () => {
    const { cookie, context } = await as('desk-admin@komatsu.example.jp')
    expect(
      await statusOf(() =>
        staffPage.loader({
          request: getRequest('/nowhere/desk/staff', cookie),
          context,
          params: { city: 'nowhere' },
        }),
      ),
    ).toBe(404)
  })
})

describe('/organisations/{id} (requireOrgMember)', () => {
  it('owner 200; another organisation, staff and operator 404; anonymous to sign-in', async () => {
    const organisationId = await organisationIdOf('biz1@example.com')
    const path = `/organisations/${organisationId}`
    const expected: Record<string, number> = {
      anonymous: 302,
      'biz1@example.com': 200,
      'biz2@example.com': 404,
      'desk-admin@komatsu.example.jp': 404,
      'operator@example.com': 404,
    }
    for (const [account, status] of Object.entries(expected)) {
      const { cookie, context } = await as(account === 'anonymous' ? null : account)
      expect(
        await statusOf(() =>
          organisationPage.loader({ request: getRequest(path, cookie), context, params: { organisationId } }),
        ),
        account,
      ).toBe(status)
    }
  })

  it('a plain member reads but may not change the profile (403), and may leave', async () => {
    const organisationId = await organisationIdOf('univ@example.com')
    const [member] = await h.db.adminSql<
      { id: string }[]
    >`SELECT id FROM users WHERE email = 'biz2@example.com'`
    await h.db
      .adminSql`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES (${organisationId}, ${member!.id}, 'member')`
    const { cookie, context } = await as('biz2@example.com')
    const path = `/organisations/${organisationId}`
    expect(
      await statusOf(() =>
        organisationPage.loader({ request: getRequest(path, cookie), context, params: { organisationId } }),
      ),
    ).toBe(200)
    const edit = formRequest(
      path,
      { intent: 'profile', kind: 'university', organisationName: 'Renamed' },
      cookie,
    )
    expect(
      await statusOf(() => organisationPage.action({ request: edit, context, params: { organisationId } })),
    ).toBe(403)
    const leave = formRequest(path, { intent: 'leave' }, cookie)
    expect(
      await statusOf(() => organisationPage.action({ request: leave, context, params: { organisationId } })),
    ).toBe(302)
  })

  it('the last owner cannot leave', async () => {
    const organisationId = await organisationIdOf('univ@example.com')
    const { cookie, context } = await as('univ@example.com')
    const leave = formRequest(`/organisations/${organisationId}`, { intent: 'leave' }, cookie)
    const response = (await organisationPage.action({
      request: leave,
      context,
      params: { organisationId },
    })) as Response
    expect(response.status).toBe(409)
    expect(await response.json()).toEqual({
      formError: 'auth:errors.last_owner',
      fieldErrors: {},
      values: { intent: 'leave' },
    })
  })
})

describe('/dev/mail', () => {
  it('is a 404 in production unless MAIL_OUTBOX_PAGE=true', async () => {
    // From the machine itself: who else may read it is operator-session.test.ts's concern.
    const production = await h.contextFor(null, {
      env: { ...(await h.contextFor(null)).env, NODE_ENV: 'production' },
      clientIp: '127.0.0.1',
    })
    expect(
      await statusOf(() =>
        devMailPage.loader({ request: getRequest('/dev/mail'), context: production, params: {} }),
      ),
    ).toBe(404)
    const demo = await h.contextFor(null, {
      env: { ...production.env, MAIL_OUTBOX_PAGE: 'true' },
      clientIp: '127.0.0.1',
    })
    expect(
      await statusOf(() =>
        devMailPage.loader({ request: getRequest('/dev/mail'), context: demo, params: {} }),
      ),
    ).toBe(200)
  })
})

describe('sessions through the routes', () => {
  it('sign-in rotates the session: a new id, and the session the browser had is ended', async () => {
    const first = await signInCookie('biz2@example.com')
    const second = await signInCookie('biz2@example.com', DEMO_PASSWORD, first)
    expect(second).not.toBe(first)
    expect((await h.contextFor(first)).user).toBeNull()
    expect((await h.contextFor(second)).user?.email).toBe('biz2@example.com')
  })

  it('an old cookie replayed after sign-out is rejected', async () => {
    const cookie = await signInCookie('biz1@example.com')
    const context = await h.contextFor(cookie)
    const response = (await signOutPage.action({
      request: formRequest('/sign-out', {}, cookie),
      context,
      params: {},
    })) as Response
    expect(response.headers.get('Set-Cookie')).toMatch(/^session=; .*Max-Age=0/)
    const replayed = await h.contextFor(cookie)
    expect(replayed.user).toBeNull()
    expect(
      await statusOf(() =>
        accountPage.loader({ request: getRequest('/account', cookie), context: replayed, params: {} }),
      ),
    ).toBe(302)
  })

  it('throttled sign-in is a 429 with Retry-After, the same for a real and a made-up account', async () => {
    const answers: { status: number; body: unknown; retryAfter: string | null }[] = []
    for (const email of ['desk-staff@aomori.example.jp', 'made-up@example.jp']) {
      for (let i = 0; i < 10; i++) {
        const context = await h.contextFor(null, { clientIp: '192.0.2.100' })
        await signInPage.action({
          request: formRequest('/sign-in', { email, password: 'wrong' }),
          context,
          params: {},
        })
      }
      const context = await h.contextFor(null, { clientIp: '192.0.2.100' })
      const response = (await signInPage.action({
        request: formRequest('/sign-in', { email, password: 'wrong' }),
        context,
        params: {},
      })) as Response
      answers.push({
        status: response.status,
        body: await response.json(),
        retryAfter: response.headers.get('Retry-After'),
      })
    }
    for (const answer of answers)
      expect(answer).toEqual({
        status: 429,
        // The address typed is given back to the form; the password never is.
        body: {
          formError: 'auth:errors.throttled',
          fieldErrors: {},
          retryAfterMinutes: 15,
          values: { email: expect.stringMatching(/@/) },
        },
        retryAfter: expect.stringMatching(/^\d+$/),
      })
    // The same answer for both accounts; the seconds left may have ticked over between the two
    // requests (900, then 899 on a loaded machine), so they are compared within one second.
    const [real, madeUp] = answers.map((answer) => Number(answer.retryAfter))
    expect(real).toBeGreaterThan(840)
    expect(real).toBeLessThanOrEqual(900)
    expect(Math.abs(real! - madeUp!)).toBeLessThanOrEqual(1)
  })

  it('sign-up stores an Argon2id hash at OWASP parameters and sends the new owner to sign in', async () => {
    const context = await h.contextFor(null)
    const request = formRequest('/sign-up', {
      displayName: 'Test Owner',
      email: 'owner@example.org',
      password: 'a long enough passphrase',
      locale: 'en',
      kind: 'sole_proprietor',
      organisationName: 'Owner Works',
    })
    const response = (await signUpPage.action({ request, context, params: {} })) as Response
    expect(response.status).toBe(302)
    // No session: an address that already has an account gets this very answer (issue 17, finding 5).
    expect(response.headers.get('Location')).toBe('/sign-in?signedUp=1')
    expect(response.headers.get('Set-Cookie')).toBeNull()
    const [row] = await h.db.adminSql<
      { password_hash: string }[]
    >`SELECT password_hash FROM users WHERE email = 'owner@example.org'`
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
  })

  it('sign-up returns to where the visitor was going (same site only), e.g. the form with a city chosen', async () => {
    const signUpTo = async (email: string, redirectTo: string) => {
      const request = formRequest('/sign-up', {
        displayName: 'Returning Visitor',
        email,
        password: 'a long enough passphrase',
        locale: 'ja',
        kind: 'corporation',
        organisationName: '株式会社リターン',
        redirectTo,
      })
      const response = (await signUpPage.action({
        request,
        context: await h.contextFor(null),
        params: {},
      })) as Response
      expect(response.status).toBe(302)
      return response.headers.get('Location')
    }
    // Registered, the visitor signs in next and then goes on to where they were going.
    expect(await signUpTo('return1@example.org', '/proposals/new?city=komatsu')).toBe(
      `/sign-in?${new URLSearchParams({ signedUp: '1', redirectTo: '/proposals/new?city=komatsu' })}`,
    )
    expect(await signUpTo('return2@example.org', '//evil.example/phish')).toBe('/sign-in?signedUp=1')
    expect(await signUpTo('return3@example.org', 'https://evil.example/')).toBe('/sign-in?signedUp=1')
  })

  it('sign-up errors are per field, as locale keys (one per field, all at once)', async () => {
    const request = formRequest('/sign-up', {
      displayName: '',
      email: 'not-an-email',
      password: 'short',
      locale: 'ja',
      kind: 'corporation',
    })
    const response = (await signUpPage.action({
      request,
      context: await h.contextFor(null),
      params: {},
    })) as Response
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      formError: 'common:errors.operation.invalid_input',
      fieldErrors: {
        displayName: 'auth:validation.required',
        email: 'auth:validation.email',
        password: 'auth:validation.passwordLength',
        organisationName: 'auth:validation.required',
      },
      // Given back to the form, all but the password.
      values: { displayName: '', email: 'not-an-email', locale: 'ja', kind: 'corporation' },
    })
  })

  it('a password change in the settings ends the other sessions and keeps this browser signed in', async () => {
    const other = await signInCookie('univ@example.com')
    const cookie = await signInCookie('univ@example.com')
    const request = formRequest(
      '/account/settings',
      { intent: 'password', currentPassword: DEMO_PASSWORD, newPassword: 'univ new passphrase' },
      cookie,
    )
    const response = (await settingsPage.action({
      request,
      context: await h.contextFor(cookie),
      params: {},
    })) as Response
    expect(response.status).toBe(302)
    expect((await h.contextFor(other)).user).toBeNull()
    expect((await h.contextFor(cookie)).user).toBeNull()
    expect((await h.contextFor(sessionCookieFrom(response))).user?.email).toBe('univ@example.com')
  })

  it('sign out everywhere ends every session', async () => {
    const a = await signInCookie('biz1@example.com')
    const b = await signInCookie('biz1@example.com')
    const request = formRequest('/account/settings', { intent: 'sign-out-everywhere' }, a)
    await settingsPage.action({ request, context: await h.contextFor(a), params: {} })
    expect((await h.contextFor(a)).user).toBeNull()
    expect((await h.contextFor(b)).user).toBeNull()
  })
})

describe('staff management writes the city audit log', () => {
  it('invitation, role change and removal are audited; the last desk admin stays', async () => {
    const { cookie, context } = await as('desk-admin@aomori.example.jp')
    const params = { city: 'aomori' }
    const [department] = await h.db.adminSql<{ id: string }[]>`
      SELECT d.id FROM departments d JOIN tenants t ON t.id = d.tenant_id WHERE t.slug = 'aomori' LIMIT 1`
    const post = async (fields: Record<string, string>) =>
      (await staffPage.action({
        request: formRequest('/aomori/desk/staff', fields, cookie),
        context,
        params,
      })) as Response
    // Department staff need a department.
    expect(
      (await post({ intent: 'invite', email: 'new@aomori.example.jp', role: 'department_staff' })).status,
    ).toBe(400)
    expect(
      (
        await post({
          intent: 'invite',
          email: 'new@aomori.example.jp',
          role: 'department_staff',
          departmentId: department!.id,
        })
      ).status,
    ).toBe(302)
    const [deskStaff] = await h.db.adminSql<{ id: string }[]>`
      SELECT cm.id FROM city_memberships cm JOIN users u ON u.id = cm.user_id WHERE u.email = 'desk-staff@aomori.example.jp'`
    expect(
      (
        await post({
          intent: 'role',
          membershipId: deskStaff!.id,
          role: 'department_staff',
          departmentId: department!.id,
        })
      ).status,
    ).toBe(302)
    expect((await post({ intent: 'remove', membershipId: deskStaff!.id })).status).toBe(302)
    const [admin] = await h.db.adminSql<{ id: string }[]>`
      SELECT cm.id FROM city_memberships cm JOIN users u ON u.id = cm.user_id WHERE u.email = 'desk-admin@aomori.example.jp'`
    const demote = await post({ intent: 'role', membershipId: admin!.id, role: 'desk_staff' })
    expect(demote.status).toBe(409)
    expect(await demote.json()).toEqual({
      formError: 'auth:errors.last_admin',
      fieldErrors: {},
      values: { intent: 'role', membershipId: admin!.id, role: 'desk_staff' },
    })

    const audit = await h.db.adminSql<{ action: string }[]>`
      SELECT a.action FROM audit_log a JOIN tenants t ON t.id = a.tenant_id
       WHERE t.slug = 'aomori' AND a.action LIKE 'staff.%' ORDER BY a.at`
    expect(audit.map((row) => row.action)).toEqual(['staff.invited', 'staff.role_changed', 'staff.removed'])
    const [mail] = await h.db.adminSql<
      { text_body: string }[]
    >`SELECT text_body FROM mail_outbox WHERE to_address = 'new@aomori.example.jp'`
    expect(mail!.text_body).toMatch(/http:\/\/localhost:3000\/aomori\/invitation\/[A-Za-z0-9_-]{43}/)
    // Only the hash of the token is stored.
    const token = /invitation\/([A-Za-z0-9_-]{43})/.exec(mail!.text_body)![1]!
    expect(await h.db.adminSql`SELECT 1 FROM invitations WHERE token_hash = ${token}`).toHaveLength(0)
  })

  it('account events go to the platform audit log', async () => {
    const rows = await h.db.adminSql<{ action: string }[]>`SELECT DISTINCT action FROM platform_audit_log`
    expect(rows.map((row) => row.action)).toEqual(
      expect.arrayContaining([
        'account.sign_in',
        'account.sign_out',
        'account.sign_up',
        'account.password_changed',
        'account.sign_out_everywhere',
      ]),
    )
  })
})
