import { expect, test } from './test'
import { proposeToOneCity, remixSettled, signIn } from './session'

/**
 * Issue 19: the forms after the decision are checked in the browser with
 * their action's schema, as the other forms are — a refused answer is shown
 * beside its field before anything is sent (no round trip), through the one
 * field kit (the message tied to the control by aria-describedby).
 */

const CITY = 'komatsu'
const title = `E2E ブラウザ検査 ${Date.now()}`

test('a disclosure request with its required answers left out is refused in the browser, nothing sent', async ({
  page,
}) => {
  test.setTimeout(180_000)
  await proposeToOneCity(page, {
    proposer: 'biz1@example.com',
    city: CITY,
    title,
    summary: 'ブラウザでの検査を確かめます。',
  })

  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(`/${CITY}/desk?q=${encodeURIComponent(title)}`)
  await page.getByRole('link', { name: title }).click()
  await page.waitForURL('**/desk/proposals/*')
  await page.goto(`${page.url()}/disclosure`)
  await remixSettled(page)
  await page.locator('summary', { hasText: '新しい請求を記録する' }).click()
  const form = page.getByRole('form', { name: '新しい請求を記録する' })
  await form.getByLabel('受付日').fill('')

  const posts: string[] = []
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(request.url())
  })
  await form.getByRole('button', { name: '請求を記録して提案者に照会する' }).click()
  const requester = form.getByLabel('請求者（提案者には表示されません）')
  await expect(requester).toHaveAttribute('aria-invalid', 'true')
  await expect(form.locator('#request-requesterDescription-error')).toHaveText('入力してください。')
  await expect(requester).toHaveAttribute('aria-describedby', 'request-requesterDescription-error')
  await expect(form.locator('#request-receivedOn-error')).toHaveText('入力してください。')
  expect(posts).toEqual([])
  // The refused form as a person sees it, on a desktop and on a phone.
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 })
    await form.screenshot({ path: test.info().outputPath(`refused-request-${width}.png`) })
  }
})
