import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadTenantFile, type TenantConfig } from '@desk/tenant-config'
import { getFixedT } from '~/utils/i18n.server'
import { agreementOutcome } from './agreement-outcome'

async function config(file: string): Promise<TenantConfig> {
  const loaded = await loadTenantFile(path.resolve(file))
  if (!loaded.ok) throw new Error(`${file} does not load`)
  return loaded.tenant.config
}

describe('the outcome of a decided proposal, by its label', () => {
  it('no agreement: the file’s word where it has one (ja and en), else the platform’s label marked as such', async () => {
    const [komatsu, town, village] = await Promise.all([
      config('tenants/komatsu.yaml'),
      config('e2e/fixtures/tenants/sample-town.yaml'),
      config('e2e/fixtures/tenants/fictional-village.yaml'),
    ])
    const [ja, en] = [await getFixedT('ja'), await getFixedT('en')]
    expect(agreementOutcome(komatsu, 'other', 'ja', ja)).toEqual({
      label: '協定を伴わない連携',
      platformWording: false,
    })
    expect(agreementOutcome(komatsu, 'other', 'en', en)).toEqual({
      label: 'Collaboration without an agreement',
      platformWording: false,
    })
    expect(agreementOutcome(village, 'without_agreement', 'ja', ja)).toEqual({
      label: '協定を結ばない協働',
      platformWording: false,
    })
    // sample-town's file does not word the outcome: the platform's label, said to be the platform's.
    expect(town.noAgreement).toBeUndefined()
    expect(agreementOutcome(town, 'informal', 'ja', ja)).toEqual({ label: '協定なし', platformWording: true })
    expect(agreementOutcome(town, 'informal', 'en', en)).toEqual({
      label: 'No agreement',
      platformWording: true,
    })
    expect(ja('after:outcome.platformWording')).toContain('ガイドラインの言葉ではありません')
  })

  it('an agreement: the kind’s label; a public call: said as such; no method yet: nothing', async () => {
    const komatsu = await config('tenants/komatsu.yaml')
    const ja = await getFixedT('ja')
    expect(agreementOutcome(komatsu, 'business_agreement', 'ja', ja)).toEqual({
      label: '事業連携協定',
      platformWording: false,
    })
    expect(agreementOutcome(komatsu, 'procurement', 'ja', ja)?.label).toBe('公募や調達の手続きへ')
    expect(agreementOutcome(komatsu, null, 'ja', ja)).toBeNull()
  })
})
