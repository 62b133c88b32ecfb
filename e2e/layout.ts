import type { Locator, Page } from '@playwright/test'
import { expect, test } from './test'

/**
 * The page as it stands, at desktop and at phone width: nothing wider than the window (no sideways
 * scroll), and a screenshot of `part` (or the whole page) in the test's output for a person to look at.
 * Leaves the window at 1280 px, as the tests begin.
 */
export async function expectFitsBothWidths(page: Page, name: string, part?: Locator) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
    const path = test.info().outputPath(`${name}-${width}.png`)
    await (part ? part.screenshot({ path }) : page.screenshot({ path, fullPage: true }))
  }
  await page.setViewportSize({ width: 1280, height: 900 })
}

/**
 * Every row of the page's tables reads as one row: its cells end on one line. A cell given another display
 * (a flex box for its buttons) is no longer a table cell, and its border stands apart from its row's.
 */
export async function expectTableRowsAligned(page: Page) {
  const apart = await page.locator('table tr').evaluateAll((rows) =>
    rows.flatMap((row) => {
      const cells = [...row.children].filter((cell) => (cell as HTMLElement).offsetParent !== null)
      if (cells.length < 2) return []
      const displays = cells.map((cell) => getComputedStyle(cell).display)
      const name = row.textContent?.trim().slice(0, 40)
      // A table laid out as cards on a phone (every cell a block) has no row to line up.
      if (!displays.includes('table-cell')) return []
      if (displays.some((display) => display !== 'table-cell')) return [`${name}: cells displayed as ${displays.join(', ')}`]
      const bottoms = new Set(cells.map((cell) => Math.round(cell.getBoundingClientRect().bottom)))
      return bottoms.size > 1 ? [`${name}: cells end at ${[...bottoms].join(', ')}`] : []
    }),
  )
  expect(apart, 'rows whose cells end apart').toEqual([])
}
