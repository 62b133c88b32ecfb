import { expect, test, type Page } from './test'
import { expectNoAxeViolations } from './axe'
import { inEnglish, signIn } from './session'

/**
 * On a 390 px phone the working pages fit the screen: no field, select or
 * table pushes the page sideways, the screening table becomes one card per
 * criterion, a tick box sits beside its text and milestone dates stay whole.
 * The desk's menu reaches the published cases.
 */

const CITY = 'aomori'
/** A demo proposal of the city under accompanied implementation, with three milestones (db/seed/demo-history.ts). */
const WITH_MILESTONES = '高齢者見守りセンサーの共同実証'

test.use({ viewport: { width: 390, height: 844 } })

/** How many lines the text of each of `cells` takes. */
async function lineCounts(page: Page, selector: string) {
  return page.locator(selector).evaluateAll((cells) =>
    cells.map((cell) => {
      const range = document.createRange()
      range.selectNodeContents(cell)
      return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size
    }),
  )
}

async function expectNoSidewaysScroll(page: Page) {
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    screen: document.documentElement.clientWidth,
  }))
  expect(widths.page).toBeLessThanOrEqual(widths.screen)
}

test('the desk pages and the proposal form fit a phone, in Japanese and in English', async ({ page }) => {
  await signIn(page, `desk-admin@${CITY}.example.jp`)
  for (const english of [false, true]) {
    if (english) await inEnglish(page)
    await page.goto(`/${CITY}/desk`)
    await expectNoSidewaysScroll(page)
    // Reference codes and dates stay whole (the table scrolls inside its box instead).
    const codes = await lineCounts(page, '.desk-inbox tbody td.nowrap, .desk-inbox tbody span.nowrap')
    expect(codes.length).toBeGreaterThan(2)
    expect(codes.every((lines) => lines === 1)).toBe(true)
    // A page beyond the last offers the way back to the last one.
    await page.goto(`/${CITY}/desk?page=999`)
    await page.getByRole('link', { name: english ? 'Go to the last page' : '最後のページへ' }).click()
    await expect(page.locator('.desk-inbox tbody tr').first()).toBeVisible()
    expect(new URL(page.url()).searchParams.get('page')).not.toBe('999')

    // The staff table is a card per member, as the inbox: a row is short (not stretched by controls
    // scrolled out of sight) and its role, disable and remove controls are on the screen.
    await page.goto(`/${CITY}/desk/staff`)
    await expectNoSidewaysScroll(page)
    const members = page.locator('table tbody tr')
    expect(await members.count()).toBeGreaterThan(1)
    const cards = await members.evaluateAll((rows) =>
      rows.map((row) => ({
        height: row.getBoundingClientRect().height,
        controlsOffScreen: [...row.querySelectorAll('select, button')].filter(
          (control) => control.getBoundingClientRect().right > document.documentElement.clientWidth,
        ).length,
        // An e-mail address or a name stays inside its card.
        cellsPastEdge: [...row.querySelectorAll('td')].filter((cell) => {
          const range = document.createRange()
          range.selectNodeContents(cell)
          return range.getBoundingClientRect().right > row.getBoundingClientRect().right + 1
        }).length,
      })),
    )
    for (const card of cards) {
      // A member with every control (role, department, disable, remove) is about 410 px in English.
      expect(card.height).toBeLessThan(480)
      expect(card.controlsOffScreen).toBe(0)
      expect(card.cellsPastEdge).toBe(0)
    }
    await expectNoAxeViolations(page)

    await page.goto(`/${CITY}/desk`)
    const cases = page.getByRole('navigation', { name: english ? 'Desk menu' : 'デスクのメニュー' })
    await cases.getByRole('link', { name: english ? 'Published cases' : '公開事例の管理' }).click()
    await page.waitForURL(`**/${CITY}/desk/cases`)

    await page.goto(`/${CITY}/desk`)
    const first = page.locator('table a[href*="/desk/proposals/"]').first()
    await first.click()
    await page.waitForURL('**/desk/proposals/*')
    await expectNoSidewaysScroll(page)
    // Each criterion reads as a line of text, not a column one letter wide.
    const criterion = page.locator('.screening-table tbody th').first()
    expect((await criterion.boundingBox())!.width).toBeGreaterThan(300)
    // A department's tick box and its name share a line (in the routing form, or in the step that routes).
    const department = page.locator('label.choice:has(input[name="departments"])').last()
    const [box, label] = [await department.locator('input').boundingBox(), await department.boundingBox()]
    expect(box!.height).toBeLessThan(30)
    expect(label!.height).toBeLessThan(60)
    await expectNoAxeViolations(page)

    await page.goto(`/${CITY}/desk/themes`)
    await expectNoSidewaysScroll(page)

    // The milestones keep their dates whole and their owners readable (the table scrolls in its box).
    await page.goto(`/${CITY}/desk?q=${encodeURIComponent(WITH_MILESTONES)}`)
    await page.getByRole('link', { name: WITH_MILESTONES }).click()
    await page.waitForURL('**/desk/proposals/*')
    await page.goto(`${page.url()}/implementation`)
    await expectNoSidewaysScroll(page)
    const dates = await lineCounts(page, '.table-scroll tbody td:nth-of-type(1)')
    expect(dates.length).toBe(3)
    expect(dates.every((lines) => lines === 1)).toBe(true)
    expect(
      (await lineCounts(page, '.table-scroll tbody td:nth-of-type(2)')).every((lines) => lines <= 2),
    ).toBe(true)
    await expectNoAxeViolations(page)
  }
})

test("a business's two-city proposal form fits a phone", async ({ page }) => {
  await signIn(page, 'biz1@example.com')
  await page.goto('/proposals/new?city=komatsu&city=aomori')
  await expectNoSidewaysScroll(page)
  await inEnglish(page)
  await page.reload()
  await expectNoSidewaysScroll(page)
})

test("a proposer's proposal page keeps its facts and cards readable on a phone, in Japanese and in English", async ({
  page,
}) => {
  await signIn(page, 'biz1@example.com')
  for (const english of [false, true]) {
    if (english) await inEnglish(page)
    await page.goto('/proposals')
    await page
      .locator('a[href^="/proposals/komatsu/"]', { hasText: '空き店舗を活用した創業支援拠点の提案' })
      .click()
    await page.waitForURL('**/proposals/komatsu/*')
    await expectNoSidewaysScroll(page)
    // The longest term ("Answer expected by (portal's estimate)") wraps within its half of the row: the
    // values beside the terms keep the other half, and a reference code or a city name stays on one line.
    const facts = await page.locator('.proposer-proposal > .facts').evaluate((list) => ({
      width: list.getBoundingClientRect().width,
      values: [...list.querySelectorAll('dd')].map((value) => value.getBoundingClientRect().width),
    }))
    expect(facts.values.length).toBeGreaterThan(4)
    for (const width of facts.values) expect(width).toBeGreaterThanOrEqual(facts.width * 0.4)
    const reference = await lineCounts(page, '.proposer-proposal > .facts dd:has-text("KMT-")')
    expect(reference).toEqual([1])
    // The card of what was sent starts with its heading, not with a blank band above it.
    const gap = await page.locator('.proposer-proposal > section.card').evaluate((card) => {
      const style = getComputedStyle(card)
      const heading = card.querySelector('h2')!.getBoundingClientRect().top
      return (
        heading -
        card.getBoundingClientRect().top -
        parseFloat(style.borderTopWidth) -
        parseFloat(style.paddingTop)
      )
    })
    expect(gap).toBeLessThanOrEqual(1)
  }
})
