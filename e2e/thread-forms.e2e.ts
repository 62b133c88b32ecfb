import { expect, test, type Page } from './test'
import { remixSettled, signIn } from './session'

/**
 * The thread's forms on the one field kit (issue 19): an empty reply or
 * internal note is refused in the browser with the action's schema — the
 * error summary of its own form takes focus and links to the field, which
 * says why (aria-describedby), and nothing is posted. Without JavaScript the
 * action refuses it (400) and the page shows the same summary with what was
 * written, and the thread is unchanged.
 */

const CITY = 'komatsu'

async function openProposal(page: Page) {
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(`/${CITY}/desk`)
  await page.locator('table a[href*="/desk/proposals/"]').first().click()
  await page.waitForURL('**/desk/proposals/*')
  await remixSettled(page)
}

/** The POSTs the page sends from now on. */
function postsOf(page: Page): string[] {
  const posts: string[] = []
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(request.url())
  })
  return posts
}

test('an empty reply or internal note is refused in the browser: its summary is focused, nothing is posted', async ({
  page,
}) => {
  await openProposal(page)
  const entries = await page.locator('.thread__list > li').count()
  const posts = postsOf(page)

  const reply = page.getByRole('form', { name: 'メッセージを送る' })
  await reply.getByLabel('本文').fill('   ')
  await reply.getByRole('button', { name: '送信', exact: true }).click()
  const summary = reply.locator('.error-summary')
  await expect(summary).toBeFocused()
  await expect(summary.getByRole('heading')).toHaveText(
    '入力内容に誤りがあります。各項目のメッセージをご確認ください。',
  )
  const link = summary.getByRole('link', { name: '本文: 本文を入力してください（5000文字以内）。' })
  await expect(link).toHaveAttribute('href', '#message-body')
  const body = reply.getByLabel('本文')
  await expect(body).toHaveAttribute('aria-invalid', 'true')
  await expect(body).toHaveAttribute('aria-describedby', 'message-body-error')
  await expect(reply.locator('#message-body-error')).toHaveText('本文を入力してください（5000文字以内）。')
  // The summary's link brings the reader to the field.
  await link.click()
  await expect(body).toBeFocused()

  // The internal note is its own form: its refusal is shown there, the reply's stays at the reply.
  const note = page.getByRole('form', { name: '内部メモを追加' })
  await note.getByRole('button', { name: 'メモを追加' }).click()
  await expect(note.locator('.error-summary')).toBeFocused()
  await expect(note.locator('.error-summary').getByRole('link')).toHaveAttribute('href', '#note-body')
  await expect(note.getByLabel('メモ', { exact: true })).toHaveAttribute('aria-invalid', 'true')

  // Corrected, the message is refused no longer while typed.
  await body.fill('実施場所を教えてください。')
  await expect(body).not.toHaveAttribute('aria-invalid')
  expect(posts).toEqual([])
  await expect(page.locator('.thread__list > li')).toHaveCount(entries)
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 })
    await note.screenshot({ path: test.info().outputPath(`refused-note-${width}.png`) })
  }
})

test('without JavaScript an empty reply is refused by the action: 400, the summary at the reply, nothing posted', async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  await page.goto('/')
  await openProposal(page)
  const entries = await page.locator('.thread__list > li').count()
  const reply = page.getByRole('form', { name: 'メッセージを送る' })
  await reply.getByLabel('本文').fill('  ')
  const [answer] = await Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST'),
    reply.getByRole('button', { name: '送信', exact: true }).click(),
  ])
  expect(answer.status()).toBe(400)
  const refused = page.getByRole('form', { name: 'メッセージを送る' })
  await expect(refused.locator('.error-summary')).toBeVisible()
  await expect(refused.locator('.error-summary').getByRole('link')).toHaveAttribute('href', '#message-body')
  await expect(refused.locator('#message-body-error')).toHaveText('本文を入力してください（5000文字以内）。')
  // The refusal is the reply's: no second alert at the top of the page, none at the note.
  await expect(page.locator('.form-alert')).toHaveCount(0)
  await expect(page.getByRole('form', { name: '内部メモを追加' }).locator('.error-summary')).toHaveCount(0)
  await expect(page.locator('.thread__list > li')).toHaveCount(entries)
  await context.close()
})

test('a reply or an internal note, once sent, is in the thread and its form is empty; refused by the action, it is kept', async ({
  page,
}) => {
  await openProposal(page)
  const entries = await page.locator('.thread__list > li').count()
  const reply = page.getByRole('form', { name: 'メッセージを送る' })
  const body = reply.getByLabel('本文')
  const text = `実施場所の候補を添付します。${Date.now()}`
  await body.fill(text)
  // A file the city does not take: the action refuses the reply, and what was written stays.
  await reply.getByLabel('添付ファイル').setInputFiles({
    name: 'notes.html',
    mimeType: 'text/html',
    buffer: Buffer.from('<html></html>'),
  })
  await reply.getByRole('button', { name: '送信', exact: true }).click()
  await expect(reply.locator('.error-summary')).toBeFocused()
  await expect(body).toHaveValue(text)
  await expect(page.locator('.thread__list > li')).toHaveCount(entries)

  await reply.getByLabel('添付ファイル').setInputFiles([])
  await reply.getByRole('button', { name: '送信', exact: true }).click()
  await expect(page.locator('.thread__list > li')).toHaveCount(entries + 1)
  await expect(page.locator('.thread__list > li').last()).toContainText(text)
  await expect(body).toHaveValue('')
  await expect(reply.locator('.error-summary')).toHaveCount(0)

  const note = page.getByRole('form', { name: '内部メモを追加' })
  await note.getByLabel('メモ', { exact: true }).fill(`担当課に確認済み。${Date.now()}`)
  await note.getByRole('button', { name: 'メモを追加' }).click()
  await expect(page.locator('.thread__list > li')).toHaveCount(entries + 2)
  await expect(note.getByLabel('メモ', { exact: true })).toHaveValue('')
  // Each form drawn anew once, in its place.
  await expect(page.locator('#reply-form')).toHaveCount(1)
  await expect(page.locator('#note-form')).toHaveCount(1)
})
