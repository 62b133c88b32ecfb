import { formatDate, localize, type Taxonomy } from '@desk/tenant-config'
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import type { RuntimeDb } from '../../../db/runtime'
import {
  organisationMembers,
  organisations,
  platformOpenThemes,
  platformPublishedCases,
  savedSearches,
  savedSearchMatches,
  tenants,
} from '../../../db/schema'
import { withTenant, type TenantTx } from '../../../db/tenant-context'
import { asSystem } from '../../../db/as-system'
import { enqueueJob, type JobTransaction } from '../../../db/queue/enqueue'
import { isLocale, type Locale } from '~/i18n'
import { getFixedT } from '~/utils/i18n.server'
import { queueMail } from '~/utils/mail.server'
import { tenantText } from '~/utils/tenant-text'
import type { TenantRegistry } from '~/utils/tenant-registry.server'
import { AppError } from '../app-error'
import {
  parseSearchScope,
  scopeMatches,
  scopeQuery,
  themeProposalTypesOf,
  type FilterVocabulary,
  type SearchKind,
  type SearchScope,
} from '../across-cities/search'
import {
  acrossCities,
  caseSearchedColumns,
  readerColumns,
  themeSearchedColumns,
} from '../across-cities/across-cities.server'
import { searchWords } from '../search-words'
import type { AlertFrequency } from './frequencies'

/**
 * Alerts (issue 22): a member of an organisation saves the scope of a /themes
 * or /cases search; when a city opens a matching theme or publishes a
 * matching case, the member is mailed — at once or in a daily digest. The
 * desk's change enqueues `alerts.match` in its own transaction
 * (`enqueueAlertMatching`); that job reads the item through the cross-city
 * readers (so a draft or suspended city's, a closed theme, an unpublished case
 * never match), records one match per saved search and item, and queues the
 * mails of the immediate ones; `alerts.digest` mails the rest once a day.
 * Every mail carries a one-click unsubscribe link (RFC 8058 headers too).
 */

export type AlertItemKind = 'theme' | 'case'

function asMember<T>(db: RuntimeDb, userId: string, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  return withTenant(db, { tenantId: null, userId, actor: 'proposer' }, fn)
}

/**
 * A saved query read back with the lists' parser. Null when it named
 * something that no longer exists (a city no longer live, a field taken out
 * of the taxonomy) and nothing of that kind is left: the search then matches
 * nothing rather than everything.
 */
export function savedScope(
  query: string,
  vocabulary: FilterVocabulary,
  kind: SearchKind,
): SearchScope | null {
  const params = new URLSearchParams(query)
  const scope = parseSearchScope(params, vocabulary, kind)
  const lost =
    (params.has('field') && scope.fields.length === 0) ||
    (params.has('city') && scope.cities.length === 0) ||
    (params.has('prefecture') && scope.prefecture === null) ||
    (kind === 'themes' && params.has('type') && scope.proposalType === null) ||
    (kind === 'cases' && params.has('method') && scope.method === null)
  return lost ? null : scope
}

/** Saves a search for the member in one of their organisations (saving the same one again changes its frequency). */
export async function saveSearch(
  db: RuntimeDb,
  options: {
    userId: string
    organisationId: string
    kind: SearchKind
    scope: SearchScope
    frequency: AlertFrequency
  },
): Promise<{ id: string }> {
  const query = scopeQuery(options.scope).toString()
  return asMember(db, options.userId, async (tx) => {
    const [member] = await tx
      .select({ role: organisationMembers.role })
      .from(organisationMembers)
      .where(
        and(
          eq(organisationMembers.organisationId, options.organisationId),
          eq(organisationMembers.userId, options.userId),
        ),
      )
    if (!member) throw new AppError('forbidden', 'Alerts are saved in one of your organisations')
    const [row] = await tx
      .insert(savedSearches)
      .values({
        organisationId: options.organisationId,
        userId: options.userId,
        kind: options.kind,
        query,
        frequency: options.frequency,
      })
      .onConflictDoUpdate({
        target: [savedSearches.userId, savedSearches.organisationId, savedSearches.kind, savedSearches.query],
        // A value, not now(): Citus refuses a function that is not IMMUTABLE in ON CONFLICT's SET.
        set: { frequency: options.frequency, updatedAt: new Date() },
      })
      .returning({ id: savedSearches.id })
    return { id: row!.id }
  })
}

/** The member's saved searches, in every organisation they belong to, oldest first. */
export async function listSavedSearches(db: RuntimeDb, userId: string) {
  return asMember(db, userId, (tx) =>
    tx
      .select({
        id: savedSearches.id,
        kind: savedSearches.kind,
        query: savedSearches.query,
        frequency: savedSearches.frequency,
        organisationName: organisations.name,
        createdAt: savedSearches.createdAt,
      })
      .from(savedSearches)
      .innerJoin(organisations, eq(organisations.id, savedSearches.organisationId))
      .where(eq(savedSearches.userId, userId))
      .orderBy(asc(savedSearches.createdAt), asc(savedSearches.id)),
  )
}

export async function changeAlertFrequency(
  db: RuntimeDb,
  options: { userId: string; savedSearchId: string; frequency: AlertFrequency },
): Promise<void> {
  const changed = await asMember(db, options.userId, (tx) =>
    tx
      .update(savedSearches)
      .set({ frequency: options.frequency, updatedAt: sql`now()` })
      .where(and(eq(savedSearches.id, options.savedSearchId), eq(savedSearches.userId, options.userId)))
      .returning({ id: savedSearches.id }),
  )
  if (changed.length === 0) throw new AppError('not_found', 'No such alert')
}

export async function deleteSavedSearch(db: RuntimeDb, options: { userId: string; savedSearchId: string }) {
  const deleted = await asMember(db, options.userId, (tx) =>
    tx
      .delete(savedSearches)
      .where(and(eq(savedSearches.id, options.savedSearchId), eq(savedSearches.userId, options.userId)))
      .returning({ id: savedSearches.id }),
  )
  if (deleted.length === 0) throw new AppError('not_found', 'No such alert')
}

const TOKEN = /^[0-9a-f]{64}$/

/** The saved search an unsubscribe link names (its kind and scope, to say what stops), or null. */
export async function savedSearchForToken(db: RuntimeDb, token: string) {
  if (!TOKEN.test(token)) return null
  const [row] = await asSystem(db, (tx) =>
    tx
      .select({ kind: savedSearches.kind, query: savedSearches.query })
      .from(savedSearches)
      .where(eq(savedSearches.unsubscribeToken, token)),
  )
  return row ?? null
}

/** The one-click unsubscribe: deletes the saved search the token names. False when there is none (already gone). */
export async function unsubscribeWithToken(db: RuntimeDb, token: string): Promise<boolean> {
  if (!TOKEN.test(token)) return false
  const deleted = await asSystem(db, (tx) =>
    tx
      .delete(savedSearches)
      .where(eq(savedSearches.unsubscribeToken, token))
      .returning({ id: savedSearches.id }),
  )
  return deleted.length > 0
}

/** In the transaction that opens a theme or publishes a case: the job that matches it against saved searches. */
export async function enqueueAlertMatching(tx: JobTransaction, item: { kind: AlertItemKind; id: string }) {
  await enqueueJob(tx, 'alerts.match', { itemKind: item.kind, itemId: item.id })
}

/**
 * In the transaction that makes a city live (the operator console, tenants:apply --live): the job that
 * matches what the city had opened and published meanwhile.
 */
export async function enqueueCityAlertMatching(tx: JobTransaction, tenantId: string) {
  await enqueueJob(tx, 'alerts.city_live', { tenantId })
}

/** What an alert job works with. */
export type AlertContext = {
  db: RuntimeDb
  tenants: TenantRegistry
  taxonomy: Taxonomy
  origin: string
}

/** An item as the cross-city readers show it, read in the job's transaction. */
type AlertItem = {
  kind: AlertItemKind
  id: string
  citySlug: string
  titleJa: string
  titleEn: string
  platformFields: string[]
  deadline: string | null
  partnerName: string | null
  collaborationMethod: string | null
  /** The texts its list searches for words (a saved search's words are looked for there). */
  searchedTexts: (string | null)[]
}

/** The open themes / published cases of live cities among `ids` (platform_*_among: anything else is not there). */
async function visibleItems(tx: TenantTx, kind: AlertItemKind, ids: string[]): Promise<AlertItem[]> {
  if (ids.length === 0) return []
  if (kind === 'theme') {
    const v = platformOpenThemes
    const rows = await tx
      .select({
        ...readerColumns(v, {
          id: v.id,
          citySlug: v.citySlug,
          titleJa: v.titleJa,
          titleEn: v.titleEn,
          platformFields: v.platformFields,
          deadline: v.deadline,
        }),
        searched: readerColumns(v, themeSearchedColumns),
      })
      .from(acrossCities.openThemesAmong(ids))
      .orderBy(asc(v.deadline), asc(v.id))
    return rows.map(({ searched, ...row }) => ({
      ...row,
      kind,
      partnerName: null,
      collaborationMethod: null,
      searchedTexts: Object.values(searched),
    }))
  }
  const c = platformPublishedCases
  const rows = await tx
    .select({
      ...readerColumns(c, {
        id: c.id,
        citySlug: c.citySlug,
        titleJa: c.titleJa,
        titleEn: c.titleEn,
        platformFields: c.platformFields,
        partnerName: c.partnerName,
        collaborationMethod: c.collaborationMethod,
      }),
      searched: readerColumns(c, caseSearchedColumns),
    })
    .from(acrossCities.publishedCasesAmong(ids))
    .orderBy(asc(c.id))
  return rows.map(({ searched, ...row }) => ({
    ...row,
    kind,
    deadline: null,
    searchedTexts: Object.values(searched),
  }))
}

const SEARCH_KIND_OF: Record<AlertItemKind, SearchKind> = { theme: 'themes', case: 'cases' }

/**
 * The `alerts.match` job: the item (if it is an open theme / published case
 * of a live city now) against every saved search of its list. Each match is
 * recorded once (so a repeated job mails nothing twice); an immediate
 * search's member is mailed in the same transaction.
 */
export async function matchSavedSearches(
  context: AlertContext,
  options: { kind: AlertItemKind; id: string },
): Promise<{ matched: number; mailed: number }> {
  const vocabulary: FilterVocabulary = { taxonomy: context.taxonomy, cities: context.tenants.list() }
  const kind = SEARCH_KIND_OF[options.kind]
  return asSystem(context.db, async (tx) => {
    const [item] = await visibleItems(tx, options.kind, [options.id])
    if (!item) return { matched: 0, mailed: 0 }
    const searches = await tx
      .select({ id: savedSearches.id, query: savedSearches.query, frequency: savedSearches.frequency })
      .from(savedSearches)
      .where(eq(savedSearches.kind, kind))
    const matching = searches.filter((search) => {
      const scope = savedScope(search.query, vocabulary, kind)
      return scope !== null && scopeMatches(scope, vocabulary, item)
    })
    if (matching.length === 0) return { matched: 0, mailed: 0 }
    const recorded = await tx
      .insert(savedSearchMatches)
      .values(
        matching.map((search) => ({ savedSearchId: search.id, itemKind: options.kind, itemId: item.id })),
      )
      .onConflictDoNothing()
      .returning({ savedSearchId: savedSearchMatches.savedSearchId })
    const fresh = new Set(recorded.map((row) => row.savedSearchId))
    let mailed = 0
    for (const search of matching.filter((s) => fresh.has(s.id) && s.frequency === 'immediate')) {
      if (await mailAlert(tx, context, vocabulary, search.id, [item])) mailed++
      await tx
        .update(savedSearchMatches)
        .set({ mailedAt: sql`now()` })
        .where(
          and(
            eq(savedSearchMatches.savedSearchId, search.id),
            eq(savedSearchMatches.itemKind, options.kind),
            eq(savedSearchMatches.itemId, item.id),
          ),
        )
    }
    return { matched: fresh.size, mailed }
  })
}

/**
 * The `alerts.city_live` job: every open theme and published case the city
 * shows now (none while it is not live) through `matchSavedSearches`. An item
 * matched before (opened while the city was live, then suspended and resumed)
 * is not mailed again: its match is already recorded.
 */
export async function matchCityContent(
  context: AlertContext,
  tenantId: string,
): Promise<{ matched: number; mailed: number }> {
  const items = await asSystem(context.db, async (tx) => {
    // The city by its slug, the readers' city filter; the system reads live cities only, as the readers show.
    const [city] = await tx.select({ slug: tenants.slug }).from(tenants).where(eq(tenants.id, tenantId))
    if (!city) return []
    const cities = [city.slug]
    const idOf = (view: typeof platformOpenThemes | typeof platformPublishedCases) =>
      readerColumns(view, { id: view.id })
    return [
      ...(await tx.select(idOf(platformOpenThemes)).from(acrossCities.openThemes({ cities }))).map((row) => ({
        kind: 'theme' as const,
        id: row.id,
      })),
      ...(await tx.select(idOf(platformPublishedCases)).from(acrossCities.publishedCases({ cities }))).map(
        (row) => ({ kind: 'case' as const, id: row.id }),
      ),
    ]
  })
  const total = { matched: 0, mailed: 0 }
  for (const item of items) {
    const { matched, mailed } = await matchSavedSearches(context, item)
    total.matched += matched
    total.mailed += mailed
  }
  return total
}

/**
 * The `alerts.digest` job (daily): each daily saved search's matches not yet
 * mailed, in one mail — only those still open / published in a live city.
 * Every waiting match is marked done, mailed or not, so none is sent later.
 */
export async function mailDailyDigests(context: AlertContext): Promise<number> {
  const vocabulary: FilterVocabulary = { taxonomy: context.taxonomy, cities: context.tenants.list() }
  return asSystem(context.db, async (tx) => {
    const waiting = await tx
      .select({
        savedSearchId: savedSearchMatches.savedSearchId,
        itemKind: savedSearchMatches.itemKind,
        itemId: savedSearchMatches.itemId,
      })
      .from(savedSearchMatches)
      .innerJoin(savedSearches, eq(savedSearches.id, savedSearchMatches.savedSearchId))
      .where(and(isNull(savedSearchMatches.mailedAt), eq(savedSearches.frequency, 'daily')))
      .orderBy(asc(savedSearchMatches.savedSearchId), asc(savedSearchMatches.matchedAt))
      .for('update', { of: savedSearchMatches, skipLocked: true })
    const bySearch = new Map<string, typeof waiting>()
    for (const row of waiting)
      bySearch.set(row.savedSearchId, [...(bySearch.get(row.savedSearchId) ?? []), row])
    let mailed = 0
    for (const [savedSearchId, rows] of bySearch) {
      const kind = rows[0]!.itemKind
      const items = await visibleItems(
        tx,
        kind,
        rows.map((row) => row.itemId),
      )
      if (items.length > 0 && (await mailAlert(tx, context, vocabulary, savedSearchId, items))) mailed++
      await tx
        .update(savedSearchMatches)
        .set({ mailedAt: sql`now()` })
        .where(and(eq(savedSearchMatches.savedSearchId, savedSearchId), isNull(savedSearchMatches.mailedAt)))
    }
    return mailed
  })
}

/** Each part of a scope by its label and values in `locale` (the settings page, the mails, the confirmation). */
export function describeScope(
  scope: SearchScope,
  vocabulary: FilterVocabulary,
  locale: Locale,
  t: (key: string, options?: Record<string, unknown>) => string,
): { label: string; value: string }[] {
  const separator = t('common:platform.listSeparator')
  const cityOf = (slug: string) => vocabulary.cities.find((city) => city.slug === slug)
  const cityName = (slug: string) => {
    const city = cityOf(slug)
    return city ? tenantText(city.config.identity.name, locale, city.config.defaultLocale) : slug
  }
  const labelOf = (options: { id: string; label: Parameters<typeof localize>[0] }[], id: string) => {
    const found = options.find((option) => option.id === id)
    return found ? localize(found.label, locale, 'ja') : id
  }
  const parts: { label: string; value: string }[] = []
  if (scope.fields.length > 0) {
    const fields = scope.fields.map((id) => labelOf(vocabulary.taxonomy.fields, id))
    parts.push({ label: t('common:platform.field'), value: fields.join(separator) })
  }
  if (scope.prefecture) {
    const prefecture = vocabulary.cities
      .map((city) => city.config.identity.prefecture)
      .find((candidate) => candidate?.ja === scope.prefecture)
    parts.push({
      label: t('common:platform.prefecture'),
      value: prefecture ? localize(prefecture, locale, 'ja') : scope.prefecture,
    })
  }
  if (scope.cities.length > 0) {
    parts.push({ label: t('common:platform.city'), value: scope.cities.map(cityName).join(separator) })
  }
  if (scope.proposalType) {
    const types = vocabulary.cities.flatMap(themeProposalTypesOf)
    parts.push({ label: t('common:platform.proposalType'), value: labelOf(types, scope.proposalType) })
  }
  if (scope.method) {
    const methods = vocabulary.cities.flatMap((city) => city.config.collaborationMethods)
    parts.push({ label: t('common:platform.cases.method'), value: labelOf(methods, scope.method) })
  }
  const words = searchWords(scope.q)
  if (words.length > 0) {
    parts.push({
      label: t('common:platform.search'),
      value: t(words.length > 1 ? 'common:alerts.words.all' : 'common:alerts.words.one', {
        words: words.map((word) => t('common:alerts.words.word', { word })).join(separator),
        interpolation: { escapeValue: false },
      }),
    })
  }
  return parts
}

/** Queues the mail of one saved search's new items to its member, in their language. False when nobody is to be mailed. */
async function mailAlert(
  tx: TenantTx,
  context: AlertContext,
  vocabulary: FilterVocabulary,
  savedSearchId: string,
  items: AlertItem[],
): Promise<boolean> {
  const [recipient] = await tx.execute<{ email: string; display_name: string; locale: string }>(
    sql`SELECT * FROM recipient_for_saved_search(${savedSearchId})`,
  )
  const [search] = await tx
    .select({ kind: savedSearches.kind, query: savedSearches.query, token: savedSearches.unsubscribeToken })
    .from(savedSearches)
    .where(eq(savedSearches.id, savedSearchId))
  if (!recipient || !search) return false
  const locale: Locale = isLocale(recipient.locale) ? recipient.locale : 'ja'
  const t = await getFixedT(locale)
  const scope = savedScope(search.query, vocabulary, search.kind)
  const unsubscribeUrl = `${context.origin}/alerts/unsubscribe/${search.token}`
  const separator = t('common:platform.listSeparator')
  const listed = items.map((item) => {
    const city = context.tenants.get(item.citySlug)
    const cityName = city
      ? tenantText(city.config.identity.name, locale, city.config.defaultLocale)
      : item.citySlug
    const title = localize(
      item.titleEn ? { ja: item.titleJa, en: item.titleEn } : { ja: item.titleJa },
      locale,
      'ja',
    )
    const fields = item.platformFields
      .map((id) => vocabulary.taxonomy.fields.find((field) => field.id === id))
      .flatMap((field) => (field ? [field.label[locale]] : []))
    const lines = [
      t('common:alerts.mail.item', { title, city: cityName }),
      fields.length > 0 ? t('common:alerts.mail.fields', { fields: fields.join(separator) }) : null,
      item.kind === 'theme'
        ? t('common:alerts.mail.deadline', {
            deadline: item.deadline
              ? formatDate(item.deadline, locale)
              : t('common:platform.themes.noDeadline'),
          })
        : t('common:alerts.mail.partner', { partner: item.partnerName ?? '' }),
      `${context.origin}/${item.citySlug}/${item.kind === 'theme' ? 'themes' : 'cases'}/${item.id}`,
    ]
    return { title, cityName, text: lines.filter((line) => line !== null).join('\n') }
  })
  const conditions = scope
    ? describeScope(scope, vocabulary, locale, t)
        .map((part) => `${part.label}: ${part.value}`)
        .join(' / ') || t('common:alerts.everything')
    : t('common:alerts.everything')
  const kindLabel = t(`common:alerts.kinds.${search.kind}`)
  const subject =
    listed.length === 1
      ? t(`common:alerts.mail.subject.${items[0]!.kind}`, {
          title: listed[0]!.title,
          city: listed[0]!.cityName,
        })
      : t('common:alerts.mail.digestSubject', { count: listed.length, kind: kindLabel })
  const text = t('common:alerts.mail.body', {
    name: recipient.display_name,
    kind: kindLabel,
    items: listed.map((item) => item.text).join('\n\n'),
    conditions,
    settings: `${context.origin}/account/alerts`,
    unsubscribe: unsubscribeUrl,
    interpolation: { escapeValue: false },
  })
  await queueMail(tx, {
    to: recipient.email,
    subject,
    text,
    kind: 'alert',
    listUnsubscribeUrl: unsubscribeUrl,
  })
  return true
}
