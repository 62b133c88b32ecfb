import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '~/test/harness'
import {
  describeScope,
  mailDailyDigests,
  matchCityContent,
  matchSavedSearches,
  saveSearch,
  listSavedSearches,
  unsubscribeWithToken,
  type AlertContext,
} from '~/operations/alerts/alerts.server'
import { parseSearchScope } from '~/operations/across-cities/search'
import { publishCase } from '~/operations/cases/cases.server'
import { saveTheme } from '~/operations/themes/themes.server'
import * as unsubscribePage from '~/routes/alerts.unsubscribe.$token'
import { getFixedT } from '~/utils/i18n.server'
import { setCityStatus } from '~/operations/operator/set-city-status.server'
import type { Operator } from '~/operations/actors'

/**
 * Alerts (issue 22) on the demo seed: a member saves a search; opening a
 * theme and publishing a case enqueue the matching job in their own
 * transaction; the job mails only open themes and published cases of live
 * cities, immediately or in a daily digest, each mail with its one-click
 * unsubscribe address; nobody but the member reads the saved search.
 */

let h: Harness
let context: AppLoadContext
let alerts: AlertContext
let slugs: string[]
let member: { userId: string; organisationId: string }
let otherMember: { userId: string; organisationId: string }

const THEME_TEXTS = {
  titleEn: '',
  backgroundJa: '',
  backgroundEn: '',
  expectedOutcomeJa: '',
  expectedOutcomeEn: '',
  departmentKey: null,
  deadline: null,
}

beforeAll(async () => {
  h = await createHarness()
  context = await h.contextFor(null)
  alerts = {
    db: h.db.runtimeDb,
    tenants: h.tenants,
    taxonomy: context.taxonomy,
    origin: 'https://desk.example',
  }
  slugs = h.tenants.list().map((city) => city.slug)
  const members = await h.db.ownerSql<{ user_id: string; organisation_id: string; email: string }[]>`
    SELECT m.user_id, m.organisation_id, u.email FROM organisation_members m JOIN users u ON u.id = m.user_id
     WHERE u.email IN ('biz1@example.com', 'biz2@example.com') ORDER BY u.email`
  member = { userId: members[0]!.user_id, organisationId: members[0]!.organisation_id }
  otherMember = { userId: members[1]!.user_id, organisationId: members[1]!.organisation_id }
  expect(member.organisationId).not.toBe(otherMember.organisationId)
})
afterAll(async () => {
  await h?.close()
})

function vocabulary() {
  return { taxonomy: context.taxonomy, cities: h.tenants.list() }
}

async function desk(slug: string) {
  const city = h.tenants.get(slug)!
  const [row] = await h.db.ownerSql<{ tenant_id: string; user_id: string }[]>`
    SELECT m.tenant_id, m.user_id FROM city_memberships m JOIN tenants t ON t.id = m.tenant_id
     WHERE t.slug = ${slug} AND m.role = 'desk_admin' LIMIT 1`
  return {
    city,
    tenant: { id: row!.tenant_id, config: city.config, configVersion: city.version },
    actor: { kind: 'staff' as const, userId: row!.user_id },
  }
}

/** A 防災 theme of the city, saved as a draft. */
async function disasterTheme(slug: string, title: string) {
  const { city, tenant, actor } = await desk(slug)
  const field = city.config.fieldsOfActivity.find(
    (candidate) => candidate.platformField === 'disaster_prevention',
  )!
  const { themeId } = await saveTheme(h.db.runtimeDb, {
    tenant,
    actor,
    input: { ...THEME_TEXTS, titleJa: title, fields: [field.id] },
  })
  return {
    themeId,
    open: () => saveTheme(h.db.runtimeDb, { tenant, actor, themeId, status: 'open' }),
    tenant,
    actor,
  }
}

async function matchJobsFor(itemId: string) {
  return h.db.adminSql<{ data: { itemKind: string; itemId: string } }[]>`
    SELECT data FROM pgboss.job WHERE name = 'alerts.match' AND data->>'itemId' = ${itemId}`
}

async function mailsAbout(text: string) {
  return h.db.ownerSql<
    { to_address: string; subject: string; text_body: string; list_unsubscribe_url: string | null }[]
  >`
    SELECT to_address, subject, text_body, list_unsubscribe_url FROM mail_outbox
     WHERE kind = 'alert' AND (subject LIKE ${`%${text}%`} OR text_body LIKE ${`%${text}%`})`
}

describe('alerts', () => {
  let immediateId: string

  it('saves a member’s search in their organisation; a search in an organisation they do not belong to is refused', async () => {
    const scope = parseSearchScope(new URLSearchParams('field=disaster_prevention'), vocabulary(), 'themes')
    immediateId = (
      await saveSearch(h.db.runtimeDb, { ...member, kind: 'themes', scope, frequency: 'immediate' })
    ).id
    await expect(
      saveSearch(h.db.runtimeDb, {
        userId: member.userId,
        organisationId: otherMember.organisationId,
        kind: 'themes',
        scope,
        frequency: 'daily',
      }),
    ).rejects.toThrow(/one of your organisations/)
    // The other organisation's member sees nothing of it.
    expect(await listSavedSearches(h.db.runtimeDb, otherMember.userId)).toEqual([])
    expect((await listSavedSearches(h.db.runtimeDb, member.userId)).map((search) => search.id)).toEqual([
      immediateId,
    ])
  })

  it('opening a 防災 theme enqueues the match in its transaction; the job mails the member at once, in their language, with a one-click unsubscribe', async () => {
    const theme = await disasterTheme(slugs[0]!, '防災アラートの確認テーマ')
    expect(await matchJobsFor(theme.themeId)).toEqual([]) // a draft enqueues nothing
    await theme.open()
    expect((await matchJobsFor(theme.themeId)).map((job) => job.data)).toEqual([
      { itemKind: 'theme', itemId: theme.themeId },
    ])
    expect(await matchSavedSearches(alerts, { kind: 'theme', id: theme.themeId })).toEqual({
      matched: 1,
      mailed: 1,
    })
    // A repeated job mails nothing twice.
    expect(await matchSavedSearches(alerts, { kind: 'theme', id: theme.themeId })).toEqual({
      matched: 0,
      mailed: 0,
    })
    const [mail, ...more] = await mailsAbout('防災アラートの確認テーマ')
    expect(more).toEqual([])
    expect(mail!.to_address).toBe('biz1@example.com')
    expect(mail!.subject).toContain('【新着テーマ】防災アラートの確認テーマ')
    expect(mail!.text_body).toContain(`https://desk.example/${slugs[0]}/themes/${theme.themeId}`)
    expect(mail!.text_body).toContain('分野: 防災・減災')
    expect(mail!.list_unsubscribe_url).toMatch(/^https:\/\/desk\.example\/alerts\/unsubscribe\/[0-9a-f]{64}$/)
    expect(mail!.text_body).toContain(mail!.list_unsubscribe_url)
  })

  it('never mails a draft theme, a closed theme, a draft city’s or a suspended city’s theme', async () => {
    const draft = await disasterTheme(slugs[1]!, '下書きのままの防災テーマ')
    expect(await matchSavedSearches(alerts, { kind: 'theme', id: draft.themeId })).toEqual({
      matched: 0,
      mailed: 0,
    })
    const closed = await disasterTheme(slugs[1]!, '閉じられた防災テーマ')
    await closed.open()
    await saveTheme(h.db.runtimeDb, {
      tenant: closed.tenant,
      actor: closed.actor,
      themeId: closed.themeId,
      status: 'closed',
    })
    expect(await matchSavedSearches(alerts, { kind: 'theme', id: closed.themeId })).toEqual({
      matched: 0,
      mailed: 0,
    })
    for (const status of ['draft', 'suspended'] as const) {
      const theme = await disasterTheme(slugs[1]!, `${status}の市の防災テーマ`)
      await theme.open()
      await h.db.ownerSql`UPDATE tenants SET status = ${status} WHERE slug = ${slugs[1]!}`
      try {
        expect(await matchSavedSearches(alerts, { kind: 'theme', id: theme.themeId })).toEqual({
          matched: 0,
          mailed: 0,
        })
      } finally {
        await h.db.ownerSql`UPDATE tenants SET status = 'live' WHERE slug = ${slugs[1]!}`
      }
    }
    for (const title of [
      '下書きのままの防災テーマ',
      '閉じられた防災テーマ',
      'draftの市の防災テーマ',
      'suspendedの市の防災テーマ',
    ]) {
      expect(await mailsAbout(title)).toEqual([])
    }
  })

  it('a saved search keeps the search box’s words: only an item with every word (NFKC, any case) is mailed, and the conditions say them', async () => {
    const [univ] = await h.db.ownerSql<{ user_id: string; organisation_id: string }[]>`
      SELECT m.user_id, m.organisation_id FROM organisation_members m JOIN users u ON u.id = m.user_id
       WHERE u.email = 'univ@example.com'`
    const worded = { userId: univ!.user_id, organisationId: univ!.organisation_id }
    // Full-width letters and a full-width space, as typed in a Japanese search box.
    const params = new URLSearchParams({ field: 'disaster_prevention', q: 'ｈｉｎａｎ　避難所' })
    const scope = parseSearchScope(params, vocabulary(), 'themes')
    expect(scope.q).toBe('ｈｉｎａｎ　避難所')
    await saveSearch(h.db.runtimeDb, { ...worded, kind: 'themes', scope, frequency: 'immediate' })
    const [saved] = await listSavedSearches(h.db.runtimeDb, worded.userId)
    expect(new URLSearchParams(saved!.query).get('q')).toBe('ｈｉｎａｎ　避難所')
    // The same filters without the words are another search.
    const unworded = parseSearchScope(
      new URLSearchParams('field=disaster_prevention'),
      vocabulary(),
      'themes',
    )
    await saveSearch(h.db.runtimeDb, { ...worded, kind: 'themes', scope: unworded, frequency: 'daily' })
    expect(await listSavedSearches(h.db.runtimeDb, worded.userId)).toHaveLength(2)

    const both = await disasterTheme(slugs[0]!, 'HINAN 訓練と避難所の運営')
    await both.open()
    const one = await disasterTheme(slugs[0]!, '避難所の備蓄だけのテーマ')
    await one.open()
    await matchSavedSearches(alerts, { kind: 'theme', id: both.themeId })
    await matchSavedSearches(alerts, { kind: 'theme', id: one.themeId })
    expect((await mailsAbout('HINAN 訓練と避難所の運営')).map((mail) => mail.to_address).sort()).toEqual([
      'biz1@example.com',
      'univ@example.com',
    ])
    expect((await mailsAbout('避難所の備蓄だけのテーマ')).map((mail) => mail.to_address)).toEqual([
      'biz1@example.com',
    ])
    const [mail] = (await mailsAbout('HINAN 訓練と避難所の運営')).filter(
      (row) => row.to_address === 'univ@example.com',
    )
    expect(mail!.text_body).toContain('キーワード: 「hinan」、「避難所」（すべてを含む）')
    const t = await getFixedT('en')
    expect(describeScope(scope, vocabulary(), 'en', t)).toContainEqual({
      label: 'Keywords',
      value: '“hinan”, “避難所” (all of them)',
    })
    // Deleted, so the daily digest below mails its own search's matches only.
    await h.db.ownerSql`DELETE FROM saved_searches WHERE user_id = ${worded.userId}`
  })

  it('publishing a case enqueues its match; an unpublished case never matches; a daily search gets one digest of what is still published', async () => {
    const scope = parseSearchScope(new URLSearchParams(''), vocabulary(), 'cases')
    const daily = await saveSearch(h.db.runtimeDb, {
      ...otherMember,
      kind: 'cases',
      scope,
      frequency: 'daily',
    })
    const { tenant, actor } = await desk(slugs[0]!)
    const [draft] = await h.db.ownerSql<{ id: string }[]>`
      SELECT id FROM published_cases WHERE tenant_id = ${tenant.id} AND status <> 'published' LIMIT 1`
    expect(await matchSavedSearches(alerts, { kind: 'case', id: draft!.id })).toEqual({
      matched: 0,
      mailed: 0,
    })
    await h.db.ownerSql`
      UPDATE published_cases SET title_ja = '公表された防災の事例', summary_ja = '概要', partner_name = 'デモ株式会社',
             fields = ARRAY[(SELECT 'disaster_prevention')]
       WHERE tenant_id = ${tenant.id} AND id = ${draft!.id}`
    await publishCase(h.db.runtimeDb, { tenant, actor, caseId: draft!.id })
    expect((await matchJobsFor(draft!.id)).map((job) => job.data)).toEqual([
      { itemKind: 'case', itemId: draft!.id },
    ])
    expect(await matchSavedSearches(alerts, { kind: 'case', id: draft!.id })).toEqual({
      matched: 1,
      mailed: 0,
    })
    const [published] = await h.db.ownerSql<{ id: string }[]>`
      SELECT id FROM published_cases WHERE tenant_id <> ${tenant.id} AND status = 'published' LIMIT 1`
    expect(await matchSavedSearches(alerts, { kind: 'case', id: published!.id })).toEqual({
      matched: 1,
      mailed: 0,
    })
    // The second case is withdrawn before the digest: the digest names the first only.
    await h.db.ownerSql`UPDATE published_cases SET status = 'withdrawn' WHERE id = ${published!.id}`
    expect(await mailDailyDigests(alerts)).toBe(1)
    expect(await mailDailyDigests(alerts)).toBe(0)
    const mails = await mailsAbout('公表された防災の事例')
    expect(mails.map((mail) => mail.to_address)).toEqual(['biz2@example.com'])
    expect(mails[0]!.subject).toContain('公表された防災の事例')
    expect(mails[0]!.text_body).toContain(`/${slugs[0]}/cases/${draft!.id}`)
    await h.db.ownerSql`UPDATE published_cases SET status = 'published' WHERE id = ${published!.id}`
    expect(daily.id).toBeTruthy()
  })

  it('a theme opened while its city was a draft is alerted when the operator makes the city live — once, not again on a later resume', async () => {
    const slug = slugs[1]!
    const [operatorRow] = await h.db.ownerSql<{ id: string }[]>`
      SELECT id FROM users WHERE email = 'operator@example.com'`
    const operator: Operator = {
      user: {
        id: operatorRow!.id,
        email: 'operator@example.com',
        displayName: 'Platform Operator',
        locale: 'ja',
        platformRole: 'operator',
      },
      sessionId: 'no-session',
      tenantContext: { tenantId: null, userId: operatorRow!.id, actor: 'operator' },
    }
    const [tenantRow] = await h.db.ownerSql<{ id: string }[]>`SELECT id FROM tenants WHERE slug = ${slug}`
    const tenantId = tenantRow!.id
    const cityJobs = () =>
      h.db.adminSql<{ data: { tenantId: string } }[]>`
        SELECT data FROM pgboss.job WHERE name = 'alerts.city_live' ORDER BY created_on`
    await h.db.ownerSql`UPDATE tenants SET status = 'draft' WHERE slug = ${slug}`
    await h.tenants.reload()
    try {
      const theme = await disasterTheme(slug, '下書き期間に開いた防災テーマ')
      await theme.open()
      // Its own job runs while the city is a draft: no search can see it yet.
      expect(await matchSavedSearches(alerts, { kind: 'theme', id: theme.themeId })).toEqual({
        matched: 0,
        mailed: 0,
      })
      expect(await mailsAbout('下書き期間に開いた防災テーマ')).toEqual([])

      await setCityStatus(h.db.runtimeDb, h.tenants, operator, { slug, change: 'make_live', ip: null })
      expect((await cityJobs()).map((job) => job.data)).toEqual([{ tenantId }])
      await matchCityContent(alerts, tenantId)
      const mails = await mailsAbout('下書き期間に開いた防災テーマ')
      expect(mails.map((mail) => mail.to_address)).toEqual(['biz1@example.com'])
      expect(mails[0]!.text_body).toContain(`/${slug}/themes/${theme.themeId}`)

      // The job again (a retry), or the city suspended and resumed: nothing is mailed twice.
      expect(await matchCityContent(alerts, tenantId)).toEqual({ matched: 0, mailed: 0 })
      await setCityStatus(h.db.runtimeDb, h.tenants, operator, { slug, change: 'suspend', ip: null })
      await setCityStatus(h.db.runtimeDb, h.tenants, operator, { slug, change: 'resume', ip: null })
      expect(await cityJobs()).toHaveLength(2)
      expect(await matchCityContent(alerts, tenantId)).toEqual({ matched: 0, mailed: 0 })
      expect(await mailsAbout('下書き期間に開いた防災テーマ')).toHaveLength(1)
    } finally {
      await h.db.ownerSql`UPDATE tenants SET status = 'live' WHERE slug = ${slug}`
      await h.tenants.reload()
    }
  })

  it('the unsubscribe address works without signing in and deletes only its own saved search', async () => {
    const [row] = await h.db.ownerSql<{ unsubscribe_token: string }[]>`
      SELECT unsubscribe_token FROM saved_searches WHERE id = ${immediateId}`
    const token = row!.unsubscribe_token
    const loaderArgs = {
      request: new Request(`http://localhost/alerts/unsubscribe/${token}`),
      context,
      params: { token },
    }
    const shown = (await (await unsubscribePage.loader(loaderArgs)).json()) as {
      found: { kind: string } | null
    }
    expect(shown.found?.kind).toBe('themes')
    // RFC 8058: the mail client POSTs List-Unsubscribe=One-Click, with no session.
    const answer = await unsubscribePage.action({
      request: new Request(`http://localhost/alerts/unsubscribe/${token}`, {
        method: 'POST',
        body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
      }),
      context,
      params: { token },
    })
    expect(await answer.json()).toEqual({ stopped: true })
    expect(await listSavedSearches(h.db.runtimeDb, member.userId)).toEqual([])
    expect((await listSavedSearches(h.db.runtimeDb, otherMember.userId)).length).toBe(1)
    expect(await unsubscribeWithToken(h.db.runtimeDb, token)).toBe(false)
    expect(await unsubscribeWithToken(h.db.runtimeDb, 'f'.repeat(64))).toBe(false)
  })
})
