import type { TenantConfig } from '@desk/tenant-config'
import type { PublishedCase } from '../../operations/portal/cases.server'
import { caseYear } from './case-filters'
import type { PublicTheme } from '../../operations/portal/themes.server'
import { formatDate, type Localize } from '../../utils/portal/views'

export type CaseSummary = {
  id: string
  title: string
  partner: string
  method: string
  year: number
  summary: string
}

/** A published case as the portal shows it; the desk's preview renders the same component with the same data. */
export type CaseDetailView = {
  title: string
  summary: string
  results: string
  partner: string
  method: string
  fields: string[]
  startedOn: string
  endedOn: string
  publishedAt: string
  images: { src: string; alt: string }[]
}

export type ThemeSummary = {
  id: string
  title: string
  department: string
  deadline: string
  summary: string
}

/** Database content (themes, cases) named in the visitor's language, with the tenant file's labels. */
type Naming = { config: TenantConfig; text: Localize; locale: string }

export function departmentName(theme: PublicTheme, { config, text }: Naming): string {
  const fromFile = config.departments.find((department) => department.id === theme.departmentKey)
  return text(fromFile?.name ?? theme.departmentName ?? undefined)
}

export function themeSummary(theme: PublicTheme, naming: Naming): ThemeSummary {
  return {
    id: theme.id,
    title: naming.text(theme.title),
    department: departmentName(theme, naming),
    deadline: theme.deadline ? formatDate(theme.deadline, naming.locale) : '',
    summary: naming.text(theme.background),
  }
}

/** The method a case used, else the agreement it concluded, in the city's words. */
export function caseMethodLabel(publishedCase: PublishedCase, { config, text }: Naming): string {
  const method = config.collaborationMethods.find(
    (candidate) => candidate.id === publishedCase.collaborationMethod,
  )
  const agreement = config.agreementKinds.find((candidate) => candidate.id === publishedCase.agreementKind)
  return text(method?.label ?? agreement?.label)
}

export function caseSummary(publishedCase: PublishedCase, naming: Naming): CaseSummary {
  return {
    id: publishedCase.id,
    title: naming.text(publishedCase.title),
    partner: publishedCase.partnerName,
    method: caseMethodLabel(publishedCase, naming),
    year: caseYear(publishedCase),
    summary: naming.text(publishedCase.summary),
  }
}

/** One case as its page shows it (the portal, and the desk's preview of exactly the same thing). */
export function caseDetail(
  publishedCase: PublishedCase,
  naming: Naming,
  images: { src: string; alt: string }[],
): CaseDetailView {
  const date = (value: string | null) => (value ? formatDate(value, naming.locale) : '')
  return {
    title: naming.text(publishedCase.title),
    summary: naming.text(publishedCase.summary),
    results: naming.text(publishedCase.results),
    partner: publishedCase.partnerName,
    method: caseMethodLabel(publishedCase, naming),
    fields: publishedCase.fields.map(
      (id) => naming.text(naming.config.fieldsOfActivity.find((field) => field.id === id)?.label) || id,
    ),
    startedOn: date(publishedCase.startedOn),
    endedOn: date(publishedCase.endedOn),
    publishedAt: date(publishedCase.publishedAt),
    images,
  }
}
