import type { LoaderFunctionArgs } from '@remix-run/node'
import { dateFormat, formatList } from '@desk/tenant-config'
import { exportDeskInbox } from '~/operations/inbox/desk-inbox.server'
import { inboxQueryLabels, readInboxQuery } from '~/http/inbox-query.server'
import { refusedQueryResponse } from '~/http/form-validation.server'
import { csvResponse } from '~/utils/csv'
import { deskStaffRequest } from '~/http/desk-request.server'
import { getFixedT } from '~/utils/i18n.server'
import { csv } from '~/utils/portal/feeds'
import { refusal } from '~/http/errors.server'
import { AppError } from '~/operations/app-error'

/**
 * The inbox as CSV: the same filters, search and order as the page (the
 * link carries its query string), every page, for whoever may see the inbox.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { locale, tenant, actor, text, isDesk } = await deskStaffRequest(request, context, params.city)
  const t = await getFixedT(locale)
  const { config } = tenant
  const day = dateFormat('sv-SE', { dateStyle: 'short', timeZone: 'Asia/Tokyo' })
  const date = (value: Date | null) => (value ? day.format(value) : '')
  // A refused filter downloads nothing (the file would be taken for the asked view): the reason, audited nothing.
  const { value: filters, fieldErrors } = readInboxQuery(new URL(request.url).searchParams, config)
  const refused = (errors: Record<string, string>) => refusedQueryResponse(errors, t, inboxQueryLabels(t))
  if (Object.keys(fieldErrors).length > 0) throw refused(fieldErrors)
  try {
    const rows = await exportDeskInbox(context.db, {
      tenant,
      actor,
      filters,
      locale,
      side: isDesk ? 'desk' : 'department',
      ip: context.clientIp,
    })
    const column = (name: string) => t(`dashboard:export.columns.${name}`)
    const label = <T extends { id: string }>(
      items: T[],
      id: string,
      of: (item: T) => Parameters<typeof text>[0],
    ) => {
      const item = items.find((candidate) => candidate.id === id)
      return item ? text(of(item)) : id
    }
    const body = csv([
      [
        'reference',
        'title',
        'organisation',
        'type',
        'track',
        'state',
        'departments',
        'submitted',
        'due',
        'overdue',
      ].map(column),
      ...rows.map((row) => [
        row.referenceCode ?? '',
        row.title,
        row.organisationName,
        label(config.proposalTypes, row.proposalType, (type) => type.label),
        label(config.tracks, row.track, (track) => track.label),
        row.stepLabel,
        formatList(
          row.departments.map((id) => label(config.departments, id, (department) => department.name)),
          locale,
        ),
        date(row.submittedAt),
        date(row.earlyAnswerDueAt),
        row.overdue ? column('yes') : '',
      ]),
    ])
    return csvResponse(
      body,
      `${config.slug}-${t('dashboard:export.inboxFile')}-${day.format(new Date())}.csv`,
    )
  } catch (error) {
    // A theme id that is none of the city's, found in the export's transaction: refused as the others are.
    if (error instanceof AppError && error.code === 'invalid_form')
      throw refused(
        Object.fromEntries(
          (error.details.issues ?? []).map((issue) => [issue.path.join('.'), issue.message]),
        ),
      )
    throw refusal(error)
  }
}
