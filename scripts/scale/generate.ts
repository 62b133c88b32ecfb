import { randomUUID } from 'node:crypto'

/**
 * Synthetic content for the scale data set: a seeded PRNG, city sizes, a
 * generic two-track workflow shaped like the tenant files', and varied
 * Japanese titles, answers and messages (so trigram search meets realistic
 * text). Every city here is made up: `scale-0001`, 「検証市0001」.
 */

/**
 * A version-7 UUID (RFC 9562) for the given time: 48 bits of Unix milliseconds,
 * then random bits. Ids that grow with time keep each city's primary-key and
 * `(tenant_id, proposal_id, …)` index inserts at the right edge of its range,
 * which makes a bulk load several times cheaper than random version-4 ids.
 */
export function uuidV7(ms: number): string {
  const time = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0')
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`
}

/** mulberry32: small, fast, good enough for synthetic data. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export type Random = () => number

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!
export const between = (random: Random, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1))

export const SCALE_SLUG_PREFIX = 'scale-'
/** Every synthetic e-mail address ends with this reserved domain (RFC 2606), which `--reset` relies on. */
export const SCALE_EMAIL_DOMAIN = 'scale.invalid'

export const citySlug = (index: number) => `${SCALE_SLUG_PREFIX}${String(index + 1).padStart(4, '0')}`
export const cityNameJa = (index: number) => `検証市${String(index + 1).padStart(4, '0')}`
export const cityNameEn = (index: number) => `Scale Test City ${String(index + 1).padStart(4, '0')}`
export const cityPrefix = (index: number) => `S${String(index + 1).padStart(4, '0')}`

/**
 * Proposals per city. City 0 (`scale-0001`, the benchmark's city) gets exactly
 * `hot`; the rest is spread over the other cities by a Zipf-like law
 * (weight 1/√rank), so a few cities are big and most are small. Exact sums.
 */
export function cityQuotas(cities: number, proposals: number, hot: number): number[] {
  if (cities < 1) throw new Error('at least one city')
  if (cities === 1) return [proposals]
  const hotCount = Math.min(hot, proposals)
  const rest = proposals - hotCount
  const weights = Array.from({ length: cities - 1 }, (_, i) => 1 / Math.sqrt(i + 1))
  const total = weights.reduce((a, b) => a + b, 0)
  const quotas = weights.map((w) => Math.floor((rest * w) / total))
  let missing = rest - quotas.reduce((a, b) => a + b, 0)
  for (let i = 0; missing > 0; i = (i + 1) % quotas.length, missing--) quotas[i]!++
  return [hotCount, ...quotas]
}

/** The default size of the benchmark's city: 10,000 in a 1,000,000-proposal data set. */
export function defaultHotCityProposals(cities: number, proposals: number): number {
  return cities === 1 ? proposals : Math.min(10_000, Math.ceil(proposals / 10))
}

// ---------------------------------------------------------------------------
// Workflow: one main path and two negative endings, like the tenant files' tracks.
// ---------------------------------------------------------------------------

export const mainPath = [
  'draft',
  'intake',
  'dialogue',
  'feasibility',
  'method_chosen',
  'conclusion',
  'procurement',
  'implementation',
  'completed',
] as const
const mainTransitions = [
  'submit',
  'start_dialogue',
  'assess',
  'choose_method',
  'conclude',
  'procure',
  'implement',
  'complete',
]
const laneOf: Record<string, 'proposer' | 'desk' | 'department'> = {
  intake: 'proposer',
  dialogue: 'desk',
  feasibility: 'department',
  method_chosen: 'desk',
  conclusion: 'desk',
  procurement: 'department',
  implementation: 'department',
  completed: 'department',
  not_accepted: 'desk',
  declined: 'department',
}
/** Internal coordination the proposer does not see in their history. */
const internalSteps = new Set(['feasibility'])

export type Path = { states: string[]; transitions: string[]; sides: string[]; visible: boolean[] }

function pathTo(state: string): Path {
  let states: string[]
  let transitions: string[]
  if (state === 'not_accepted') {
    states = ['draft', 'intake', 'not_accepted']
    transitions = ['submit', 'not_accept']
  } else if (state === 'declined') {
    states = ['draft', 'intake', 'dialogue', 'feasibility', 'declined']
    transitions = ['submit', 'start_dialogue', 'assess', 'decline']
  } else {
    const depth = mainPath.indexOf(state as (typeof mainPath)[number])
    states = mainPath.slice(0, depth + 1)
    transitions = mainTransitions.slice(0, depth)
  }
  const sides = states.slice(1).map((s) => laneOf[s]!)
  const visible = states.slice(1).map((s) => !internalSteps.has(s))
  return { states, transitions, sides, visible }
}

export const allStates = [...mainPath, 'not_accepted', 'declined'] as const
export const paths: Record<string, Path> = Object.fromEntries(allStates.map((s) => [s, pathTo(s)]))
export const terminalStates = new Set(['completed', 'not_accepted', 'declined'])
export const methodChosenOrLater = new Set([
  'method_chosen',
  'conclusion',
  'procurement',
  'implementation',
  'completed',
])
export const collaborationMethods = [
  'comprehensive_agreement',
  'business_agreement',
  'procurement',
  'other',
] as const

type Weights = [string, number][]
/** State by age: recent proposals are early in the track, old ones mostly finished. */
const recentStates: Weights = [
  ['draft', 12],
  ['intake', 38],
  ['dialogue', 30],
  ['feasibility', 12],
  ['not_accepted', 5],
  ['method_chosen', 3],
]
const middleStates: Weights = [
  ['draft', 3],
  ['intake', 8],
  ['dialogue', 20],
  ['feasibility', 16],
  ['method_chosen', 10],
  ['conclusion', 8],
  ['procurement', 6],
  ['implementation', 10],
  ['not_accepted', 8],
  ['declined', 11],
]
const oldStates: Weights = [
  ['draft', 2],
  ['intake', 2],
  ['dialogue', 4],
  ['feasibility', 3],
  ['method_chosen', 2],
  ['conclusion', 3],
  ['procurement', 3],
  ['implementation', 14],
  ['completed', 35],
  ['not_accepted', 14],
  ['declined', 18],
]
function sampler(weights: Weights): (random: Random) => string {
  const total = weights.reduce((a, [, w]) => a + w, 0)
  return (random) => {
    let r = random() * total
    for (const [state, w] of weights) {
      r -= w
      if (r < 0) return state
    }
    return weights[weights.length - 1]![0]
  }
}
const samplers = { recent: sampler(recentStates), middle: sampler(middleStates), old: sampler(oldStates) }
/** `age`: 0 = now, 1 = the oldest proposal of the data set. */
export function stateForAge(random: Random, age: number): string {
  return age < 0.08 ? samplers.recent(random) : age < 0.45 ? samplers.middle(random) : samplers.old(random)
}

// ---------------------------------------------------------------------------
// Japanese text
// ---------------------------------------------------------------------------

const places = [
  '空き家',
  '公園',
  '図書館',
  '公民館',
  '廃校舎',
  '商店街',
  '駅前広場',
  '河川敷',
  '里山',
  '耕作放棄地',
  '漁港',
  '観光案内所',
  '体育館',
  '市営住宅',
  '道の駅',
  '温泉施設',
  '旧庁舎',
  '保育所',
  '高齢者福祉施設',
  '防災倉庫',
  '給食センター',
  '文化ホール',
  '郷土資料館',
  '市民プール',
  '公共駐車場',
  'コミュニティバス路線',
  '遊休地',
  '浄水場',
  '街路灯',
  '公衆トイレ',
  '市民農園',
  'キャンプ場',
  'スポーツ施設',
  '児童館',
  '中心市街地',
  '海岸',
  '森林公園',
  '庁舎ロビー',
  '交流センター',
  '港湾緑地',
] as const
const purposes = [
  '子育て支援',
  '観光振興',
  '移住定住の促進',
  '健康増進',
  '防災力の強化',
  '脱炭素化',
  '地域交通の確保',
  '高齢者の見守り',
  '関係人口の創出',
  '創業支援',
  '環境保全',
  '文化芸術の振興',
  '教育の充実',
  '行政のデジタル化',
  '農業の担い手確保',
  '雇用の創出',
  '地産地消',
  '空き家の解消',
  '賑わいの創出',
  '多文化共生',
  '食品ロスの削減',
  '孤独・孤立対策',
  '公共施設の維持管理費削減',
  '災害時の情報伝達',
  '若者の地元定着',
  '障がい者の就労支援',
  'ごみの減量',
  '生物多様性の保全',
] as const
const approaches = [
  'を活用した',
  'における',
  'の再生による',
  'と連携した',
  'を拠点とした',
  'のデータを活用した',
  'のリノベーションによる',
  'を舞台にした',
  'の未利用空間を使った',
  'の運営を見直す',
  'をつなぐ',
  'の魅力を発信する',
] as const
const outputs = [
  '実証実験',
  '共同研究',
  '連携協定の提案',
  '社会実験',
  '官民連携事業',
  'モデル事業',
  '提案',
  '新サービスの試行',
  'プロジェクト',
  '事業化の検討',
  'ワークショップ',
  '調査研究',
  'アプリ開発',
  '人材育成プログラム',
  '仕組みづくり',
] as const
const technologies = [
  'AI',
  'IoT',
  'ドローン',
  'スマートフォンアプリ',
  '再生可能エネルギー',
  '電動モビリティ',
  'オンライン予約',
  'センサー',
  'キャッシュレス決済',
  'デジタルサイネージ',
  'オープンデータ',
  'メタバース',
  '地域通貨',
  '蓄電池',
  'ロボット',
] as const
const actors = [
  '学生',
  '地元企業',
  '市民団体',
  'NPO',
  '商工会',
  '地域おこし協力隊',
  '金融機関',
  '大学',
  '高校生',
  'シニア世代',
] as const
const seasons = ['春', '夏', '秋', '冬', '年間', '週末', '夜間', '通学時間帯'] as const

/** A proposal title, e.g. 「AIと空き家を活用した子育て支援の実証実験」. */
export function title(random: Random): string {
  const r = random()
  const place = pick(random, places)
  const purpose = pick(random, purposes)
  const output = pick(random, outputs)
  if (r < 0.3)
    return `${pick(random, technologies)}と${place}${pick(random, approaches)}${purpose}の${output}`
  if (r < 0.55) return `${pick(random, actors)}と取り組む${place}${pick(random, approaches)}${purpose}`
  if (r < 0.75) return `${place}${pick(random, approaches)}${purpose}の${output}`
  if (r < 0.9)
    return `${pick(random, seasons)}の${place}で進める${purpose}${output}(${pick(random, technologies)}活用)`
  return `${purpose}に向けた${pick(random, technologies)}による${place}の${output}`
}

const backgroundSentences = [
  (p: string, q: string) => `${p}の利用者数は近年減少しており、${q}が地域の課題となっています。`,
  (p: string, q: string) =>
    `当社はこれまで複数の自治体で${q}に関する事業を行ってきました。${p}でもその知見を生かせると考えます。`,
  (p: string, q: string) =>
    `${p}の維持管理には毎年多くの費用がかかっており、${q}と両立する使い方が求められています。`,
  (p: string, q: string) => `住民アンケートでは${q}を望む声が多く、${p}はその拠点として適しています。`,
  (p: string, q: string) => `${q}は市の総合計画でも重点施策とされていますが、${p}の活用は進んでいません。`,
] as const
const contentSentences = [
  (t: string, a: string) => `${t}を導入し、${a}と協力して三か月間の試行を行います。`,
  (t: string, a: string) => `初年度は小規模に始め、${a}の意見を聞きながら${t}の使い方を改善します。`,
  (t: string, _a: string) =>
    `費用は当社が負担し、市には場所の提供と広報への協力をお願いしたいと考えています。${t}の運用は当社が担います。`,
  (t: string, a: string) => `${a}向けの説明会を開き、参加者の声をもとに${t}の設定を見直します。`,
  (t: string, a: string) => `取得したデータは個人が特定されない形で市と共有し、${a}との検討に役立てます。`,
] as const
const effectSentences = [
  (n: number) => `利用者数を${n}割程度増やすことを目指します。`,
  (n: number) => `年間の管理費用を約${n * 3}%削減できる見込みです。`,
  (n: number) => `${n * 10}人程度の新たな参加者を見込んでいます。`,
  (n: number) => `${n}年後には自立した事業として継続できる体制を目指します。`,
] as const

export function answers(random: Random, titleText: string): Record<string, string> {
  const place = pick(random, places)
  const purpose = pick(random, purposes)
  const tech = pick(random, technologies)
  const actor = pick(random, actors)
  const background = [pick(random, backgroundSentences)(place, purpose)]
  if (random() < 0.5) background.push(pick(random, backgroundSentences)(pick(random, places), purpose))
  const content = [
    pick(random, contentSentences)(tech, actor),
    pick(random, contentSentences)(tech, pick(random, actors)),
  ]
  return {
    summary: titleText,
    background: background.join(''),
    content: content.join(''),
    expected_effect: pick(random, effectSentences)(between(random, 1, 5)),
    role_sharing: `提案者:${tech}の提供と運営。市:${place}の利用調整と周知。`,
    schedule: `${between(random, 1, 12)}月頃から${between(random, 2, 12)}か月程度`,
  }
}

const proposerMessages = [
  'ご検討のほどよろしくお願いいたします。',
  'ご質問の件、資料を添付いたしましたのでご確認ください。',
  '打合せの候補日として、来週の火曜日か木曜日はいかがでしょうか。',
  '費用の内訳について補足いたします。初期費用は当社で負担する予定です。',
  '先日はお時間をいただきありがとうございました。いただいたご意見をもとに計画を修正しました。',
  '現地の下見をさせていただくことは可能でしょうか。',
  '個人情報の取扱いについては、別紙のとおり対応いたします。',
] as const
const cityMessages = [
  'ご提案ありがとうございます。担当課と確認のうえ、改めてご連絡いたします。',
  '内容について確認させてください。実施場所の想定はありますか。',
  '担当課から、安全対策について追加の説明を求める意見がありました。',
  '庁内で検討した結果、まずは小規模な実証から始める方向で調整しています。',
  '次回の打合せでは、役割分担と費用負担について整理したいと考えています。',
  '関係する部署とも共有しました。回答まで今しばらくお待ちください。',
  '協定書の案を添付しますので、内容をご確認ください。',
] as const
const noteTexts = [
  '庁内調整メモ:財産活用の担当とも共有済み。',
  '類似の提案が他の事業者からも来ているため、公平性に注意。',
  '予算措置が必要になる可能性あり。財政課に事前相談。',
  '現地確認の結果、安全面の追加対策が必要。',
] as const

export function messageBody(random: Random, side: 'proposer' | 'city'): string {
  const pool = side === 'proposer' ? proposerMessages : cityMessages
  const body = pick(random, pool)
  if (random() < 0.35) return `${body}\n${pick(random, pool)}`
  if (random() < 0.2) return `${body}(${between(random, 1, 12)}月${between(random, 1, 28)}日)`
  return body
}
export const noteBody = (random: Random) => pick(random, noteTexts)

export const departmentSpecs = [
  { key: 'planning', nameJa: '企画政策課', nameEn: 'Planning and Policy' },
  { key: 'finance', nameJa: '財政課', nameEn: 'Finance' },
  { key: 'children', nameJa: 'こども家庭課', nameEn: 'Children and Families' },
  { key: 'tourism', nameJa: '観光交流課', nameEn: 'Tourism' },
  { key: 'environment', nameJa: '環境政策課', nameEn: 'Environment' },
  { key: 'disaster', nameJa: '危機管理課', nameEn: 'Disaster Management' },
] as const

const orgStems = [
  'みらい',
  'さくら',
  'あおば',
  'ひかり',
  'つなぐ',
  'まちづくり',
  'グリーン',
  'データ',
  'ローカル',
  'はれ',
  'こもれび',
  'ミナト',
] as const
const orgTails = [
  'ラボ',
  'ソリューションズ',
  'テクノロジー',
  '企画',
  'デザイン',
  'エナジー',
  '交通',
  '不動産',
  'ネットワーク',
  '工房',
] as const
const surnames = [
  '佐藤',
  '鈴木',
  '高橋',
  '田中',
  '伊藤',
  '渡辺',
  '山本',
  '中村',
  '小林',
  '加藤',
  '吉田',
  '山田',
  '松本',
  '井上',
] as const
const givenNames = [
  '太郎',
  '花子',
  '一郎',
  '陽菜',
  '蓮',
  '美咲',
  '翔',
  '結衣',
  '大輔',
  '葵',
  '健',
  '由美',
] as const

export const personName = (random: Random) => `${pick(random, surnames)} ${pick(random, givenNames)}`
export function organisationName(random: Random, index: number): { name: string; kind: string } {
  const r = random()
  const stem = `${pick(random, orgStems)}${pick(random, orgTails)}`
  if (r < 0.55) return { name: `株式会社${stem}${index}`, kind: 'corporation' }
  if (r < 0.7) return { name: `合同会社${stem}${index}`, kind: 'corporation' }
  if (r < 0.8) return { name: `NPO法人${stem}${index}`, kind: 'npo' }
  if (r < 0.88) return { name: `${stem}大学 研究室${index}`, kind: 'university' }
  if (r < 0.95) return { name: `${stem}工房${index}`, kind: 'sole_proprietor' }
  return { name: `${stem}の会${index}`, kind: 'other_group' }
}

// ---------------------------------------------------------------------------
// COPY text format
// ---------------------------------------------------------------------------

const needsEscape = /[\\\n\r\t]/
/** One value in PostgreSQL's COPY text format (`\N` for NULL). */
export function copyValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N'
  const text = typeof value === 'string' ? value : String(value)
  if (!needsEscape.test(text)) return text
  return text.replace(/[\\\n\r\t]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t',
  )
}
