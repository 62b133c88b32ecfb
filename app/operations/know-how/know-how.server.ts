import { and, count, desc, eq, sql } from 'drizzle-orm'
import type { RuntimeDb } from '../../../db/runtime'
import type { TenantDb, TenantTx } from '../../../db/tenant-context'
import { internalNotes, knowHowEntries, proposals, referencedRow } from '../../../db/schema'
import {
  inProposalTransaction,
  recordAudit,
  staffMembership,
  type ProposalTenant,
  type RequestActor,
} from '../proposals/context.server'
import { isUuid } from '../../utils/ids'
import { LIST_PAGE_SIZE, pageOf, type PageOf } from '~/utils/paging'
import { matchesAllWords } from '../text-search.server'
import { readPeople } from '../people.server'
import { KNOW_HOW_TITLE_MAX } from './know-how-rules'
import { type InputIssue } from '../app-error'
import { AppError } from '../app-error'

/**
 * Know-how (ナレッジ): internal notes staff mark as good practice, with an
 * optional lesson title and fields of activity from the tenant file, and the
 * city staff's searchable list of them. Everything here is city staff only —
 * the table's policies follow the internal note, so a proposer or the public
 * never reaches a row, and department staff only those on their proposals.
 */

export type KnowHowMark = {
  noteId: string
  title: string
  fields: string[]
  markedByName: string
  markedAt: Date
}

export type KnowHowRow = KnowHowMark & {
  id: string
  noteBody: string
  proposalId: string
  proposalTitle: string
  referenceCode: string | null
}

function requireStaff(actor: RequestActor): void {
  if (actor.kind !== 'staff') throw new AppError('forbidden', 'Know-how is for city staff')
}

function checkMark(tenant: ProposalTenant, input: { title: string; fields: readonly string[] }) {
  const title = input.title.trim()
  const fields = [...new Set(input.fields)]
  const known = new Set(tenant.config.fieldsOfActivity.map((field) => field.id))
  const issues: InputIssue[] = []
  if (title.length > KNOW_HOW_TITLE_MAX)
    issues.push({ path: ['title'], message: `At most ${KNOW_HOW_TITLE_MAX} characters` })
  if (fields.some((field) => !known.has(field)))
    issues.push({ path: ['fields'], message: 'Fields must come from the city’s fields of activity' })
  if (issues.length > 0) throw new AppError('invalid_input', 'The know-how mark is not valid', { issues })
  return { title, fields }
}

async function findNote(tx: TenantTx, tenant: ProposalTenant, noteId: string) {
  const [note] = isUuid(noteId)
    ? await tx
        .select({ id: internalNotes.id, proposalId: internalNotes.proposalId })
        .from(internalNotes)
        .where(and(eq(internalNotes.tenantId, tenant.id), eq(internalNotes.id, noteId)))
    : []
  if (!note) throw new AppError('not_found', 'No such internal note in this city')
  return note
}

/** Marks (or re-marks, with a new title and fields) an internal note as good practice. */
export async function markGoodPractice(
  db: RuntimeDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    noteId: string
    title: string
    fields: readonly string[]
    now?: Date
  },
): Promise<void> {
  const { tenant, actor } = options
  requireStaff(actor)
  const mark = checkMark(tenant, options)
  await inProposalTransaction(db, tenant, actor, async (tx) => {
    await staffMembership(tx, tenant, actor)
    const note = await findNote(tx, tenant, options.noteId)
    const values = { ...mark, markedBy: actor.userId, markedAt: options.now ?? new Date() }
    await tx
      .insert(knowHowEntries)
      .values({ tenantId: tenant.id, internalNoteId: note.id, proposalId: note.proposalId, ...values })
      .onConflictDoUpdate({ target: [knowHowEntries.tenantId, knowHowEntries.internalNoteId], set: values })
    await recordAudit(tx, tenant, actor, {
      action: 'know_how.marked',
      targetType: 'internal_note',
      targetId: note.id,
      payload: { proposalId: note.proposalId, ...mark },
    })
  })
}

export async function unmarkGoodPractice(
  db: RuntimeDb,
  options: { tenant: ProposalTenant; actor: RequestActor; noteId: string },
): Promise<void> {
  const { tenant, actor } = options
  requireStaff(actor)
  await inProposalTransaction(db, tenant, actor, async (tx) => {
    await staffMembership(tx, tenant, actor)
    const note = await findNote(tx, tenant, options.noteId)
    await tx
      .delete(knowHowEntries)
      .where(and(eq(knowHowEntries.tenantId, tenant.id), eq(knowHowEntries.internalNoteId, note.id)))
    await recordAudit(tx, tenant, actor, {
      action: 'know_how.unmarked',
      targetType: 'internal_note',
      targetId: note.id,
      payload: { proposalId: note.proposalId },
    })
  })
}

const markColumns = {
  noteId: knowHowEntries.internalNoteId,
  title: knowHowEntries.title,
  fields: knowHowEntries.fields,
  markedBy: knowHowEntries.markedBy,
  markedAt: knowHowEntries.markedAt,
}

/** Each mark with the name of who marked it (app_people), in place of their id. */
async function withMarkerNames<T extends { markedBy: string | null }>(
  tx: TenantTx,
  marks: T[],
): Promise<(Omit<T, 'markedBy'> & { markedByName: string })[]> {
  const people = await readPeople(
    tx,
    marks.map((mark) => mark.markedBy),
  )
  return marks.map(({ markedBy, ...mark }) => ({
    ...mark,
    markedByName: people.get(markedBy ?? '')?.displayName ?? '',
  }))
}

/** The know-how marks of a proposal already found in this transaction (staff only, by row-level security). */
export async function knowHowMarksOf(
  tx: TenantTx,
  tenant: ProposalTenant,
  proposalId: string,
): Promise<KnowHowMark[]> {
  return withMarkerNames(
    tx,
    await tx
      .select(markColumns)
      .from(knowHowEntries)
      .where(and(eq(knowHowEntries.tenantId, tenant.id), eq(knowHowEntries.proposalId, proposalId))),
  )
}

/**
 * One page of the city's know-how, newest mark first, and how many match:
 * every word of `q` must appear in the lesson title, the note or the
 * proposal's subject (works for Japanese); `field` keeps the entries tagged
 * with that field. Reading it is audited.
 */
export async function listKnowHow(
  db: TenantDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    q?: string
    field?: string
    ip?: string | null
    /** From 1; past the last, the last. */
    page: number
  },
): Promise<PageOf & { rows: KnowHowRow[] }> {
  const { tenant, actor } = options
  requireStaff(actor)
  const field = tenant.config.fieldsOfActivity.some((known) => known.id === options.field)
    ? options.field
    : undefined
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    await staffMembership(tx, tenant, actor)
    const matching = and(
      eq(knowHowEntries.tenantId, tenant.id),
      field ? sql`${knowHowEntries.fields} @> ${JSON.stringify([field])}::jsonb` : undefined,
      matchesAllWords(options.q, [knowHowEntries.title, internalNotes.body, proposals.title]),
    )
    // The count joins what the search reads: the words may be in the note or the proposal's subject.
    const [counted] = await tx
      .select({ total: count() })
      .from(knowHowEntries)
      .innerJoin(internalNotes, referencedRow(knowHowEntries, knowHowEntries.internalNoteId, internalNotes))
      .innerJoin(proposals, referencedRow(knowHowEntries, knowHowEntries.proposalId, proposals))
      .where(matching)
    const paging = pageOf(options.page, counted?.total ?? 0)
    const rows = await withMarkerNames(
      tx,
      await tx
        .select({
          ...markColumns,
          id: knowHowEntries.id,
          noteBody: internalNotes.body,
          proposalId: knowHowEntries.proposalId,
          proposalTitle: proposals.title,
          referenceCode: proposals.referenceCode,
        })
        .from(knowHowEntries)
        .innerJoin(internalNotes, referencedRow(knowHowEntries, knowHowEntries.internalNoteId, internalNotes))
        .innerJoin(proposals, referencedRow(knowHowEntries, knowHowEntries.proposalId, proposals))
        .where(matching)
        .orderBy(desc(knowHowEntries.markedAt), desc(knowHowEntries.id))
        .limit(LIST_PAGE_SIZE)
        .offset(paging.offset),
    )
    await recordAudit(tx, tenant, actor, {
      action: 'know_how.listed',
      targetType: 'know_how',
      targetId: 'list',
      ip: options.ip,
      payload: { q: options.q ?? '', field: field ?? null, page: paging.page, rows: rows.length },
    })
    return { rows, ...paging }
  })
}
