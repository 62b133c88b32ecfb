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
