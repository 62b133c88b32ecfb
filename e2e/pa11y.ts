import type { APIRequestContext, BrowserContext } from '@playwright/test'
import pa11y from 'pa11y'
import puppeteer from 'puppeteer'

/**
 * JIS X 8341-3 / WCAG 2.1 AA, second opinion to axe: the errors pa11y (HTML_CodeSniffer, WCAG2AA) finds on
 * `paths`, opened with `visitor`'s cookies (its language, its session: a request context or a signed-in browser's). pa11y drives Debian's Chromium through puppeteer; no
 * browser is ever downloaded (puppeteer's install script is not in package.json's onlyBuiltDependencies).
 * With `noRedirect`, a path that ends at another address (a signed-in page sending to sign-in: the session
 * did not carry over) is an error, not a pass on the wrong page.
 */
export async function pa11yErrors(
  origin: string,
  paths: string[],
  visitor: Pick<APIRequestContext, 'storageState'> | Pick<BrowserContext, 'storageState'>,
  { noRedirect = false } = {},
): Promise<string[]> {
  const { cookies } = await visitor.storageState()
  const chromium = await puppeteer.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  })
  try {
    const tab = await chromium.newPage()
    // By URL, not domain: a __Host- cookie (the production session's) must carry no Domain attribute.
    await tab.setCookie(
      ...cookies.map(({ name, value, path, secure, httpOnly }) => ({
        name,
        value,
        url: origin,
        path,
        secure,
        httpOnly,
      })),
    )
    const errors: string[] = []
    for (const path of paths) {
      const { issues } = await pa11y(`${origin}${path}`, {
        browser: chromium,
        page: tab,
        standard: 'WCAG2AA',
        runners: ['htmlcs'],
        timeout: 60_000,
      })
      if (noRedirect && tab.url() !== `${origin}${path}`) errors.push(`${path} ended at ${tab.url()}`)
      for (const issue of issues.filter(({ type }) => type === 'error')) {
        errors.push(`${path} ${issue.code} ${issue.selector}: ${issue.message} ${issue.context}`)
      }
    }
    return errors
  } finally {
    await chromium.close()
  }
}
