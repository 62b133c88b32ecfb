// pa11y ships no types: the part of its API the accessibility test uses.
declare module 'pa11y' {
  import type { Browser, Page } from 'puppeteer'

  type Pa11yIssue = {
    type: 'error' | 'warning' | 'notice'
    code: string
    message: string
    selector: string
    context: string
  }
  type Pa11yOptions = {
    browser?: Browser
    page?: Page
    standard?: 'WCAG2A' | 'WCAG2AA' | 'WCAG2AAA'
    runners?: string[]
    timeout?: number
    log?: {
      debug: (message: string) => void
      error: (message: string) => void
      info: (message: string) => void
    }
  }
  export default function pa11y(
    url: string,
    options?: Pa11yOptions,
  ): Promise<{ documentTitle: string; pageUrl: string; issues: Pa11yIssue[] }>
}
