import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { RuntimeDb } from '../../../db/runtime'
import type { TenantTx } from '../../../db/tenant-context'
import { attachments, internalNotes, messageReads, messages } from '../../../db/schema'
import {
  findProposal,
  inProposalTransaction,
  notifyCityStaff,
  notifySubmitter,
  staffMembership,
  type ProposalRow,
  type ProposalTenant,
  type RequestActor,
} from '../proposals/context.server'
import { attachFiles } from '../attachments/attach-files.server'
import type { ReceivedFile } from '../attachments/receive-uploads.server'
import { AppError } from '../app-error'
import { readPeople } from '../people.server'
import { MESSAGE_MAX_LENGTH } from './message-rules'

/**
 * One thread per proposal: messages between the city and the proposer, and the
 * city's internal notes, which live in their own table under a staff-only
 * policy. Reading the thread moves the reader's unread marker.
 */

export type PostMessageOptions = {
  tenant: ProposalTenant
  actor: RequestActor
  proposalId: string
  body: string
  files?: readonly ReceivedFile[]
  now?: Date
}

/**
 * Posts a message to the thread as the actor's side and notifies the other
 * side through the outbox in the same transaction: a message from the city
 * goes to the submitter (in their language), one from the proposer to the
 * desk (the proposer cannot see the routing; the desk forwards).
 */
export async function postMessage(
  db: RuntimeDb,
  options: PostMessageOptions,
): Promise<{ messageId: string }> {
  const { tenant, actor } = options
  const body = checkBody(options.body)
  const now = options.now ?? new Date()
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    const proposal = await findProposal(tx, tenant, options.proposalId)
    if (actor.kind === 'staff') await staffMembership(tx, tenant, actor)
    return insertMessage(tx, tenant, actor, proposal, { body, files: options.files, now })
  })
}

/**
 * The message itself, in the caller's transaction (for operations that ask or
 * answer in the thread as part of their own change): the row, its files, the
 * author's read marker and the other side's notification.
 */
export async function insertMessage(
  tx: TenantTx,
  tenant: ProposalTenant,
  actor: RequestActor,
  proposal: ProposalRow,
  message: { body: string; files?: readonly ReceivedFile[]; now: Date },
): Promise<{ messageId: string }> {
  const { now } = message
  const [row] = await tx
    .insert(messages)
    .values({
      tenantId: tenant.id,
      proposalId: proposal.id,
      authorUserId: actor.userId,
      authorSide: actor.kind === 'staff' ? 'city' : 'proposer',
      body: checkBody(message.body),
      createdAt: now,
    })
    .returning({ id: messages.id })
  await attachFiles(tx, tenant, actor, { proposalId: proposal.id, messageId: row!.id }, message.files ?? [])
  await markRead(tx, tenant, actor, proposal.id, now)
  if (actor.kind === 'staff') await notifySubmitter(tx, tenant, proposal, 'message.received')
  else await notifyCityStaff(tx, proposal, 'message.received')
  return { messageId: row!.id }
}

export type AddInternalNoteOptions = {
  tenant: ProposalTenant
  actor: RequestActor
  proposalId: string
  body: string
  now?: Date
}

/** A note only city staff of the city see; never notified to the proposer. */
export async function addInternalNote(db: RuntimeDb, options: AddInternalNoteOptions): Promise<void> {
  const { tenant, actor } = options
  if (actor.kind !== 'staff') throw new AppError('forbidden', 'Internal notes are for city staff')
  const body = checkBody(options.body)
  await inProposalTransaction(db, tenant, actor, async (tx) => {
    const proposal = await findProposal(tx, tenant, options.proposalId)
    await staffMembership(tx, tenant, actor)
    await tx.insert(internalNotes).values({
      tenantId: tenant.id,
      proposalId: proposal.id,
      authorUserId: actor.userId,
      body,
      createdAt: options.now ?? new Date(),
    })
  })
}

export type ThreadEntry = {
  id: string
  kind: 'message' | 'note'
  side: 'city' | 'proposer'
  authorName: string
  body: string
  at: Date
  unread: boolean
  attachments: { id: string; name: string; size: number }[]
}

/**
 * The thread of a proposal already found in this transaction, as the actor may
 * see it, oldest first: messages (and, for staff, internal notes) with their
 * attachments, each marked unread if it came from the other side after the
 * reader last looked. Reading moves the marker. The marker, the messages and
 * the notes are sent together (one round trip), then the messages' files and
 * the new marker.
 */
export async function threadOf(
  tx: TenantTx,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    proposalId: string
    now?: Date
    /** A write of the caller's, sent with the marker's once the authors are read (see readPeople). */
    write?: () => Promise<unknown>
    /**
     * The page's other reads in this transaction, finished before the marker's write and the caller's: on a
     * Citus coordinator a definer's read (app_people) of the city's shards after this transaction wrote them
     * is refused, and a page's reads that take two steps (the know-how marks, then their markers' names)
     * would otherwise send their second statement after the writes.
     */
    readsBefore?: Promise<unknown>
  },
): Promise<ThreadEntry[]> {
  const { tenant, actor, proposalId } = options
  const mySide = actor.kind === 'staff' ? 'city' : 'proposer'
  const [[marker], rows, notes] = await Promise.all([
    tx
      .select({ lastReadAt: messageReads.lastReadAt })
      .from(messageReads)
      .where(
        and(
          eq(messageReads.tenantId, tenant.id),
          eq(messageReads.proposalId, proposalId),
          eq(messageReads.userId, actor.userId),
        ),
      ),
    tx
      .select({
        id: messages.id,
        side: messages.authorSide,
        body: messages.body,
        at: messages.createdAt,
        authorUserId: messages.authorUserId,
      })
      .from(messages)
      .where(and(eq(messages.tenantId, tenant.id), eq(messages.proposalId, proposalId)))
      .orderBy(asc(messages.createdAt)),
    // RLS returns nothing here to a proposer; the check keeps the intent readable.
    actor.kind === 'staff'
      ? tx
          .select({
            id: internalNotes.id,
            body: internalNotes.body,
            at: internalNotes.createdAt,
            authorUserId: internalNotes.authorUserId,
          })
          .from(internalNotes)
          .where(and(eq(internalNotes.tenantId, tenant.id), eq(internalNotes.proposalId, proposalId)))
      : [],
  ])
  // The authors' names, and the page's other reads, before markRead writes (see readPeople).
  const people = readPeople(
    tx,
    [...rows, ...notes].map((entry) => entry.authorUserId),
  )
  // Sent right after the names' statement (pipelined, in order), or once the page's other reads are done.
  const write = () =>
    Promise.all([markRead(tx, tenant, actor, proposalId, options.now ?? new Date()), options.write?.()])
  const writes = options.readsBefore ? options.readsBefore.then(write) : write()
  const [files, names] = await Promise.all([
    rows.length
      ? tx
          .select({
            id: attachments.id,
            messageId: attachments.messageId,
            name: attachments.originalName,
            size: attachments.size,
          })
          .from(attachments)
          .where(
            and(
              eq(attachments.tenantId, tenant.id),
              inArray(
                attachments.messageId,
                rows.map((row) => row.id),
              ),
            ),
          )
      : [],
    people,
    writes,
  ])
  const entries: ThreadEntry[] = [
    ...rows.map((row) => ({
      id: row.id,
      kind: 'message' as const,
      side: row.side,
      authorName: names.get(row.authorUserId ?? '')?.displayName ?? '',
      body: row.body,
      at: row.at,
      unread: row.side !== mySide && (!marker || row.at > marker.lastReadAt),
      attachments: files
        .filter((file) => file.messageId === row.id)
        .map((file) => ({ id: file.id, name: file.name, size: file.size })),
    })),
    ...notes.map((note) => ({
      id: note.id,
      kind: 'note' as const,
      side: 'city' as const,
      authorName: names.get(note.authorUserId ?? '')?.displayName ?? '',
      body: note.body,
      at: note.at,
      unread: false,
      attachments: [],
    })),
  ]
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime())
}

async function markRead(
  tx: TenantTx,
  tenant: ProposalTenant,
  actor: RequestActor,
  proposalId: string,
  now: Date,
) {
  await tx
    .insert(messageReads)
    .values({ tenantId: tenant.id, proposalId, userId: actor.userId, lastReadAt: now })
    .onConflictDoUpdate({
      target: [messageReads.tenantId, messageReads.proposalId, messageReads.userId],
      set: { lastReadAt: sql`greatest(${messageReads.lastReadAt}, excluded.last_read_at)` },
    })
}

function checkBody(body: string): string {
  const trimmed = body.trim()
  const problem =
    trimmed === ''
      ? 'is required'
      : trimmed.length > MESSAGE_MAX_LENGTH
        ? `is longer than ${MESSAGE_MAX_LENGTH} characters`
        : undefined
  if (problem)
    throw new AppError('invalid_input', `The message ${problem}`, {
      issues: [{ path: ['body'], message: problem }],
    })
  return trimmed
}
