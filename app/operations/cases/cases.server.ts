import { and, asc, count, desc, eq, notExists, sql } from 'drizzle-orm'
import { z } from 'zod'
import { isoDateSchema, MAX_TEXT_LENGTH } from '@desk/workflow'
import { platformFieldsOf } from '@desk/tenant-config'
import type { RuntimeDb } from '../../../db/runtime'
import type { TenantDb, TenantTx } from '../../../db/tenant-context'
import { enqueueAlertMatching } from '../alerts/alerts.server'
import { agreements, caseImages, proposals, publishedCases } from '../../../db/schema'
import { LIST_PAGE_SIZE, pageOf } from '~/utils/paging'
import type { ReceivedFile, UploadLimits } from '../attachments/receive-uploads.server'
import { storedFileResponse, type FileStore } from '../../../db/file-storage/index.server'
import {
  findProposal,
  inProposalTransaction,
  recordAudit,
  staffMembership,
  type ProposalTenant,
  type RequestActor,
} from '../proposals/context.server'
import { isUuid } from '../../utils/ids'
import type { PublishedCase } from '~/operations/portal/cases.server'
import { bilingual } from '~/operations/portal/themes.server'
import { AppError } from '../app-error'

/**
 * 連携事例: the desk writes a public case from a concluded proposal (one with
 * its agreement recorded), previews it, and publishes or withdraws it. A case
 * is a text of its own: nothing of the proposal (answers, thread, notes) is
 * copied into what the public sees except what the desk writes here. The
 * public sees a case only while it is published (row-level security); the
 * caller tells the portal its content changed (`publishedContentChanged`).
 */

/** Images of a case: photographs and figures only, checked by content. */
export const CASE_IMAGE_LIMITS: UploadLimits = {
  allowedMimeTypes: ['image/png', 'image/jpeg'],
  maxBytes: 5 * 1024 * 1024,
  maxFiles: 1,
}
export const CASE_IMAGES_PER_CASE = 6

export type CaseRow = typeof publishedCases.$inferSelect
export type CaseImage = { id: string; altJa: string; altEn: string }

/** Desk roles only: department staff and proposers never write cases. */
async function requireDesk(tx: TenantTx, tenant: ProposalTenant, actor: RequestActor) {
  const membership = await staffMembership(tx, tenant, actor)
  if (membership.role === 'department_staff') throw new AppError('forbidden', 'The desk writes cases')
}

async function findCase(tx: TenantTx, tenant: ProposalTenant, caseId: string): Promise<CaseRow> {
  const [row] = isUuid(caseId)
    ? await tx
        .select()
        .from(publishedCases)
        .where(and(eq(publishedCases.tenantId, tenant.id), eq(publishedCases.id, caseId)))
    : []
  if (!row) throw new AppError('not_found', 'No such case')
  return row
}

/**
 * One page of the city's cases (newest change first) with how many there are,
 * and the concluded proposals that have none yet.
 */
export async function listCasesForDesk(
  db: TenantDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    /** From 1; past the last, the last. */
    page: number
  },
) {
  const { tenant, actor } = options
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    await requireDesk(tx, tenant, actor)
    const [counted] = await tx
      .select({ total: count() })
      .from(publishedCases)
      .where(eq(publishedCases.tenantId, tenant.id))
    const paging = pageOf(options.page, counted?.total ?? 0)
    const cases = await tx
      .select({
        id: publishedCases.id,
        titleJa: publishedCases.titleJa,
        titleEn: publishedCases.titleEn,
        status: publishedCases.status,
        publishedAt: publishedCases.publishedAt,
        updatedAt: publishedCases.updatedAt,
        proposalId: publishedCases.proposalId,
      })
      .from(publishedCases)
      .where(eq(publishedCases.tenantId, tenant.id))
      .orderBy(desc(publishedCases.updatedAt), desc(publishedCases.id))
      .limit(LIST_PAGE_SIZE)
      .offset(paging.offset)
    const concluded = await tx
      .select({ id: proposals.id, title: proposals.title, referenceCode: proposals.referenceCode })
      .from(proposals)
      .innerJoin(
        agreements,
        and(eq(agreements.tenantId, proposals.tenantId), eq(agreements.proposalId, proposals.id)),
      )
      .where(
        and(
          eq(proposals.tenantId, tenant.id),
          notExists(
            tx
              .select({ one: sql`1` })
              .from(publishedCases)
              .where(
                and(
                  eq(publishedCases.tenantId, proposals.tenantId),
                  eq(publishedCases.proposalId, proposals.id),
                ),
              ),
          ),
        ),
      )
      .orderBy(desc(agreements.updatedAt))
    return { cases, concluded, ...paging }
  })
}

/**
 * Starts a draft case from a concluded proposal, filled with what the city
 * already decided (method, agreement kind, term). The partner name is left
 * for the desk to write as the partner agreed to be named.
 */
export async function startCaseFromProposal(
  db: RuntimeDb,
  options: { tenant: ProposalTenant; actor: RequestActor; proposalId: string },
): Promise<string> {
  const { tenant, actor } = options
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    await requireDesk(tx, tenant, actor)
    const proposal = await findProposal(tx, tenant, options.proposalId)
    const [agreement] = await tx
      .select()
      .from(agreements)
      .where(and(eq(agreements.tenantId, tenant.id), eq(agreements.proposalId, proposal.id)))
    if (!agreement) {
      throw new AppError(
        'invalid_transition',
        'A case is written from a concluded proposal (agreement recorded)',
      )
    }
    const [row] = await tx
      .insert(publishedCases)
      .values({
        tenantId: tenant.id,
        proposalId: proposal.id,
        titleJa: proposal.title,
        collaborationMethod: proposal.collaborationMethod,
        agreementKind: agreement.agreementKind,
        startedOn: agreement.validFrom ?? agreement.concludedOn,
        endedOn: agreement.validUntil,
        createdBy: actor.userId,
      })
      .returning({ id: publishedCases.id })
    await recordAudit(tx, tenant, actor, {
      action: 'case.create',
      targetType: 'case',
      targetId: row!.id,
      payload: { proposalId: proposal.id },
    })
    return row!.id
  })
}

export type CaseForDesk = {
  case: CaseRow
  images: CaseImage[]
  proposal: { id: string; title: string; referenceCode: string | null } | null
}

export async function readCaseForDesk(
  db: TenantDb,
  options: { tenant: ProposalTenant; actor: RequestActor; caseId: string },
): Promise<CaseForDesk> {
  const { tenant, actor } = options
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    await requireDesk(tx, tenant, actor)
    const row = await findCase(tx, tenant, options.caseId)
    const images = await tx
      .select({ id: caseImages.id, altJa: caseImages.altJa, altEn: caseImages.altEn })
      .from(caseImages)
      .where(and(eq(caseImages.tenantId, tenant.id), eq(caseImages.caseId, row.id)))
      .orderBy(asc(caseImages.position), asc(caseImages.createdAt))
    const proposal = row.proposalId ? await findProposal(tx, tenant, row.proposalId) : null
    return {
      case: row,
      images,
      proposal: proposal
        ? { id: proposal.id, title: proposal.title, referenceCode: proposal.referenceCode }
        : null,
    }
  })
}

/**
 * Issue messages are keys of `after:cases.errors.*` (the page shows them in the
 * reader's language); anything else (a date zod refused) reads as `errors.invalid`.
 */
const caseMessage = {
  tooLong: 'cases.errors.tooLong',
  required: 'cases.errors.required',
  unknownChoice: 'cases.errors.unknownChoice',
  unknownField: 'cases.errors.unknownField',
  endBeforeStart: 'cases.errors.endBeforeStart',
  requiredToPublish: 'cases.errors.requiredToPublish',
  fieldRequiredToPublish: 'cases.errors.fieldRequiredToPublish',
  imageType: 'cases.errors.imageType',
  altRequired: 'cases.errors.altRequired',
  tooManyImages: 'cases.errors.tooManyImages',
} as const

const shortText = (max: number) => z.string().trim().max(max, caseMessage.tooLong)
const optionalDate = isoDateSchema.nullable()

function caseSchema(tenant: ProposalTenant) {
  const { config } = tenant
  const oneOf = (ids: string[]) =>
    z
      .string()
      .nullable()
      .refine((value) => value === null || ids.includes(value), caseMessage.unknownChoice)
  return z
    .object({
      titleJa: shortText(200).min(1, caseMessage.required),
      titleEn: shortText(200),
      summaryJa: shortText(MAX_TEXT_LENGTH),
      summaryEn: shortText(MAX_TEXT_LENGTH),
      resultsJa: shortText(MAX_TEXT_LENGTH),
      resultsEn: shortText(MAX_TEXT_LENGTH),
      partnerName: shortText(500),
      collaborationMethod: oneOf(config.collaborationMethods.map((method) => method.id)),
      agreementKind: oneOf(config.agreementKinds.map((kind) => kind.id)),
      fields: z
        .array(z.string())
        .refine(
          (fields) => fields.every((field) => config.fieldsOfActivity.some((known) => known.id === field)),
          caseMessage.unknownField,
        )
        .transform((fields) => [...new Set(fields)]),
      startedOn: optionalDate,
      endedOn: optionalDate,
    })
    .strict()
    .refine((value) => !value.startedOn || !value.endedOn || value.endedOn >= value.startedOn, {
      message: caseMessage.endBeforeStart,
      path: ['endedOn'],
    })
}

export type CaseInput = z.input<ReturnType<typeof caseSchema>>

function invalid(issues: { path: (string | number)[]; message: string }[]): never {
  throw new AppError('invalid_input', 'The case is not valid', {
    issues: issues.map((issue) => ({ path: issue.path, message: issue.message })),
  })
}

/** Saves the desk's text. A published case changes on the portal at once (the caller refreshes its cache). */
export async function saveCase(
  db: RuntimeDb,
  options: { tenant: ProposalTenant; actor: RequestActor; caseId: string; input: CaseInput; now?: Date },
): Promise<void> {
  const { tenant, actor } = options
  const parsed = caseSchema(tenant).safeParse(options.input)
  if (!parsed.success) invalid(parsed.error.issues)
  await inProposalTransaction(db, tenant, actor, async (tx) => {
    await requireDesk(tx, tenant, actor)
    const row = await findCase(tx, tenant, options.caseId)
    await tx
      .update(publishedCases)
      .set({
        ...parsed.data,
        platformFields: platformFieldsOf(tenant.config, parsed.data.fields),
        updatedAt: options.now ?? new Date(),
      })
      .where(and(eq(publishedCases.tenantId, tenant.id), eq(publishedCases.id, row.id)))
    await recordAudit(tx, tenant, actor, { action: 'case.save', targetType: 'case', targetId: row.id })
  })
}

/** What a case needs before the public may see it; the issues name the missing parts. */
function publishIssues(row: CaseRow): { path: string[]; message: string }[] {
  const required: [keyof CaseRow, string][] = [
    ['titleJa', 'title'],
    ['summaryJa', 'summary'],
    ['partnerName', 'partner'],
  ]
  return [
    ...required
      .filter(([column]) => !String(row[column] ?? '').trim())
      .map(([column]) => ({ path: [column as string], message: caseMessage.requiredToPublish })),
    ...(row.fields.length === 0
      ? [{ path: ['fields'], message: caseMessage.fieldRequiredToPublish }]
      : []),
  ]
}

/** Publishes (or republishes) a case: from now on the public sees it. */
export async function publishCase(
  db: RuntimeDb,
  options: { tenant: ProposalTenant; actor: RequestActor; caseId: string; now?: Date },
): Promise<void> {
  const { tenant, actor } = options
  const now = options.now ?? new Date()
  await inProposalTransaction(db, tenant, actor, async (tx) => {
    await requireDesk(tx, tenant, actor)
    const row = await findCase(tx, tenant, options.caseId)
    const issues = publishIssues(row)
    if (issues.length > 0) invalid(issues)
    await tx
      .update(publishedCases)
      .set({
        status: 'published',
        // Mapped again now: the city's mapping to the platform taxonomy may have changed since the last save.
        platformFields: platformFieldsOf(tenant.config, row.fields),
        publishedAt: now,
        withdrawnAt: null,
        updatedAt: now,
      })
      .where(and(eq(publishedCases.tenantId, tenant.id), eq(publishedCases.id, row.id)))
    await recordAudit(tx, tenant, actor, { action: 'case.publish', targetType: 'case', targetId: row.id })
    // Members whose saved searches the case matches are told (through the cross-city view: only if published in a live city).
    await enqueueAlertMatching(tx, { kind: 'case', id: row.id })
  })
}

/** Withdraws a published case: it leaves every public page, feed and export. */
export async function withdrawCase(
  db: RuntimeDb,
  options: { tenant: ProposalTenant; actor: RequestActor; caseId: string; now?: Date },
): Promise<void> {
  const { tenant, actor } = options
  const now = options.now ?? new Date()
  await inProposalTransaction(db, tenant, actor, async (tx) => {
    await requireDesk(tx, tenant, actor)
    const row = await findCase(tx, tenant, options.caseId)
    if (row.status !== 'published')
      throw new AppError('invalid_transition', 'Only a published case is withdrawn')
    await tx
      .update(publishedCases)
      .set({ status: 'withdrawn', withdrawnAt: now, updatedAt: now })
      .where(and(eq(publishedCases.tenantId, tenant.id), eq(publishedCases.id, row.id)))
    await recordAudit(tx, tenant, actor, { action: 'case.withdraw', targetType: 'case', targetId: row.id })
  })
}

/** Adds an image (already stored and type checked by content) with its alternative text. */
export async function addCaseImage(
  db: RuntimeDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    caseId: string
    file: ReceivedFile | undefined
    altJa: string
    altEn: string
  },
): Promise<void> {
  const { tenant, actor, file } = options
  const altJa = options.altJa.trim()
  const issues = [
    ...(file ? [] : [{ path: ['image'], message: caseMessage.imageType }]),
    ...(altJa ? [] : [{ path: ['altJa'], message: caseMessage.altRequired }]),
    ...(altJa.length > 300 || options.altEn.trim().length > 300
      ? [{ path: ['altJa'], message: caseMessage.tooLong }]
      : []),
  ]
  if (issues.length > 0 || !file) invalid(issues)
  await inProposalTransaction(db, tenant, actor, async (tx) => {
    await requireDesk(tx, tenant, actor)
    const row = await findCase(tx, tenant, options.caseId)
    const [{ count }] = (await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(caseImages)
      .where(and(eq(caseImages.tenantId, tenant.id), eq(caseImages.caseId, row.id)))) as [{ count: number }]
    if (count >= CASE_IMAGES_PER_CASE) {
      invalid([{ path: ['image'], message: caseMessage.tooManyImages }])
    }
    await tx.insert(caseImages).values({
      tenantId: tenant.id,
      caseId: row.id,
      storedName: file.storedName,
      mime: file.mime,
      size: file.size,
      sha256: file.sha256,
      altJa,
      altEn: options.altEn.trim(),
      position: count,
      uploadedBy: actor.userId,
    })
    // The case's fingerprint (and so the portal's content version) follows its updated_at.
    await tx
      .update(publishedCases)
      .set({ updatedAt: new Date() })
      .where(and(eq(publishedCases.tenantId, tenant.id), eq(publishedCases.id, row.id)))
    await recordAudit(tx, tenant, actor, { action: 'case.image.add', targetType: 'case', targetId: row.id })
  })
}

export async function removeCaseImage(
  db: RuntimeDb,
  options: { tenant: ProposalTenant; actor: RequestActor; caseId: string; imageId: string },
): Promise<void> {
  const { tenant, actor } = options
  await inProposalTransaction(db, tenant, actor, async (tx) => {
    await requireDesk(tx, tenant, actor)
    const row = await findCase(tx, tenant, options.caseId)
    const removed = isUuid(options.imageId)
      ? await tx
          .delete(caseImages)
          .where(
            and(
              eq(caseImages.tenantId, tenant.id),
              eq(caseImages.caseId, row.id),
              eq(caseImages.id, options.imageId),
            ),
          )
          .returning({ id: caseImages.id })
      : []
    if (removed.length === 0) throw new AppError('not_found', 'No such image')
    await tx
      .update(publishedCases)
      .set({ updatedAt: new Date() })
      .where(and(eq(publishedCases.tenantId, tenant.id), eq(publishedCases.id, row.id)))
    await recordAudit(tx, tenant, actor, {
      action: 'case.image.remove',
      targetType: 'case',
      targetId: row.id,
    })
  })
}

/** An image as whoever asks may see it: the public only those of published cases (policy `case_images_select`). */
export async function findCaseImage(tx: TenantTx, caseId: string, imageId: string) {
  if (!isUuid(caseId) || !isUuid(imageId)) return undefined
  const [image] = await tx
    .select({
      storedName: caseImages.storedName,
      mime: caseImages.mime,
      size: caseImages.size,
      sha256: caseImages.sha256,
    })
    .from(caseImages)
    .where(and(eq(caseImages.caseId, caseId), eq(caseImages.id, imageId)))
  return image
}

/** The image itself, streamed from the file store, with the type its content was checked to be (never sniffed by the browser). */
export function caseImageResponse(
  files: FileStore,
  tenantId: string,
  image: NonNullable<Awaited<ReturnType<typeof findCaseImage>>>,
  cacheControl: string,
): Promise<Response> {
  return storedFileResponse(files, { tenantId, storedName: image.storedName, size: image.size }, {
    'Content-Type': image.mime,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': cacheControl,
    ETag: `"${image.sha256}"`,
  })
}

/** A case as the portal would show it if it were published now: the desk's preview renders exactly this. */
export function asPublishedCase(row: CaseRow, now = new Date()): PublishedCase {
  return {
    id: row.id,
    title: bilingual(row.titleJa, row.titleEn),
    summary: bilingual(row.summaryJa, row.summaryEn),
    results: bilingual(row.resultsJa, row.resultsEn),
    partnerName: row.partnerName,
    collaborationMethod: row.collaborationMethod,
    agreementKind: row.agreementKind,
    fields: row.fields,
    startedOn: row.startedOn,
    endedOn: row.endedOn,
    publishedAt: (row.publishedAt ?? now).toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}
