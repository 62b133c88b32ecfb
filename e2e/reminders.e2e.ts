import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { parse } from 'yaml'
import { readFile } from 'node:fs/promises'
import type { TenantFileInput } from '@desk/tenant-config'
import { expect, test, type Browser, type Page } from './test'
import { expectNoAxeViolations } from './axe'
import { freePort, startApp, type AppProcess } from './harness/app-process'
import { disposableCluster, type DisposableCluster } from './harness/postgres'
import { inEnglish, signIn } from './session'
import { smtpPeer } from '../app/test/smtp-peer'
import { enqueueJob } from '../db/queue/enqueue'

/**
 * Issue 20, reminders: a proposal that has waited at its stage past the tenant
 * file's target shows as overdue in the desk's inbox ("days at this stage",
 * the past-target filter), the dashboard counts it against the target — marked
 * as a platform default, since Aomori's guideline states no number of days —
 * and the reminder job mails the desk through the mail queue to a real SMTP
 * peer. Time is moved by back-dating the proposal's arrival at its stage, and
 * the job is enqueued rather than waited for (its cron runs hourly).
 */

const CITY = 'aomori'
const FROM = 'Desk <no-reply@desk.example.jp>'
const DESK = `desk-staff@${CITY}.example.jp`
const shots = process.env.E2E_SCREENSHOTS

let cluster: DisposableCluster
let dataDir: string
let app: AppProcess
let owner: postgres.Sql
const peer = smtpPeer()

test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  test.setTimeout(240_000)
  cluster = await disposableCluster(await freePort())
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'desk-reminders-'))
  const smtpPort = await peer.listen()
  const port = await freePort()
  app = await startApp({
    port,
    env: {
      DATABASE_URL: cluster.adminUrl,
      DATABASE_RUNTIME_PASSWORD: 'reminders-runtime-password',
      DATA_DIR: dataDir,
      SEED_DEMO: 'true',
      TENANTS_DIR: 'tenants',
      APP_ORIGIN: `http://localhost:${port}`,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_FROM: FROM,
      JOB_POLL_SECONDS: '0.5',
    },
  })
  owner = postgres(cluster.adminUrl, { max: 2, onnotice: () => {} })
})

test.afterAll(async () => {
  await owner?.end()
  await app?.stop()
  await peer.close()
  await cluster?.dispose()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

async function deskPage(browser: Browser, width: number): Promise<Page> {
  const context = await browser.newContext({
    baseURL: app.url.replace('127.0.0.1', 'localhost'),
    viewport: { width, height: 900 },
  })
  const page = await context.newPage()
  await signIn(page, DESK)
  return page
}

test('a proposal past its stage’s target is overdue in the inbox, counted on the dashboard, and the desk is mailed once', async ({
  browser,
}) => {
  test.setTimeout(180_000)
  const config = parse(await readFile(`tenants/${CITY}.yaml`, 'utf8')) as TenantFileInput
  const targets = config.stageTargets!
  expect(
    targets.filter((t) => t.statedInGuideline !== undefined),
    'Aomori states no number of days: every target is a platform default',
  ).toEqual([])

  // A submitted proposal at a stage with a target, moved back: it arrived there the target + 3 days ago;
  // every other proposal of the city arrived at its stage just now, so only this one is past its target.
  const [proposal] = await owner<{ id: string; reference_code: string; title: string; track: string; state: string }[]>`
    SELECT p.id, p.reference_code, p.title, p.track, p.state FROM proposals p JOIN tenants t ON t.id = p.tenant_id
     WHERE t.slug = ${CITY} AND p.submitted_at IS NOT NULL
       AND (p.track || ':' || p.state) = ANY (${targets.map((t) => `${t.track}:${t.step}`)})
     ORDER BY p.submitted_at LIMIT 1`
  expect(proposal, 'the demo seed has an Aomori proposal at a stage with a target').toBeTruthy()
  const target = targets.find((t) => t.track === proposal!.track && t.step === proposal!.state)!
  const stage = config.tracks.find((t) => t.id === target.track)!.steps.find((s) => s.id === target.step)!
  const trackLabel = config.tracks.find((t) => t.id === target.track)!.label.ja!
  await owner`
    UPDATE proposals p SET state_entered_at = now(), stage_reminded_at = NULL
      FROM tenants t WHERE t.id = p.tenant_id AND t.slug = ${CITY}`
  await owner`
    UPDATE proposals SET state_entered_at = now() - make_interval(days => ${target.days + 3}) WHERE id = ${proposal!.id}`

  await test.step('the inbox: days at this stage, the past-target mark, and the filter that keeps only it', async () => {
    const page = await deskPage(browser, 1280)
    await page.goto(`/${CITY}/desk`)
    const row = page.getByRole('row').filter({ hasText: proposal!.title })
    await expect(row.getByRole('cell', { name: new RegExp(`^${target.days + 3}日`) })).toBeVisible()
    await expect(row.getByText(`目安${target.days}日超過`)).toBeVisible()
    await page.getByLabel('段階の目安日数を過ぎたものだけ').check()
    await page.getByRole('button', { name: '絞り込む' }).click()
    await page.waitForURL('**pastTargetOnly=on**')
    await expect(page.getByRole('status')).toHaveText('1件')
    await expect(page.getByRole('link', { name: proposal!.title })).toBeVisible()
    await expectNoAxeViolations(page)
    if (shots) await page.screenshot({ path: `${shots}/reminders-inbox-1280.png`, fullPage: true })

    // The dashboard: time at the stage against its target, marked as the platform's number.
    await page.goto(`/${CITY}/desk/dashboard`)
    const section = page.getByRole('region', { name: '段階ごとの滞留日数と目安' })
    const intake = section
      .getByRole('row')
      .filter({ hasText: trackLabel })
      .filter({ has: page.getByRole('rowheader', { name: stage.label.ja!, exact: true }) })
    await expect(intake.getByRole('cell').nth(4)).toContainText(`${target.days}日`)
    await expect(intake.getByRole('cell').nth(4)).toContainText('プラットフォームの既定値')
    await expect(intake.getByRole('cell').nth(5)).toHaveText('1')
    const defaults = page.getByRole('region', { name: 'ガイドラインにない値の確認' })
    await expect(defaults.getByRole('rowheader', { name: `stageTargets: ${target.track}.${target.step}` })).toBeVisible()
    await expectNoAxeViolations(page)
    if (shots) await section.screenshot({ path: `${shots}/reminders-dashboard-1280.png` })
    await inEnglish(page)
    await page.goto(`/${CITY}/desk?pastTargetOnly=on`)
    await expect(page.getByText(`Past its ${target.days}-day target`)).toBeVisible()
    await expectNoAxeViolations(page)
    await page.context().close()
  })

  await test.step('on a phone (390 px) the inbox row and the dashboard table fit the screen', async () => {
    const page = await deskPage(browser, 390)
    await page.goto(`/${CITY}/desk?pastTargetOnly=on`)
    await expect(page.getByText(`目安${target.days}日超過`)).toBeVisible()
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(await overflow()).toBeLessThanOrEqual(0)
    if (shots) await page.screenshot({ path: `${shots}/reminders-inbox-390.png`, fullPage: true })
    await page.goto(`/${CITY}/desk/dashboard`)
    expect(await overflow()).toBeLessThanOrEqual(0)
    const section = page.getByRole('region', { name: '段階ごとの滞留日数と目安' })
    await expect(section).toBeVisible()
    if (shots) await section.screenshot({ path: `${shots}/reminders-dashboard-390.png` })
    await page.context().close()
  })

  await test.step('the reminder job mails the desk through the mail queue, once however often it runs', async () => {
    for (let run = 0; run < 2; run++) await enqueueJob(owner, 'stages.remind', {})
    const reminders = async () =>
      owner<{ id: string; to_address: string; sent_at: Date | null }[]>`
        SELECT id, to_address, sent_at FROM mail_outbox
         WHERE subject LIKE ${`%${proposal!.reference_code}%`} AND subject LIKE '%目安%'`
    await expect
      .poll(async () => (await reminders()).filter((mail) => mail.sent_at).length, { timeout: 60_000 })
      .toBe(2)
    const mails = await reminders()
    expect(mails.map((mail) => mail.to_address).sort()).toEqual([`desk-admin@${CITY}.example.jp`, DESK])
    // Each reached the SMTP peer exactly once, addressed to its desk member.
    for (const mail of mails) {
      const received = peer.accepted.filter((message) => message.messageId === `<${mail.id}@desk.example.jp>`)
      expect(received.map((message) => message.to)).toEqual([[mail.to_address]])
    }
    // Once per proposal and stage: a third run mails nobody again.
    await enqueueJob(owner, 'stages.remind', {})
    await expect
      .poll(async () => (await owner`SELECT 1 FROM pgboss.job WHERE name = 'stages.remind' AND state <> 'completed'`).length)
      .toBe(0)
    expect(await reminders()).toHaveLength(2)
  })
})
