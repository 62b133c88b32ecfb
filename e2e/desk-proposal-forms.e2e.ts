import { expect, test, type Page } from './test'
import { expectNoAxeViolations } from './axe'
import { inEnglish, remixSettled, signIn, submitForm } from './session'
import { locales, wordsOf, type Locale } from './locale-words'

/**
 * The desk's routing, screening and workflow-step forms on the one field kit
 * (issue 19). A screening note longer than a screening keeps, or a routing to
 * a department the page no longer offers (the city's file changed while the
 * page was open), is refused in the browser with the action's own schema: the
 * form's error summary takes focus and links to the field, which says why, and
 * nothing is posted. Without JavaScript the action refuses it (400) and the
 * page shows the same summary with what was sent. A step refused by the
 * workflow shows its summary at its own form. Nothing is recorded either way.
 * Each refusal is checked in Japanese and in English, with the messages of the
 * app's own locale files.
 */

const CITY = 'komatsu'

/** The words a desk member reads on these forms, in one language (app/locales). */
function wordsFor(locale: Locale) {
  const auth = wordsOf(locale, 'auth')
  const desk = wordsOf(locale, 'desk').proposal
  const actions = wordsOf(locale, 'proposals').actions
  return {
    summaryTitle: auth.form.correctErrors,
    choose: auth.validation.choose,
    noteTooLong: desk.noteTooLong,
    screening: desk.screening,
    saveScreening: desk.saveScreening,
    routing: desk.routing,
    departments: desk.departments,
    route: desk.route,
    reasonRefused: `${actions.reason}: ${actions.errors.reason}`,
  }
}

/** A desk member signed in, reading in `locale`. */
async function signInAsDesk(page: Page, locale: Locale) {
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  if (locale === 'en') await inEnglish(page)
}

/** A desk proposal page that offers the routing form (no step of the workflow routes it now). */
async function openRoutableProposal(page: Page, locale: Locale = 'ja') {
  await signInAsDesk(page, locale)
  await page.goto(`/${CITY}/desk`)
  const hrefs = await page
    .locator('table a[href*="/desk/proposals/"]')
    .evaluateAll((links) => links.map((link) => link.getAttribute('href')!))
  for (const href of hrefs) {
    await page.goto(href)
    if ((await page.locator('#routing-form').count()) > 0) break
  }
  await remixSettled(page)
  return page.url()
}

/**
 * A department the city's file no longer has, ticked, as a page loaded before the change still offers it: a box
 * added to the form's list (outside React, which would set a changed value of its own box back on a render).
 */
async function offerGoneDepartment(page: Page, routingName: string) {
  const routing = page.getByRole('form', { name: routingName })
  await routing.locator('.choice-list').evaluate((list) => {
    const label = document.createElement('label')
    const box = Object.assign(document.createElement('input'), {
      type: 'checkbox',
      name: 'departments',
      value: 'closed-department',
      checked: true,
    })
    label.className = 'choice'
    label.append(box, ' 廃止された課')
    list.append(label)
  })
  return routing
}

function postsOf(page: Page): string[] {
  const posts: string[] = []
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(request.url())
  })
  return posts
}

for (const locale of locales) {
  const words = wordsFor(locale)

  test(`a too-long screening note and a routing to a department gone are refused in the browser: summary focused, nothing posted (${locale})`, async ({
    page,
  }) => {
    await openRoutableProposal(page, locale)
    const history = await page.locator('.history > li').count()
    const posts = postsOf(page)

    const screening = page.getByRole('form', { name: words.screening })
    const note = screening.locator('textarea[name^="note."]').first()
    const noteId = (await note.getAttribute('id'))!
    await screening.locator('select[name^="judgement."]').first().selectOption('unclear')
    const written = 'あ'.repeat(2001)
    await note.fill(written)
    await screening.getByRole('button', { name: words.saveScreening }).click()
    const summary = screening.locator('.error-summary')
    await expect(summary).toBeFocused()
    await expect(summary.getByRole('heading')).toHaveText(words.summaryTitle)
    const link = summary.getByRole('link')
    await expect(link).toHaveAttribute('href', `#${noteId}`)
    await expect(link).toContainText(words.noteTooLong)
    await expect(note).toHaveAttribute('aria-invalid', 'true')
    await expect(note).toHaveAttribute('aria-describedby', `${noteId}-error`)
    await expect(screening.locator(`#${noteId}-error`)).toHaveText(words.noteTooLong)
    await link.click()
    await expect(note).toBeFocused()
    await expectNoAxeViolations(page)
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 })
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
      await screening.screenshot({ path: test.info().outputPath(`refused-screening-${locale}-${width}.png`) })
    }
    await page.setViewportSize({ width: 1280, height: 900 })
    // Corrected, the note is refused no longer while typed.
    await note.fill('確認中')
    await expect(note).not.toHaveAttribute('aria-invalid')

    const routing = await offerGoneDepartment(page, words.routing)
    await routing.getByRole('button', { name: words.route }).click()
    const routingSummary = routing.locator('.error-summary')
    await expect(routingSummary).toBeFocused()
    await expect(routingSummary.getByRole('link')).toHaveText(`${words.departments}: ${words.choose}`)
    await expect(routingSummary.getByRole('link')).toHaveAttribute('href', '#routing-departments')
    await expect(routing.locator('#routing-departments-error')).toHaveText(words.choose)
    await expect(routing.getByRole('checkbox').first()).toHaveAttribute('aria-invalid', 'true')
    await expectNoAxeViolations(page)
    await routing.screenshot({ path: test.info().outputPath(`refused-routing-${locale}-1280.png`) })

    expect(posts).toEqual([])
    await expect(page.locator('.history > li')).toHaveCount(history)
  })

  test(`without JavaScript the action refuses them (400) with the summary at the form and what was sent (${locale})`, async ({
    browser,
  }) => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    await page.goto('/')
    const url = await openRoutableProposal(page, locale)
    const history = await page.locator('.history > li').count()

    const screening = page.getByRole('form', { name: words.screening })
    const noteId = (await screening.locator('textarea[name^="note."]').first().getAttribute('id'))!
    const judgementId = (await screening.locator('select[name^="judgement."]').first().getAttribute('id'))!
    await page.locator(`#${judgementId}`).selectOption('unclear')
    const written = `E2E ${'い'.repeat(2001)}`
    await page.locator(`#${noteId}`).fill(written)
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      screening.getByRole('button', { name: words.saveScreening }).click(),
    ])
    expect(answer.status()).toBe(400)
    const refused = page.getByRole('form', { name: words.screening })
    await expect(refused.locator('.error-summary').getByRole('heading')).toHaveText(words.summaryTitle)
    await expect(refused.locator('.error-summary').getByRole('link')).toHaveAttribute('href', `#${noteId}`)
    await expect(refused.locator(`#${noteId}-error`)).toHaveText(words.noteTooLong)
    await expect(page.locator(`#${noteId}`)).toHaveValue(written)
    await expect(page.locator(`#${judgementId}`)).toHaveValue('unclear')
    // Shown once, at the form: no second alert at the top of the page, none at the routing.
    await expect(page.getByRole('alert')).toHaveCount(1)
    await expect(page.getByRole('form', { name: words.routing }).locator('.error-summary')).toHaveCount(0)
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 })
      await refused.screenshot({
        path: test.info().outputPath(`refused-screening-nojs-${locale}-${width}.png`),
      })
    }
    await page.setViewportSize({ width: 1280, height: 900 })

    await page.goto(url)
    const kept = page.locator('#routing-departments-2')
    const keptName = (await kept.evaluate((box) => box.parentElement!.textContent!)).trim()
    await kept.check()
    const routing = await offerGoneDepartment(page, words.routing)
    const [routed] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      routing.getByRole('button', { name: words.route }).click(),
    ])
    expect(routed.status()).toBe(400)
    const refusedRouting = page.getByRole('form', { name: words.routing })
    await expect(refusedRouting.locator('.error-summary').getByRole('link')).toHaveText(
      `${words.departments}: ${words.choose}`,
    )
    await expect(refusedRouting.locator('#routing-departments-error')).toHaveText(words.choose)
    await expect(refusedRouting.getByRole('checkbox', { name: keptName })).toBeChecked()
    await expect(page.getByRole('alert')).toHaveCount(1)
    await refusedRouting.screenshot({
      path: test.info().outputPath(`refused-routing-nojs-${locale}-1280.png`),
    })

    await page.goto(url)
    await expect(page.locator('.history > li')).toHaveCount(history)
    await expect(page.locator(`#${noteId}`)).not.toHaveValue(written)
    await context.close()
  })

  test(`a step refused by the workflow shows its summary at its own form, in the reader’s language (${locale})`, async ({
    page,
  }) => {
    await signInAsDesk(page, locale)
    await page.goto(`/${CITY}/desk?state=intake`)
    await page.locator('table a[href*="/desk/proposals/"]').first().click()
    await page.waitForURL('**/desk/proposals/*')
    await remixSettled(page)
    const step = page.locator('.transition-forms form:has(textarea[name="reason"])').first()
    const reason = step.locator('textarea[name="reason"]')
    const reasonId = (await reason.getAttribute('id'))!
    await reason.fill('')
    await submitForm(page, (await step.getByRole('button').innerText()).trim(), step)
    const summary = step.locator('.error-summary')
    await expect(summary).toBeFocused()
    await expect(summary.getByRole('link')).toHaveText(words.reasonRefused)
    await expect(summary.getByRole('link')).toHaveAttribute('href', `#${reasonId}`)
    await expect(reason).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByRole('alert')).toHaveCount(1)
    await expect(page.locator('main')).not.toContainText('is required')
    await expectNoAxeViolations(page)
  })
}

test('the screening’s judgement shows its longest option whole, in Japanese and English, on a desk and on a phone', async ({
  page,
}) => {
  const address = await openRoutableProposal(page)
  for (const locale of ['ja', 'en'] as const) {
    if (locale === 'en') {
      await inEnglish(page)
      await page.goto(address)
    }
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 })
      // Each judgement's width against the same control sized by its own options (its widest one and the arrow).
      const widths = await page.locator('.screening-table select').evaluateAll((selects) =>
        selects.map((select) => {
          const sizedByOptions = select.cloneNode(true) as HTMLSelectElement
          sizedByOptions.removeAttribute('id')
          sizedByOptions.style.cssText =
            'width: auto; min-width: 0; max-width: none; position: absolute; visibility: hidden'
          select.parentElement!.append(sizedByOptions)
          const needed = sizedByOptions.getBoundingClientRect().width
          sizedByOptions.remove()
          return { shown: select.getBoundingClientRect().width, needed }
        }),
      )
      expect(widths.length).toBeGreaterThan(0)
      for (const { shown, needed } of widths)
        expect(shown, `${locale}, ${width} px`).toBeGreaterThanOrEqual(needed - 0.5)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
      await page
        .locator('.screening-table')
        .screenshot({ path: test.info().outputPath(`screening-judgement-${locale}-${width}.png`) })
    }
  }
})
