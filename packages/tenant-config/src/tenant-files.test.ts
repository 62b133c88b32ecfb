import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadTenantDirectory, parseTenantSource } from './load'
import { formatProblem } from './problems'
import { tenantsDirectory } from './repository'
import type { TenantConfig } from './schema'

/** The seed facts of both guidelines, checked by content in the real tenant files. */
let komatsu: TenantConfig
let aomori: TenantConfig

beforeAll(async () => {
  const { tenants, problems } = await loadTenantDirectory(tenantsDirectory)
  expect(problems).toEqual([])
  const bySlug = new Map(tenants.map((tenant) => [tenant.config.slug, tenant.config]))
  komatsu = bySlug.get('komatsu')!
  aomori = bySlug.get('aomori')!
})

const ja = (items: { ja?: string }[]) => items.map((item) => item.ja)
const byId = <T extends { id: string }>(items: T[], id: string): T => {
  const item = items.find((candidate) => candidate.id === id)
  if (!item) throw new Error(`no item "${id}"`)
  return item
}

describe('both tenant files', () => {
  it('load without problems, in ja and en, with distinct slugs and prefixes', () => {
    for (const config of [komatsu, aomori]) {
      expect(config.locales).toEqual(['ja', 'en'])
      expect(config.defaultLocale).toBe('ja')
    }
    expect(komatsu.identity.referenceCodePrefix).toBe('KMT')
    expect(aomori.identity.referenceCodePrefix).not.toBe('KMT')
  })
})

describe('Komatsu', () => {
  it('states the purpose and the three-way good with its three goods', () => {
    expect(komatsu.purpose.text.ja).toContain('活力のあるまちづくりを共に進めることを目的として「こまつ公民連携デスク」を開設しました。')
    expect(komatsu.sharedValue?.kind).toBe('three_way_good')
    expect(komatsu.sharedValue?.statement.ja).toBe(
      '「公」と「民」がお互いの強みを提供しあい、「市民」にとってもメリットのある「三方よし」の公民連携を目指します。',
    )
    expect(komatsu.sharedValue?.items.map((item) => item.beneficiary)).toEqual(['citizens', 'businesses', 'city'])
    expect(komatsu.sharedValue?.items[0]?.text?.ja).toContain('最適かつきめ細かな公共サービスの享受')
    expect(komatsu.sharedValue?.items[1]?.text?.ja).toContain('研究・実証フィールドの獲得')
    expect(komatsu.sharedValue?.items[2]?.text?.ja).toContain('財源の効果的な活用')
  })

  it('has the three desk functions', () => {
    expect(komatsu.desk.functions.map((fn) => fn.title.ja)).toEqual([
      'コンシェルジュ機能',
      'コーディネート機能',
      'ノウハウ・情報の蓄積と共有',
    ])
    expect(komatsu.desk.functions[1]?.text.ja).toContain('企業や大学等と市役所各部局との橋渡しを行います。')
  })

  it('has both proposal types and their three-step flows as the guideline writes them (lines 109-149)', () => {
    expect(komatsu.proposalTypes.map((type) => [type.id, type.label.ja, type.answersPublishedTheme])).toEqual([
      ['theme', 'テーマ型', true],
      ['free', 'フリー型', false],
    ])
    const [theme, free] = komatsu.guidelineFlows
    expect(theme?.title.ja).toBe('「テーマ型」の公民連携の進め方')
    expect(free?.title.ja).toBe('「フリー型」の公民連携の進め方')
    expect(theme?.steps).toHaveLength(3)
    expect(free?.steps).toHaveLength(3)
    expect(theme?.steps[0]?.text?.ja).toContain('市のホームページに掲載のうえ、提案を広く募集します。')
    expect(free?.steps[0]?.text?.ja).toContain('こまつ公民連携デスクにて受け付け、市役所の各部局に情報共有します。')
    expect(free?.steps[1]).toEqual(theme?.steps[1])
    expect(theme?.steps[2]?.text?.ja).toBe('協定の締結も含め、具体的な連携事業を実施します。')
    expect(theme?.steps[2]?.note?.ja).toBe('(協定を伴わない連携の場合もあり)')
    // Who carries out step 3 follows the role matrix per collaboration method.
    expect(theme?.steps[2]?.lanes).toEqual([])
    expect(theme?.steps[2]?.matrixPhases).toEqual(['conclusion', 'procurement', 'implementation'])
  })

  it('dates the guideline as it does: 令和4年5月, the month only (line 7)', () => {
    expect(komatsu.guideline?.issuedOn).toBe('2022-05')
    expect(komatsu.guideline?.calendar).toBe('japanese_era')
  })

  it('has the five attitudes in order', () => {
    expect(komatsu.principles.heading.ja).toBe('公民連携への取組み姿勢')
    expect(komatsu.principles.items.map((item) => item.title.ja)).toEqual([
      '公平性の確保',
      '対話を重視',
      '対等な関係',
      '強みの提供',
      'アイデアの保護',
    ])
    expect(komatsu.principles.items[3]?.text.ja).toContain('財政面以外の強み')
  })

  it('has the seven grounds for not accepting, the first decided by the platform', () => {
    expect(ja(komatsu.eligibility.criteria.map((criterion) => criterion.text))).toEqual([
      '個人（個人事業主は除きます。）からの提案の場合',
      '法令や公序良俗に反する場合',
      '小松市の施策に反し、矛盾し又は抵触する場合',
      '政治的・宗教的な関連性や要素がある場合',
      '公共性・公平性に問題がある場合',
      '企業等の営業や広告宣伝のみを目的とする場合',
      'その他小松市が連携を行うにあたりふさわしくないと判断した場合',
    ])
    const [individual, ...others] = komatsu.eligibility.criteria
    expect(individual).toMatchObject({ decidedBy: 'platform', excludesOrganisationKinds: ['individual'] })
    expect(others.every((criterion) => criterion.decidedBy === 'desk')).toBe(true)
    expect(komatsu.eligibility.eligibleOrganisationKinds).toContain('sole_proprietor')
    expect(komatsu.eligibility.eligibleOrganisationKinds).not.toContain('individual')
  })

  it('has the four collaboration methods, the agreements and the procurement route', () => {
    expect(komatsu.collaborationMethods.map((method) => [method.label.ja, method.agreementKind, method.viaPublicCall])).toEqual([
      ['包括連携協定', 'comprehensive', false],
      ['事業連携協定', 'business', false],
      ['その他連携', undefined, false],
      ['公募や調達が伴う連携', undefined, true],
    ])
    expect(byId(komatsu.agreementKinds, 'comprehensive').description.ja).toContain('幅広い分野での連携の取組みを継続的に行う場合')
    expect(byId(komatsu.agreementKinds, 'business').description.ja).toBe('個別の分野での連携の取組みを行う場合に締結します。')
    expect(byId(komatsu.collaborationMethods, 'other').description.ja).toBe('協定を締結せずに連携の取組みを行います。')
    expect(byId(komatsu.collaborationMethods, 'procurement').description.ja).toBe('関係法令等に沿った手続きにより事業を実施します。')
  })

  it('has every row of the role matrix, both columns', () => {
    const symbol = { lead: '◎', active: '○', as_needed: '△', none: '—' } as const
    const rows = komatsu.roleMatrix?.cells.map((cell) => `${cell.method} ${cell.phase} ${symbol[cell.desk]}${symbol[cell.department]}`)
    expect(rows).toEqual([
      'comprehensive_agreement intake ◎—',
      'comprehensive_agreement coordination ◎○',
      'comprehensive_agreement conclusion ◎—',
      'comprehensive_agreement implementation △◎',
      'business_agreement intake ◎○',
      'business_agreement coordination ○◎',
      'business_agreement conclusion △◎',
      'business_agreement implementation △◎',
      'other intake ◎○',
      'other coordination △◎',
      'other implementation △◎',
      'procurement intake ○◎',
      'procurement coordination △◎',
      'procurement procurement —◎',
      'procurement implementation —◎',
    ])
    expect(komatsu.roleMatrix?.phases.map((phase) => phase.label.ja)).toEqual([
      '連携提案の受付',
      '連携事業の調整',
      '協定の締結',
      '公募や調達',
      '連携事業の実施',
    ])
    expect(komatsu.roleMatrixLegend?.lead.ja).toBe('主担当')
  })

  it('runs each proposal type through its track, with steps mapped to matrix phases', () => {
    for (const trackId of ['theme', 'free']) {
      const track = byId(komatsu.tracks, trackId)
      expect(track.proposalTypes).toEqual([trackId])
      expect(track.steps.map((step) => [step.id, step.phase ?? null])).toEqual([
        ['draft', null],
        ['intake', 'intake'],
        ['dialogue', 'coordination'],
        ['feasibility', 'coordination'],
        ['method_chosen', 'coordination'],
        ['conclusion', 'conclusion'],
        ['procurement', 'procurement'],
        ['implementation', 'implementation'],
        ['completed', 'implementation'],
        ['not_accepted', null],
        ['declined', null],
        ['withdrawn', null],
      ])
      expect(track.steps.filter((step) => step.terminal).map((step) => step.outcome)).toEqual([
        'completed',
        'not_accepted',
        'declined',
        'withdrawn',
      ])
      const toConclusion = byId(track.transitions, 'prepare_agreement')
      expect(toConclusion).toMatchObject({ by: ['matrix'], methods: ['comprehensive_agreement', 'business_agreement'] })
    }
  })

  it('may publish results', () => {
    expect(komatsu.publication.text.ja).toContain('公表する場合があります。')
    expect(komatsu.publication.publishedByDefault).toBe(false)
  })
})

describe('Aomori', () => {
  it('has the background items, the purpose and its three aims', () => {
    expect(ja(aomori.background?.items.map((item) => item.label) ?? [])).toEqual([
      '少子化',
      '公共交通',
      '人口減少',
      '高齢化',
      '労働力の不足',
      '気候変動',
      'デジタル',
      '健康寿命',
      '遊休資産',
      '雪対策',
      '複雑化・多様化する行政ニーズ',
    ])
    expect(aomori.purpose.text.ja).toBe(
      '複雑化・多様化する行政ニーズに対応するため、対話を通じて公民相互のリソースを結集し、行政課題や地域課題等の解決に資する新たな価値を共創します。',
    )
    expect(ja(aomori.purpose.aims.map((aim) => aim.label))).toEqual(['市民サービスの向上', '地域課題等の解決', '地域経済の活性化'])
  })

  it("has the city's and the businesses' strengths and the synergy items", () => {
    expect(ja(aomori.strengths?.city.map((item) => item.label) ?? [])).toEqual(['信用力・信頼性', '公共性・影響力', '安定性・継続性'])
    expect(ja(aomori.strengths?.businesses.map((item) => item.label) ?? [])).toEqual(['柔軟性・アイデア', '専門性・ノウハウ', 'スピード感'])
    expect(aomori.sharedValue?.kind).toBe('synergy')
    expect(aomori.sharedValue?.items.map((item) => `${item.beneficiary}:${item.title.ja}`)).toEqual([
      'businesses:行政リソースの活用',
      'businesses:知名度・信用力の向上',
      'businesses:新たなビジネス機会の創出',
      'public:市民サービスの向上',
      'public:行政・地域課題の解決',
      'public:地域経済の活性化',
    ])
  })

  it('has the five principles', () => {
    expect(aomori.principles.items.map((item) => item.title.ja)).toEqual([
      '対等の原則',
      '対話の原則',
      '目標共有の原則',
      '相互メリットの原則',
      '公平性確保の原則',
    ])
    expect(aomori.principles.items[4]?.text.ja).toContain('保護すべき情報を除いて広く社会に開示します。')
  })

  it('has both proposal kinds, received through the portal or at the desk', () => {
    expect(aomori.proposalTypes.map((type) => [type.label.ja, type.description.ja, type.intakeChannels])).toEqual([
      ['自由提案', '本市の課題解決等につながる民間の自由な提案を募集', ['portal_form', 'desk_in_person']],
      ['課題提案', '本市の行政課題を公表し具体的な解決策を募集', ['portal_form', 'desk_in_person']],
    ])
    expect(aomori.intakeNote?.ja).toBe('※提案は公民連携ポータルサイトまたは公民連携デスクで直接受付します')
  })

  const frontSteps = [
    ['pre_consultation', '事前相談', 'proposer'],
    ['issue_provision', '課題提供', 'department'],
    ['planning', '事業企画', 'proposer'],
    ['intake', '受付・内容確認', 'desk'],
    ['dialogue', '対話・調整', 'desk'],
  ]

  it('has every step of the partnership flow chart in its lane', () => {
    const track = byId(aomori.tracks, 'partnership')
    expect(track.label.ja).toBe('パートナーシップ')
    expect(track.steps.map((step) => [step.id, step.label.ja, step.lane])).toEqual([
      ...frontSteps,
      ['proposal_review', '提案書確認（パートナーシップ）', 'department'],
      ['feasibility', '提案内容の実施可否判断', 'department'],
      ['answer_received', '回答受領（不可の場合）', 'proposer'],
      ['agreement', '連携協定締結', 'desk'],
      ['accompanying_support', '伴走サポート', 'desk'],
      ['implementation', '事業実施', 'proposer'],
      ['completed', '事業完了', 'desk'],
      ['handed_to_public_call', '入札又は公募の手続きへ', 'desk'],
      ['withdrawn', '取下げ', 'proposer'],
    ])
    expect(byId(track.steps, 'pre_consultation')).toMatchObject({ optional: true, description: { ja: '※必須ではありません' } })
    expect(byId(track.steps, 'answer_received')).toMatchObject({ terminal: true, outcome: 'declined' })
    const earlyAnswers = track.transitions.filter((transition) => transition.isEarlyAnswer)
    expect(earlyAnswers.map((transition) => transition.to)).toEqual(['answer_received', 'answer_received'])
    expect(earlyAnswers.every((transition) => transition.requires.includes('reason') && transition.notifiesProposer)).toBe(true)
    expect(byId(track.transitions, 'decide_agreement').methods).toEqual(['business_agreement', 'comprehensive_agreement'])
    expect(byId(track.transitions, 'decide_without_agreement').methods).toEqual(['without_agreement'])
  })

  it('has every step of the demonstration-experiment flow chart in its lane', () => {
    const track = byId(aomori.tracks, 'experiment')
    expect(track.label.ja).toBe('実証実験サポート')
    expect(track.steps.map((step) => [step.id, step.label.ja, step.lane])).toEqual([
      ...frontSteps,
      ['proposal_review', '提案書確認（実証実験サポート）', 'department'],
      ['feasibility', '提案内容の実施可否判断', 'department'],
      ['answer_received', '回答受領（不可の場合）', 'proposer'],
      ['agreement', '連携協定締結', 'desk'],
      ['use_permits', '使用許可申請等', 'proposer'],
      ['stakeholder_coordination', '土地・施設管理者、地元関係者との調整', 'desk'],
      ['area_notice', '地域への周知', 'department'],
      ['experiment', '実証実験の実施・立ち合い', 'proposer'],
      ['report_writing', '報告書作成', 'proposer'],
      ['report_received', '報告書受領', 'desk'],
      ['withdrawn', '取下げ', 'proposer'],
    ])
    expect(byId(track.steps, 'report_received')).toMatchObject({ terminal: true, outcome: 'completed', produces: ['report_receipt'] })
    expect(byId(track.transitions, 'receive_report').requires).toEqual(['report_file', 'receipt'])
  })

  it('publishes the two figures as drawn (lines 187-219, 242-277): no step the figures do not draw', () => {
    const steps = (flowId: string) =>
      byId(aomori.guidelineFlows, flowId).steps.map((step) => [step.label?.ja, step.lanes.join('+')])
    const front = [
      ['事前相談', 'proposer+desk'],
      ['課題提供', 'department'],
      ['事業企画', 'proposer'],
      ['受付・内容確認', 'desk'],
      ['対話・調整', 'desk'],
    ]
    expect(steps('partnership')).toEqual([
      ...front,
      ['提案書確認（パートナーシップ）', 'department'],
      ['提案内容の実施可否判断', 'department'],
      ['回答受領（不可の場合）', 'proposer'],
      ['連携協定締結', 'desk'],
      ['伴走サポート', 'desk'],
      ['事業実施', 'proposer'],
    ])
    expect(steps('experiment')).toEqual([
      ...front,
      ['提案書確認（実証実験サポート）', 'department'],
      ['連携協定締結', 'desk'],
      ['使用許可申請等', 'proposer'],
      ['土地・施設管理者、地元関係者との調整', 'desk'],
      ['地域への周知', 'department'],
      ['実証実験の実施・立ち合い', 'proposer'],
      ['報告書作成', 'proposer'],
      ['報告書受領', 'desk'],
    ])
    expect(byId(aomori.guidelineFlows, 'experiment').notes.map((note) => note.ja)).toContain(
      '※実施困難と判断した場合は検討過程において早めに回答します',
    )
  })

  it('states what the city and the business each do in an experiment, and the cost rule', () => {
    const support = aomori.experimentSupport
    expect(support?.track).toBe('experiment')
    expect(ja(support?.cityOffers.map((offer) => offer.text) ?? [])).toEqual([
      '実証実験フィールドの提供・斡旋',
      '行政データの提供',
      'PR機会の提供',
      '規制緩和の検討',
      '市内活動拠点の提供（AOMORI STARTUP CENTER）など',
    ])
    expect(ja(support?.proposerDuties.map((duty) => duty.text) ?? [])).toEqual([
      '実証実験の運営全般',
      '実証実験に係る費用負担',
      '実証実験で得られたデータの検証',
      '事業報告など',
    ])
    expect(support?.costRule.ja).toContain('市の予算以外から費用を捻出することを基本としますが')
    expect(support?.costRule.ja).toContain('実費程度の予算措置をする場合があります。')
  })

  it('keeps the experiment steps after the agreement as a checklist, with what each step records', () => {
    const support = aomori.experimentSupport!
    const track = byId(aomori.tracks, support.track)
    expect(support.checklist.map((item) => [item.step, byId(track.steps, item.step).lane, item.records])).toEqual([
      ['use_permits', 'proposer', ['permits']],
      ['stakeholder_coordination', 'desk', []],
      ['area_notice', 'department', []],
      ['experiment', 'proposer', ['period', 'attendance']],
      ['report_writing', 'proposer', ['report']],
      ['report_received', 'desk', ['receipt']],
    ])
  })

  it('reports a checklist step the experiment track does not have, and a record kind kept twice', async () => {
    const source = await readFile(join(tenantsDirectory, 'aomori.yaml'), 'utf8')
    const broken = source
      .replace('- { step: area_notice }', '- { step: area_notices }')
      .replace('- { step: report_received, records: [receipt] }', '- { step: report_received, records: [report] }')
    const result = parseTenantSource(broken, 'aomori.yaml')
    const printed = result.ok ? [] : result.problems.map(formatProblem)
    expect(printed).toEqual([
      expect.stringMatching(/experimentSupport\.checklist\[2\]\.step: unknown step "area_notices" of track "experiment"/),
      expect.stringMatching(/experimentSupport\.checklist\[5\]\.records: "report" is recorded at two steps/),
    ])
  })

  it('lists the five other schemes', () => {
    expect(aomori.otherSchemes?.items.map((scheme) => scheme.title.ja)).toEqual([
      '企業版ふるさと納税',
      '公有財産の利活用',
      '指定管理者制度',
      'ネーミングライツ',
      '広告事業',
    ])
    expect(byId(aomori.otherSchemes?.items ?? [], 'corporate_hometown_tax').description.ja).toContain('最大で寄付額の9割が軽減される制度')
  })

  it('has every note to acknowledge, one per paragraph', () => {
    const notes = aomori.notes?.items ?? []
    expect(notes.map((note) => note.id)).toEqual([
      'related_rules',
      'no_individuals',
      'personal_data_ip',
      'no_compensation',
      'tender_use_of_information',
      'confidentiality',
      'public_records_disclosure',
    ])
    expect(byId(notes, 'related_rules').text.ja).toBe('本制度の提案にあたっては、関連する要綱等をご確認ください。')
    expect(byId(notes, 'no_individuals').text.ja).toContain('個人(個人事業主を除く)からの提案は対象外となります。')
    expect(byId(notes, 'personal_data_ip').text.ja).toContain('市に故意又は重過失がある場合を除き、市は一切の責任を負いません。')
    expect(byId(notes, 'no_compensation').text.ja).toBe('提案の採否にかかわらず、市は提案及び調整に係る一切の費用の補償や賠償をしません。')
    expect(byId(notes, 'tender_use_of_information').text.ja).toContain('入札又は公募の手続きを経る場合があります。')
    expect(byId(notes, 'tender_use_of_information').text.ja).toContain('その利用につき協議・配慮いたします。')
    expect(byId(notes, 'confidentiality').text.ja).toBe('提案から実施の過程で市から提供のあった情報は、その秘密を保持し、第三者へ提供は不可とします。')
    expect(byId(notes, 'public_records_disclosure').text.ja).toContain('提案者の正当な利益を害するおそれがある情報等の意見を伺います。')
    expect(aomori.eligibility.criteria).toEqual([
      expect.objectContaining({ id: 'individual', decidedBy: 'platform', excludesOrganisationKinds: ['individual'] }),
    ])
  })

  it("has the desk's contact details", () => {
    expect(aomori.contact).toMatchObject({
      deskName: { ja: '青森市公民連携デスク' },
      parentDepartment: { ja: '青森市 企画部 連携推進課' },
      postalCode: '038-8505',
      address: { ja: '青森県青森市柳川一丁目１－１ 柳川庁舎３階' },
      phone: '017-761-4154',
    })
    expect(aomori.contact.webFormNote?.ja).toContain('ポータルサイトの提案フォーム')
    expect(byId(aomori.departments, 'partnership_promotion')).toMatchObject({ name: { ja: '企画部 連携推進課' }, provisional: false })
  })

  it('publishes results by default and has an early-answer target', () => {
    expect(aomori.publication.publishedByDefault).toBe(true)
    expect(aomori.earlyAnswerTargetDays).toBeGreaterThan(0)
  })
})
