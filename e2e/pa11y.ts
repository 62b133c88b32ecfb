import type { APIRequestContext } from '@playwright/test'
import pa11y from 'pa11y'
import puppeteer from 'puppeteer'

/**
 * JIS X 8341-3 / WCAG 2.1 AA, second opinion to axe: the errors pa11y (HTML_CodeSniffer, WCAG2AA) finds on
 * `paths`, opened with `visitor`'s cookies (its language). pa11y drives Debian's Chromium through puppeteer; no
 * browser is ever downloaded (puppeteer's install script is not in package.json's onlyBuiltDependencies).
 */
export async function pa11yErrors(
  origin: string,
  paths: string[],
  visitor: APIRequestContext,
): Promise<string[]> {
  const { cookies } = await visitor.storageState()
  const chromium = await puppeteer.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  })
  try {
    const tab = await chromium.newPage()
    await tab.setCookie(...cookies.map(({ name, value, domain, path }) => ({ name, value, domain, path })))
    const errors: string[] = []
    for (const path of paths) {
      const { issues } = await pa11y(`${origin}${path}`, {
        browser: chromium,
        page: tab,
        standard: 'WCAG2AA',
        runners: ['htmlcs'],
        timeout: 60_000,
      })
      for (const issue of issues.filter(({ type }) => type === 'error')) {
        errors.push(`${path} ${issue.code} ${issue.selector}: ${issue.message} ${issue.context}`)
      }
    }
    return errors
  } finally {
    await chromium.close()
  }
}
