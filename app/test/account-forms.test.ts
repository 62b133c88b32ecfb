import type { ActionFunctionArgs, AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import { createHarness, formRequest, sessionCookieFrom, type Harness } from '~/test/harness'
import { refusedWith, shown } from '~/test/form-refusal'
import * as signInPage from '~/routes/sign-in'
import * as alertsPage from '~/routes/account.alerts._index'
import * as newAlertPage from '~/routes/account.alerts.new'
import * as organisationPage from '~/routes/organisations.$organisationId'
import * as staffPage from '~/routes/$city.desk.staff'
import * as operatorAccountsPage from '~/routes/operator.accounts'
import * as cityInvitationPage from '~/routes/$city.invitation.$token'
import * as memberInvitationPage from '~/routes/organisations.invitation.$token'

/**
 * The account forms read with one schema through @conform-to/zod (issue 19):
 * for each, a bad answer is a 400 worded in the reader's language (ja and en)
 * and changes nothing; a value the page itself sets, refused, says the page is
 * out of date.
 */

let h: Harness
const cookies = new Map<string, string>()

beforeAll(async () => {
  h = await createHarness()
})
afterAll(async () => {
  await h?.close()
})

async function signedIn(email: string): Promise<{ cookie: string; context: AppLoadContext }> {
  if (!cookies.has(email)) {
    const response = (await signInPage.action({
      request: formRequest('/sign-in', { email, password: DEMO_PASSWORD }),
      context: await h.contextFor(null),
      params: {},
    })) as Response
    expect(response.status).toBe(302)
    cookies.set(email, sessionCookieFrom(response)!)
  }
  const cookie = cookies.get(email)!
  return { cookie, context: await h.contextFor(cookie) }
}

/** Runs a route's action as a browser's POST of `values` from `email`'s session. */
async function post(
  page: { action: (args: ActionFunctionArgs) => unknown },
  path: string,
  email: string,
  values: Record<string, string>,
  params: Record<string, string> = {},
) {
  const { cookie, context } = await signedIn(email)
  return page.action({ request: formRequest(path, values, cookie), context, params })
}

async function organisationIdOf(email: string): Promise<string> {
  const [row] = await h.db.adminSql<{ id: string }[]>`
    SELECT om.organisation_id AS id FROM organisation_members om JOIN users u ON u.id = om.user_id WHERE u.email = ${email}`
  return row!.id
}

describe('alerts (account.alerts.new, account.alerts._index)', () => {
  const member = 'biz1@example.com'
  const savedSearches = () =>
    h.db.adminSql<{ id: string; frequency: string }[]>`
      SELECT s.id, s.frequency FROM saved_searches s JOIN users u ON u.id = s.user_id WHERE u.email = ${member} ORDER BY s.id`

  it('an organisation that is not a choice is a 400 at its field, in ja and en; nothing is saved', async () => {
    const failure = await refusedWith(
      400,
      await post(newAlertPage, '/account/alerts/new', member, {
        kind: 'themes',
        query: 'field=disaster_prevention',
        organisationId: 'mine',
        frequency: 'daily',
      }),
    )
    expect(failure.fieldErrors).toEqual({ organisationId: 'auth:validation.choose' })
    const labels = { organisationId: 'Organisation' }
    expect(await shown(failure, 'ja', labels)).toContain(
      '<a href="#organisationId">Organisation: 選択肢から選んでください。</a>',
    )
    expect(await shown(failure, 'en', labels)).toContain('Please choose one of the options.')
    expect(await savedSearches()).toEqual([])
  })

  it('a list kind the page never offers says the page is out of date; nothing is saved', async () => {
    const failure = await refusedWith(
      400,
      await post(newAlertPage, '/account/alerts/new', member, {
        kind: 'proposals',
        query: '',
        organisationId: await organisationIdOf(member),
        frequency: 'daily',
      }),
    )
    expect(failure.formError).toBe('common:errors.request.stale_form')
    expect(failure.fieldErrors).toEqual({})
    expect(await shown(failure, 'ja')).toContain('ページを開き直してから')
    expect(await shown(failure, 'en')).toContain('Please open the page again')
    expect(await savedSearches()).toEqual([])
  })

  it('saves with an empty query (every theme), then a frequency that is not offered is refused and changes nothing', async () => {
    const saved = (await post(newAlertPage, '/account/alerts/new', member, {
      kind: 'themes',
      query: '',
      organisationId: await organisationIdOf(member),
      frequency: 'daily',
    })) as Response
    expect(saved.status).toBe(302)
    const [search] = await savedSearches()
    expect(search?.frequency).toBe('daily')
    for (const values of [
      { intent: 'frequency', savedSearchId: search!.id, frequency: 'hourly' },
      { intent: 'frequency', savedSearchId: 'x', frequency: 'immediate' },
      { intent: 'pause', savedSearchId: search!.id },
    ] as Record<string, string>[]) {
      const failure = await refusedWith(400, await post(alertsPage, '/account/alerts', member, values))
      expect(failure.formError).toBe('common:errors.request.stale_form')
      expect(await shown(failure, 'en')).toContain('This page was out of date')
    }
    expect(await savedSearches()).toEqual([search])
  })
})

describe('organisation members (organisations.$organisationId)', () => {
  const owner = 'biz1@example.com'
  const profileOf = async (id: string) =>
    h.db
      .adminSql`SELECT name, kind, corporate_number, address, contact_person FROM organisations WHERE id = ${id}`

  it('a bad 法人番号 or a missing name is a 400 at its field in ja and en; the profile is unchanged', async () => {
    const organisationId = await organisationIdOf(owner)
    const before = await profileOf(organisationId)
    const profile = {
      intent: 'profile',
      kind: 'corporation',
      organisationName: '山田商事 改',
      corporateNumber: '12345',
      address: '石川県小松市',
      contactPerson: '山田',
    }
    const path = `/organisations/${organisationId}`
    const bad = await refusedWith(400, await post(organisationPage, path, owner, profile, { organisationId }))
    expect(bad.fieldErrors).toEqual({ corporateNumber: 'auth:validation.corporateNumber' })
    // What was typed comes back to the form.
    expect(bad.values).toMatchObject({ organisationName: '山田商事 改', corporateNumber: '12345' })
    expect(await shown(bad, 'ja')).toContain('法人番号は13桁の数字です')
    expect(await shown(bad, 'en')).toContain('A corporate number has 13 digits')
    const nameless = await refusedWith(
      400,
      await post(
        organisationPage,
        path,
        owner,
        { ...profile, corporateNumber: '', organisationName: '' },
        { organisationId },
      ),
    )
    expect(nameless.fieldErrors).toEqual({ organisationName: 'auth:validation.required' })
    expect(await shown(nameless, 'ja')).toContain('入力してください。')
    expect(await shown(nameless, 'en')).toContain('Please fill this in.')
    expect(await profileOf(organisationId)).toEqual(before)
  })

  it('an invitation to a bad address or role is a 400 in ja and en; nobody is invited', async () => {
    const organisationId = await organisationIdOf(owner)
    const path = `/organisations/${organisationId}`
    const invitations = () =>
      h.db.adminSql`SELECT 1 FROM organisation_invitations WHERE organisation_id = ${organisationId}`
    const before = (await invitations()).length
    const failure = await refusedWith(
      400,
      await post(
        organisationPage,
        path,
        owner,
        { intent: 'invite', email: 'new@', role: 'boss' },
        { organisationId },
      ),
    )
    expect(failure.fieldErrors).toEqual({ email: 'auth:validation.email', role: 'auth:validation.choose' })
    expect(failure.values).toEqual({ intent: 'invite', email: 'new@', role: 'boss' })
    expect(await shown(failure, 'ja')).toContain('選択肢から選んでください。')
    expect(await shown(failure, 'en')).toContain('Please enter an e-mail address')
    const stale = await refusedWith(
      400,
      await post(organisationPage, path, owner, { intent: 'remove', userId: 'someone' }, { organisationId }),
    )
    expect(stale.formError).toBe('common:errors.request.stale_form')
    expect((await invitations()).length).toBe(before)
  })
})

describe('city staff ($city.desk.staff)', () => {
  const admin = 'desk-admin@komatsu.example.jp'
  const memberships = () =>
    h.db
      .adminSql`SELECT cm.user_id, cm.role, cm.department_id FROM city_memberships cm JOIN tenants t ON t.id = cm.tenant_id
      WHERE t.slug = 'komatsu' ORDER BY cm.user_id`
  const invitations = () =>
    h.db
      .adminSql`SELECT ci.email FROM invitations ci JOIN tenants t ON t.id = ci.tenant_id WHERE t.slug = 'komatsu'`

  it('an invitation to a bad address, role or department is a 400 in ja and en; nobody is invited', async () => {
    const before = await invitations()
    const failure = await refusedWith(
      400,
      await post(
        staffPage,
        '/komatsu/desk/staff',
        admin,
        { intent: 'invite', email: 'staff@city', role: 'mayor', departmentId: 'roads' },
        { city: 'komatsu' },
      ),
    )
    expect(failure.fieldErrors).toEqual({
      email: 'auth:validation.email',
      role: 'auth:validation.choose',
      departmentId: 'auth:validation.choose',
    })
    expect(failure.values).toMatchObject({ email: 'staff@city' })
    expect(await shown(failure, 'ja')).toContain('name@example.jp のような形式')
    expect(await shown(failure, 'en')).toContain('Please choose one of the options.')
    expect(await invitations()).toEqual(before)
  })

  it('a role change with a role or member the page never offered says the page is out of date; nothing changes', async () => {
    const before = await memberships()
    const [member] = await h.db.adminSql<{ id: string }[]>`
      SELECT cm.id FROM city_memberships cm JOIN users u ON u.id = cm.user_id WHERE u.email = 'desk-staff@komatsu.example.jp'`
    for (const values of [
      { intent: 'role', membershipId: member!.id, role: 'mayor' },
      { intent: 'role', membershipId: 'x', role: 'desk_staff' },
      { intent: 'promote', membershipId: member!.id },
    ] as Record<string, string>[]) {
      const failure = await refusedWith(
        400,
        await post(staffPage, '/komatsu/desk/staff', admin, values, { city: 'komatsu' }),
      )
      expect(failure.formError).toBe('common:errors.request.stale_form')
      expect(await shown(failure, 'ja')).toContain('このページの内容が古いため')
      expect(await shown(failure, 'en')).toContain('This page was out of date')
    }
    expect(await memberships()).toEqual(before)
  })
})

describe('operator accounts (operator.accounts)', () => {
  it('a forged account id or intent says the page is out of date in ja and en; no account is disabled', async () => {
    const operator = 'operator@example.com'
    const { cookie } = await signedIn(operator)
    // The second factor given (the TOTP step is tested in operator-session.test).
    await h.db
      .adminSql`UPDATE sessions SET second_factor_at = now() WHERE user_id = (SELECT id FROM users WHERE email = ${operator})`
    expect(cookie).toBeTruthy()
    const [target] = await h.db.adminSql<
      { id: string }[]
    >`SELECT id FROM users WHERE email = 'biz2@example.com'`
    for (const values of [
      { intent: 'disable', userId: 'biz2', email: 'biz2@example.com' },
      { intent: 'delete', userId: target!.id, email: 'biz2@example.com' },
    ]) {
      const failure = await refusedWith(
        400,
        await post(operatorAccountsPage, '/operator/accounts', operator, values),
      )
      expect(failure.formError).toBe('common:errors.request.stale_form')
      expect(await shown(failure, 'ja')).toContain('このページの内容が古いため')
      expect(await shown(failure, 'en')).toContain('This page was out of date')
    }
    expect(await h.db.adminSql`SELECT 1 FROM users WHERE disabled_at IS NOT NULL`).toHaveLength(0)
  })
})

describe('invitation acceptance ($city.invitation.$token, organisations.invitation.$token)', () => {
  it('an account without a name or with a short password is a 400 in ja and en, its answers given back but the password; no account is created', async () => {
    for (const [page, path, params] of [
      [cityInvitationPage, '/komatsu/invitation/t', { city: 'komatsu', token: 't' }],
      [memberInvitationPage, '/organisations/invitation/t', { token: 't' }],
    ] as const) {
      const failure = await refusedWith(
        400,
        await page.action({
          request: formRequest(path, { intent: 'create', displayName: '', password: 'short', locale: 'en' }),
          context: await h.contextFor(null),
          params,
        }),
      )
      expect(failure.fieldErrors).toEqual({
        displayName: 'auth:validation.required',
        password: 'auth:validation.passwordLength',
      })
      expect(failure.values).toEqual({ intent: 'create', displayName: '', locale: 'en' })
      expect(await shown(failure, 'ja')).toMatch(/文字以上で入力してください/)
      expect(await shown(failure, 'en')).toContain('Please use at least')
    }
    expect(await h.db.adminSql`SELECT 1 FROM users WHERE display_name = ''`).toHaveLength(0)
  })
})
