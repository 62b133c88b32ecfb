import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type LinksFunction,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { isCalendarDate } from '@desk/workflow'
import { Pager } from '~/components/pager'
import { actThenShow, proposalTenant } from '~/http/edge.server'
import { fields, hidden, intents } from '~/http/form-schemas'
import { readPageQuery } from '~/http/form-validation.server'
import {
  answerTo,
  CheckboxGroup,
  FormAlert,
  RefusedQueryNotice,
  SelectField,
  TextField,
  useValidatedForm,
  type ActionFailure,
} from '~/components/forms'
import { themeStatuses } from '~/operations/themes/theme-statuses'
import { listThemesForDesk, saveTheme } from '~/operations/themes/themes.server'
import { requireCityRole } from '~/http/guards.server'
import { readForDeskStaff } from '~/http/desk-request.server'
import { getFixedT } from '~/utils/i18n.server'
import { publishedContentChanged } from '~/operations/portal/published-content.server'
import deskStylesHref from '~/styles/desk.css'
import type { AppFailure } from '~/http/errors.server'
import { deskPageMeta } from '~/utils/page-meta'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: deskStylesHref }]

/** The themes page's messages: keys of `desk:themes.errors.*`. */
const themeError = (key: 'required' | 'tooLong' | 'invalidDate') => `desk:themes.errors.${key}`
const text = (max: number) => z.string().trim().max(max, themeError('tooLong')).default('')

/** A theme written or changed: its department and fields are the city's (the form checks it in the browser too). */
function themeSchema(config: { departments: { id: string }[]; fieldsOfActivity: { id: string }[] }) {
  return z.object({
    intent: z.literal('save'),
    themeId: hidden.id.optional(),
    titleJa: z.string().trim().min(1, themeError('required')).max(200, themeError('tooLong')).default(''),
    titleEn: text(200),
    backgroundJa: text(4000),
    backgroundEn: text(4000),
    expectedOutcomeJa: text(4000),
    expectedOutcomeEn: text(4000),
    departmentKey: fields.oneOf(config.departments.map((department) => department.id)).optional(),
    fields: fields.someOf(config.fieldsOfActivity.map((field) => field.id)),
    deadline: z.string().refine(isCalendarDate, themeError('invalidDate')).optional(),
  })
}

/** A theme's form, or its status (a button: the status is the page's). */
function themeFormSchema(config: Parameters<typeof themeSchema>[0]) {
  return intents([
    themeSchema(config),
    z.object({ intent: z.literal('status'), themeId: hidden.id, status: hidden.choice(themeStatuses) }),
  ])
}

const deskRoles = ['desk_admin', 'desk_staff'] as const

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return readForDeskStaff(
    request,
    context,
    params.city,
    async ({ db, locale, tenant, actor, text }) => {
      const t = await getFixedT(locale)
      const { config } = tenant
      // A page number that is not one is answered 400 and the first page, said above the list.
      const { page: requested, fieldErrors, status } = readPageQuery(new URL(request.url).searchParams)
      const { themes, page, pageCount } = await listThemesForDesk(db, { tenant, actor, page: requested })
      return json(
        {
          title: t('desk:themes.title'),
          slug: config.slug,
          cityName: text(config.identity.name),
          themes,
          page,
          pageCount,
          departments: config.departments.map((department) => ({
            id: department.id,
            label: text(department.name),
          })),
          fieldsOfActivity: config.fieldsOfActivity.map((field) => ({
            id: field.id,
            label: text(field.label),
          })),
          fieldErrors,
        },
        { status, headers: { 'Cache-Control': 'no-store' } },
      )
    },
    deskRoles,
  )
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireCityRole(context, params.city, deskRoles, request)
  const tenant = await proposalTenant(context, staff.citySlug, staff.tenantId)
  const actor = { kind: 'staff' as const, userId: staff.user.id }
  const response = await actThenShow(
    request,
    { schema: themeFormSchema(tenant.config), pageHref: `/${staff.citySlug}/desk/themes?done=saved` },
    (form) => {
      if (form.intent === 'status')
        return saveTheme(context.db, { tenant, actor, themeId: form.themeId, status: form.status })
      const { intent: _intent, themeId, departmentKey, deadline, ...input } = form
      return saveTheme(context.db, {
        tenant,
        actor,
        themeId,
        input: { ...input, departmentKey: departmentKey ?? null, deadline: deadline ?? null },
      })
    },
  )
  // The portal lists open themes: its cached pages must show the change.
  if (response.status === 302) publishedContentChanged(staff.citySlug)
  return response
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>
type Theme = Loaded['themes'][number]

/** The theme form's text inputs, in order; the long ones are textareas. */
const textInputs = [
  ['titleJa', false],
  ['titleEn', false],
  ['backgroundJa', true],
  ['backgroundEn', true],
  ['expectedOutcomeJa', true],
  ['expectedOutcomeEn', true],
] as const

/** A new theme's form (no `theme`) or an existing one's: checked with the action's schema, refused at itself. */
function ThemeForm({
  theme,
  departments,
  fieldsOfActivity,
  failure,
}: {
  theme?: Theme
  departments: Loaded['departments']
  fieldsOfActivity: Loaded['fieldsOfActivity']
  /** The action's answer to this form (a save of this theme, or of a new one). */
  failure: ActionFailure | undefined
}) {
  const { t } = useTranslation('desk')
  const prefix = theme?.id ?? 'new'
  const schema = useMemo(
    () => themeSchema({ departments, fieldsOfActivity }),
    [departments, fieldsOfActivity],
  )
  const { form, errors, values, alert } = useValidatedForm({ id: `theme-form-${prefix}`, schema, failure })
  const names = [...textInputs.map(([name]) => name), 'departmentKey', 'fields', 'deadline'] as const
  const fieldProps = (name: (typeof names)[number]) => ({
    id: `${prefix}-${name}`,
    name,
    label: t(`themes.fields.${name}`),
    errors,
    values,
  })
  return (
    <Form
      method="post"
      className="stack"
      aria-label={theme ? t('themes.editLabel', { title: theme.titleJa }) : t('themes.create')}
      {...form}
    >
      <FormAlert
        {...alert}
        labels={Object.fromEntries(names.map((name) => [name, t(`themes.fields.${name}`)]))}
        ids={Object.fromEntries(names.map((name) => [name, `${prefix}-${name}`]))}
      />
      <input type="hidden" name="intent" value="save" />
      {theme ? <input type="hidden" name="themeId" value={theme.id} /> : null}
      {textInputs.map(([name, long]) => (
        <TextField
          key={name}
          {...fieldProps(name)}
          required={name === 'titleJa'}
          rows={long ? 3 : undefined}
          defaultValue={theme?.[name] ?? ''}
        />
      ))}
      <SelectField
        {...fieldProps('departmentKey')}
        options={departments.map((department) => ({ value: department.id, label: department.label }))}
        emptyLabel={t('themes.noDepartment')}
        defaultValue={theme?.departmentKey ?? ''}
      />
      <CheckboxGroup
        {...fieldProps('fields')}
        hint={t('themes.fieldsHint')}
        options={fieldsOfActivity.map((activity) => ({ value: activity.id, label: activity.label }))}
        defaultValue={theme?.fields}
      />
      <TextField {...fieldProps('deadline')} type="date" defaultValue={theme?.deadline ?? ''} />
      <button type="submit" className="button button--primary">
        {theme ? t('themes.save') : t('themes.create')}
      </button>
    </Form>
  )
}

export default function DeskThemes() {
  const data = useLoaderData<typeof loader>()
  const failure = useActionData<AppFailure>()
  const { t } = useTranslation('desk')
  // A refused save is shown at the form it answers (a new theme's, or the theme's it changes).
  const saved = answerTo(failure, 'save')
  const answerFor = (themeId: string) => ((saved?.values?.themeId ?? '') === themeId ? saved : undefined)
  return (
    <section className="desk-page">
      <p>
        <Link to={`/${data.slug}/desk`}>{t('proposal.back')}</Link>
      </p>
      <h1>{t('themes.title')}</h1>
      {/* A status change refused (the page was out of date, the theme gone). */}
      <FormAlert failure={saved ? undefined : failure} />
      {/* A page number that is not one: said at the top, where it is seen, though the list is below the new theme's form. */}
      <RefusedQueryNotice errors={data.fieldErrors} />
      <h2>{t('themes.create')}</h2>
      <ThemeForm
        departments={data.departments}
        fieldsOfActivity={data.fieldsOfActivity}
        failure={answerFor('')}
      />
      <h2>{t('themes.existing')}</h2>
      {data.themes.length === 0 ? <p>{t('themes.none')}</p> : null}
      {data.themes.map((theme) => (
        <article key={theme.id} className="card" aria-labelledby={`theme-${theme.id}`}>
          <h3 id={`theme-${theme.id}`}>
            {theme.titleJa} <span className="badge">{t(`themes.status.${theme.status}`)}</span>
          </h3>
          <div className="button-row">
            {themeStatuses
              .filter((status) => status !== theme.status && status !== 'draft')
              .map((status) => (
                <Form method="post" key={status}>
                  <input type="hidden" name="intent" value="status" />
                  <input type="hidden" name="themeId" value={theme.id} />
                  <input type="hidden" name="status" value={status} />
                  <button type="submit" className="button button--small">
                    {t(`themes.to.${status}`, { title: theme.titleJa })}
                  </button>
                </Form>
              ))}
          </div>
          <details open={answerFor(theme.id) ? true : undefined}>
            <summary>{t('themes.edit')}</summary>
            <ThemeForm
              theme={theme}
              departments={data.departments}
              fieldsOfActivity={data.fieldsOfActivity}
              failure={answerFor(theme.id)}
            />
          </details>
        </article>
      ))}
      <Pager page={data.page} pageCount={data.pageCount} />
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = deskPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
