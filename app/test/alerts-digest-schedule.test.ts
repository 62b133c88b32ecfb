import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createHarness, type Harness } from '~/test/harness'
import { saveSearch } from '~/operations/alerts/alerts.server'
import { parseSearchScope } from '~/operations/across-cities/search'
import { saveTheme } from '~/operations/themes/themes.server'
import { jobStates, startTestWorker, until } from '~/jobs/testing'
import type { JobWorker } from '~/jobs/worker.server'
import { smtpPeer } from '~/test/smtp-peer'

/**
 * The daily alert digest (issue 22) as a server runs it: registered with
 * pg-boss's scheduler at 08:00 in Japan, and fired by that scheduler — its
 * timekeeper decides the schedule is due, sends the `alerts.digest` job, a
 * worker runs it and the digest reaches an SMTP server. Not the digest
 * function called by hand.
 *
 * The timekeeper asks `Date.now()` whether a cron is due (cron-parser in the
 * schedule's time zone, against the clock skew it measured at start-up), so
 * once the worker runs, the test moves the process's clock (Date only; timers
 * stay real) to a minute of its choosing, always forwards.
 */

const HOUR = 3_600_000
let h: Harness
let worker: JobWorker | null = null
const peer = smtpPeer()

beforeAll(async () => {
  const port = await peer.listen()
  h = await createHarness()
  worker = await startTestWorker(h.db, {
    tenants: h.tenants,
    env: { SMTP_URL: `smtp://127.0.0.1:${port}`, APP_ORIGIN: 'https://desk.example' },
    scheduleCheckSeconds: 1,
  })
})
afterAll(async () => {
  vi.useRealTimers()
  await worker?.stop()
  await h?.close()
  await peer.close()
})

/** The first `hh:mm:10` UTC after `from`. */
function nextUtc(from: number, hour: number): Date {
  const day = new Date(from)
  day.setUTCHours(hour, 0, 10, 0)
  return new Date(day.getTime() <= from ? day.getTime() + 24 * HOUR : day.getTime())
}

describe('the daily alert digest', () => {
  it('is registered with pg-boss’s scheduler at 08:00 Japan time, fires then (not at 08:00 UTC) and delivers the digest', async () => {
    const [schedule] = await h.db.adminSql<{ cron: string; timezone: string }[]>`
      SELECT cron, timezone FROM pgboss.schedule WHERE name = 'alerts.digest'`
    expect(schedule).toEqual({ cron: '0 8 * * *', timezone: 'Asia/Tokyo' })

    // A member's daily 防災 search, and a desk opening a 防災 theme: the worker matches it (no mail yet).
    const [member] = await h.db.ownerSql<{ user_id: string; organisation_id: string }[]>`
      SELECT m.user_id, m.organisation_id FROM organisation_members m JOIN users u ON u.id = m.user_id
       WHERE u.email = 'biz1@example.com'`
    const scope = parseSearchScope(
      new URLSearchParams('field=disaster_prevention'),
      { taxonomy: (await h.contextFor(null)).taxonomy, cities: h.tenants.list() },
      'themes',
    )
    await saveSearch(h.db.runtimeDb, {
      userId: member!.user_id,
      organisationId: member!.organisation_id,
      kind: 'themes',
      scope,
      frequency: 'daily',
    })
    const city = h.tenants.list()[0]!
    const [desk] = await h.db.ownerSql<{ tenant_id: string; user_id: string }[]>`
      SELECT m.tenant_id, m.user_id FROM city_memberships m JOIN tenants t ON t.id = m.tenant_id
       WHERE t.slug = ${city.slug} AND m.role = 'desk_admin' LIMIT 1`
    const tenant = { id: desk!.tenant_id, config: city.config, configVersion: city.version }
    const actor = { kind: 'staff' as const, userId: desk!.user_id }
    const field = city.config.fieldsOfActivity.find((f) => f.platformField === 'disaster_prevention')!
    const { themeId } = await saveTheme(h.db.runtimeDb, {
      tenant,
      actor,
      input: {
        titleJa: '朝の便りで届く防災テーマ',
        titleEn: '',
        backgroundJa: '',
        backgroundEn: '',
        expectedOutcomeJa: '',
        expectedOutcomeEn: '',
        departmentKey: null,
        deadline: null,
        fields: [field.id],
      },
    })
    await saveTheme(h.db.runtimeDb, { tenant, actor, themeId, status: 'open' })
    const matched = await until(
      () => h.db.ownerSql<{ mailed_at: Date | null }[]>`
        SELECT mailed_at FROM saved_search_matches WHERE item_id = ${themeId}`,
      (rows) => rows.length === 1,
    )
    expect(matched).toEqual([{ mailed_at: null }])

    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true })
    // 08:00 UTC is 17:00 in Japan: a few checks of the scheduler later, no digest was sent.
    const eightUtc = nextUtc(Date.now(), 8)
    vi.setSystemTime(eightUtc)
    await new Promise((resolve) => setTimeout(resolve, 4_000))
    expect(await jobStates(h.db.adminSql, 'alerts.digest')).toEqual({})

    // 23:00 UTC is 08:00 in Japan: the scheduler sends the job, a worker mails the digest.
    vi.setSystemTime(nextUtc(eightUtc.getTime(), 23))
    const states = await until(
      () => jobStates(h.db.adminSql, 'alerts.digest'),
      (counts) => counts.completed === 1,
    )
    expect(states).toEqual({ completed: 1 })
    const delivered = await until(
      async () => peer.accepted.filter((message) => message.to.includes('biz1@example.com')),
      (messages) => messages.length === 1,
    )
    expect(delivered).toHaveLength(1)
    const [outbox] = await h.db.ownerSql<{ subject: string; text_body: string }[]>`
      SELECT subject, text_body FROM mail_outbox WHERE kind = 'alert' AND to_address = 'biz1@example.com'`
    expect(outbox!.subject).toContain('朝の便りで届く防災テーマ')
    expect(outbox!.text_body).toContain(`https://desk.example/${city.slug}/themes/${themeId}`)
    expect(
      await h.db
        .ownerSql`SELECT 1 FROM saved_search_matches WHERE item_id = ${themeId} AND mailed_at IS NULL`,
    ).toEqual([])
  }, 60_000)
})
