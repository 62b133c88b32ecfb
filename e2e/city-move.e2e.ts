import { spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createGunzip } from 'node:zlib'
import { createReadStream } from 'node:fs'
import postgres from 'postgres'
import tar from 'tar-stream'
import { expect, test, type Page } from './test'
import { expectNoAxeViolations } from './axe'
import { freePort, startApp, type AppProcess } from './harness/app-process'
import { disposableCluster, type DisposableCluster } from './harness/postgres'
import { DEMO_PASSWORD, inEnglish, remixSettled, signIn } from './session'

/**
 * Issue 21, a city's data moves: a business proposes to one city with a
 * file on the source platform; the city's desk admin downloads all its data
 * (audited, ja/en, axe); the operator exports the city with
 * `pnpm tenants:export` and imports it into a fresh database with
 * `pnpm tenants:import`; a server on that database, with no tenant files of
 * its own, serves the city: its desk signs in with the same password, opens
 * the imported proposal by its reference code with its history, and its file
 * downloads byte for byte. The desk admin's copy is refused by the import.
 */

const CITY = 'komatsu'
const stamp = Date.now()
const title = `移転する提案 ${stamp}`
const pdf = { name: 'move.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n' + 'm'.repeat(5000)) }

let cluster: DisposableCluster
let work: string
let source: AppProcess
let target: AppProcess
let owner: postgres.Sql

const sourceData = () => path.join(work, 'source-data')
const targetData = () => path.join(work, 'target-data')

function cli(args: string[], env: Record<string, string>) {
  const result = spawnSync('pnpm', ['-s', ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 })
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

/** The entries of a .tar.gz, by name. */
async function entries(file: string): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>()
  const extract = tar.extract()
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = []
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.on('end', () => {
      found.set(header.name, Buffer.concat(chunks))
      next()
    })
  })
  await new Promise((resolve, reject) =>
    createReadStream(file).pipe(createGunzip()).pipe(extract).on('finish', resolve).on('error', reject),
  )
  return found
}

test.describe.configure({ mode: 'serial' })
test.setTimeout(300_000)

test.beforeAll(async () => {
  test.setTimeout(300_000)
  cluster = await disposableCluster(await freePort())
  work = await mkdtemp(path.join(os.tmpdir(), 'desk-city-move-'))
  owner = postgres(cluster.adminUrl, { max: 2, onnotice: () => {} })
  await owner`CREATE DATABASE target`
  const port = await freePort()
  source = await startApp({
    port,
    env: {
      DATABASE_URL: cluster.adminUrl,
      DATABASE_RUNTIME_PASSWORD: 'city-move-runtime-password',
      DATA_DIR: sourceData(),
      SEED_DEMO: 'true',
      TENANTS_DIR: 'tenants',
      APP_ORIGIN: `http://localhost:${port}`,
    },
  })
})

test.afterAll(async () => {
  await source?.stop()
  await target?.stop()
  await owner?.end({ timeout: 5 })
  await cluster?.dispose()
  if (work) await rm(work, { recursive: true, force: true })
})

test('a city moves to another database with its proposals, history, accounts and files; its desk admin downloads its data', async ({
  browser,
}) => {
  const sourceOrigin = `http://localhost:${new URL(source.url).port}`
  const context = await browser.newContext({ baseURL: sourceOrigin, acceptDownloads: true })
  const page: Page = await context.newPage()

  // On the source platform: a proposal with a file.
  await signIn(page, 'biz1@example.com')
  await page.goto(`/proposals/new?city=${CITY}`)
  await page.getByRole('radio', { name: 'フリー型' }).check()
  await page.locator(`[name="${CITY}.title"]`).fill(title)
  await page.locator(`[name="${CITY}.summary"]`).fill('別の基盤へ移る市の提案です。')
  await page.locator(`[name="${CITY}.documents"]`).setInputFiles(pdf)
  for (const box of await page
    .locator('input[type="checkbox"][name$=".criteria"], input[type="checkbox"][name$=".notes"]')
    .all())
    await box.check()
  await page.getByRole('button', { name: '1市に提案する' }).click()
  await page.waitForURL('**/proposals?submitted=*')
  const reference = new URL(page.url()).searchParams.get('submitted')!.trim()
  expect(reference).toMatch(/^KMT-\d{4}-\d{4}$/)

  // The desk admin's download: the page in Japanese and English, no axe violations; the archive; the audit.
  await signIn(page, `desk-admin@${CITY}.example.jp`)
  await page.goto(`/${CITY}/desk`)
  await page.getByRole('navigation', { name: 'デスクのメニュー' }).getByRole('link', { name: 'データの書き出し' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('市のデータの書き出し')
  await expect(page.getByText('パスワードと二段階認証の情報')).toBeVisible()
  await expectNoAxeViolations(page)
  await page.setViewportSize({ width: 390, height: 844 })
  await expectNoAxeViolations(page)
  await page.setViewportSize({ width: 1280, height: 900 })
  await inEnglish(page)
  await page.goto(`/${CITY}/desk/data`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Export the city's data")
  await expectNoAxeViolations(page)
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download the data' }).click(),
  ])
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${CITY}-data-\\d{4}-\\d{2}-\\d{2}\\.tar\\.gz$`))
  const cityCopy = path.join(work, 'city-copy.tar.gz')
  await download.saveAs(cityCopy)
  const copy = await entries(cityCopy)
  const manifest = JSON.parse(copy.get('manifest.json')!.toString('utf8'))
  expect(manifest.purpose).toBe('city')
  expect(copy.get('tables/proposals.jsonl')!.toString('utf8')).toContain(reference)
  expect([...copy.values()].some((content) => content.equals(pdf.buffer))).toBe(true)
  expect(copy.get('platform/users.jsonl')!.toString('utf8')).not.toContain('password_hash')
  const [audit] = await owner<{ n: number }[]>`
    SELECT count(*)::int AS n FROM audit_log WHERE action = 'city_data.exported'`
  expect(audit!.n).toBe(1)
  await remixSettled(page)
  await context.close()

  // The operator moves the city: export from the source, import into a fresh database.
  const targetUrlOfDatabase = new URL(cluster.adminUrl)
  targetUrlOfDatabase.pathname = '/target'
  const archive = path.join(work, `${CITY}.tar.gz`)
  const exported = cli(['tenants:export', CITY, '--out', archive], { DATABASE_URL: cluster.adminUrl, DATA_DIR: sourceData() })
  expect(exported.status, exported.output).toBe(0)
  const targetEnv = {
    DATABASE_URL: targetUrlOfDatabase.toString(),
    DATABASE_RUNTIME_PASSWORD: 'city-move-runtime-password',
    DATA_DIR: targetData(),
  }
  // The desk admin's copy is not a move archive.
  const refused = cli(['tenants:import', cityCopy], targetEnv)
  expect(refused.status).toBe(1)
  expect(refused.output).toContain('a city’s own copy of its data')
  const imported = cli(['tenants:import', archive], targetEnv)
  expect(imported.status, imported.output).toBe(0)
  expect(imported.output).toMatch(/imported komatsu: \d+ rows, 1 files/)

  // A server on the target, with no tenant file of its own: the city is served from its imported row.
  const emptyTenants = path.join(work, 'no-tenant-files')
  await mkdir(emptyTenants)
  const port = await freePort()
  // A real platform: no demo seed (SEED_DEMO defaults to true for pnpm demo).
  target = await startApp({
    port,
    env: { ...targetEnv, SEED_DEMO: 'false', TENANTS_DIR: emptyTenants, APP_ORIGIN: `http://localhost:${port}` },
  })
  const there = await browser.newContext({ baseURL: `http://localhost:${port}` })
  const desk = await there.newPage()
  await signIn(desk, `desk-staff@${CITY}.example.jp`, DEMO_PASSWORD)
  await desk.goto(`/${CITY}/desk?q=${encodeURIComponent(reference)}`)
  await desk.getByRole('link', { name: title }).click()
  await desk.waitForURL('**/desk/proposals/*')
  await expect(desk.getByRole('region', { name: '状況' })).toContainText(reference)
  await expect(desk.getByRole('region', { name: '経過' })).toContainText('提出')
  const file = await desk.request.get((await desk.getByRole('link', { name: /move\.pdf/ }).first().getAttribute('href'))!)
  expect(file.status()).toBe(200)
  expect(Buffer.from(await file.body()).equals(pdf.buffer)).toBe(true)
  // Only the city moved.
  expect((await desk.request.get('/aomori')).status()).toBe(404)
  // The business signs in there too, and finds its proposal.
  await signIn(desk, 'biz1@example.com', DEMO_PASSWORD)
  await desk.goto('/proposals')
  await expect(desk.getByRole('row').filter({ hasText: title })).toContainText(reference)
  await remixSettled(desk)
  await there.close()
})
