import { expect, test } from './test'
import { loadTenantFile, type TenantConfig } from '../packages/tenant-config/src/index'
import { inEnglish, signIn } from './session'

/**
 * The portal and the proposal form say what each city's file says, and no
 * more (issues 16 and 18): the eligibility self-check asks the proposer to
 * confirm statements worded by the file, and boxes with nothing to confirm
 * are not shown.
 */

async function tenant(slug: string): Promise<TenantConfig> {
  const result = await loadTenantFile(`tenants/${slug}.yaml`)
  if (!result.ok) throw new Error(`tenants/${slug}.yaml does not load`)
  return result.tenant.config
}

test('the eligibility self-check asks to confirm the file’s statements; empty boxes are not shown', async ({
  page,
}) => {
  const [komatsu, aomori] = [await tenant('komatsu'), await tenant('aomori')]
  await signIn(page, 'biz1@example.com')
  for (const locale of ['ja', 'en'] as const) {
    if (locale === 'en') await inEnglish(page)
    await page.goto('/proposals/new?city=komatsu&city=aomori')
    const heading = locale === 'ja' ? '提案できる要件の確認' : /please confirm/
    const section = (slug: string) =>
      page.locator('section.city-form').filter({ has: page.locator(`[name="${slug}.proposalType"]`) })
    // Each statement the proposer ticks is the file's confirmation, never the ground itself.
    const boxes = section('komatsu').getByRole('group', { name: heading }).getByRole('checkbox')
    const expected = komatsu.eligibility.criteria.filter((criterion) => criterion.confirmation)
    expect(expected.length).toBeGreaterThan(0)
    await expect(boxes).toHaveCount(expected.length)
    for (const [index, criterion] of expected.entries()) {
      await expect(boxes.nth(index)).toHaveAccessibleName(criterion.confirmation?.[locale] ?? '')
      await expect(boxes.nth(index)).not.toHaveAccessibleName(criterion.text[locale] ?? '')
    }
    if (locale === 'ja') await expect(boxes.first()).toHaveAccessibleName(/に該当しません。$/)
    // Komatsu has no notes to acknowledge; Aomori no criterion for the proposer to confirm.
    expect(komatsu.notes).toBeUndefined()
    await expect(
      section('komatsu').getByRole('group', { name: locale === 'ja' ? '留意事項' : 'Notes for proposers' }),
    ).toHaveCount(0)
    await expect(section('aomori').getByRole('group', { name: heading })).toHaveCount(0)
    await expect(section('aomori').locator('input[name="aomori.notes"]')).toHaveCount(
      aomori.notes?.items.length ?? 0,
    )
  }
})
