import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import { createHarness, formRequest, sessionCookieFrom, type Harness } from '~/test/harness'
import { refusedWith, shown } from '~/test/form-refusal'
import * as signInPage from '~/routes/sign-in'
import * as alertsPage from '~/routes/account.alerts._index'
import * as newAlertPage from '~/routes/account.alerts.new'

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
  page: { action: (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => unknown },
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
    expect(await shown(failure, 'ja', labels)).toContain('<a href="#organisationId">Organisation: 選択肢から選んでください。</a>')
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
    expect(failure).toEqual({ formError: 'common:errors.request.stale_form', fieldErrors: {} })
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
