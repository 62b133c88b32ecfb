import {
  json,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { OperatorAlert } from '~/components/operator/operator-alert'
import { FileField, FormAlert, FormNotice, TextField, useValidatedForm } from '~/components/forms'
import { fields, hidden, intents, STALE_FORM } from '~/http/form-schemas'
import { PlanView } from '~/components/operator/plan-view'
import { applyCityFile, planCityFile } from '~/operations/operator/onboard-city.server'
import { requireOperator } from '~/http/require-operator.server'
import { parseSubmission, siteOrigin } from '~/http/form-validation.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { AppError } from '../operations/app-error'
import { refusal } from '~/http/errors.server'
import { titleMeta } from '~/utils/page-meta'

/** Tenant files are a few dozen kilobytes; anything near this is not one. */
const MAX_FILE_BYTES = 1_000_000

/** An e-mail address, or nothing (no first desk admin to invite). */
const isEmailOrNothing = (value: string) => value === '' || z.string().email().safeParse(value).success

/** The form the operator fills in: the tenant file, the state mapping and the first admin's address. */
const PlanSchema = z.object({
  intent: z.literal('plan'),
  tenantFile: fields.file,
  mapping: fields.text(10_000),
  adminEmail: z
    .string()
    .trim()
    .max(254, 'auth:validation.tooLong')
    .refine(isEmailOrNothing, 'auth:validation.email')
    .default(''),
})
/** The plan confirmed: a button; the file and the answers are the page's (from the plan it shows). */
const ApplySchema = z.object({
  intent: z.literal('apply'),
  source: z.string({ required_error: STALE_FORM }).min(1, STALE_FORM).max(MAX_FILE_BYTES, STALE_FORM),
  file: z.string({ required_error: STALE_FORM }).min(1, STALE_FORM).max(200, STALE_FORM),
  mapping: hidden.text(10_000),
  adminEmail: hidden.text(254).refine(isEmailOrNothing, STALE_FORM),
})
const ApplyActionSchema = intents([PlanSchema, ApplySchema])

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireOperator(request, context)
  const t = await getFixedT(await getLocale(request))
  return json({ title: t('operator:apply.title') })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const operator = await requireOperator(request, context)
  if (Number(request.headers.get('Content-Length') ?? 0) > MAX_FILE_BYTES * 2)
    throw new Response('Payload Too Large', { status: 413 })
  const formData = await request.formData()
  const services = { db: context.db, tasks: context.operatorTasks, tenants: context.tenants }
  try {
    const form = parseSubmission(formData, ApplyActionSchema)
    if (form.intent === 'plan') {
      const { tenantFile, mapping, adminEmail } = form
      const file = tenantFile.name || 'tenant.yaml'
      const source = await tenantFile.text()
      if (!source.trim() || tenantFile.size > MAX_FILE_BYTES) throw new AppError('invalid_file')
      const plan = await planCityFile(services, operator, { source, file, mapping, ip: context.clientIp })
      return json({ plan, source, file, mapping, adminEmail })
    }
    const applied = await applyCityFile(services, operator, {
      ...form,
      origin: siteOrigin(context),
      locale: await getLocale(request),
    })
    const done = new URLSearchParams({ applied: applied.slug, status: applied.status })
    if (form.adminEmail) done.set('invited', form.adminEmail)
    return redirect(`/operator/apply?${done}`)
  } catch (error) {
    return refusal(error, { form: formData })
  }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

function AppliedNotice({ slug, status, invited }: { slug: string; status: string; invited: string | null }) {
  const { t } = useTranslation('operator')
  return (
    <FormNotice>
      <p>{t('apply.applied', { city: slug, status: t(`cities.status.${status}`) })}</p>
      {invited ? <p>{t('apply.invited', { email: invited })}</p> : null}
      <p>
        <Link to={`/${slug}`}>{t('cities.preview', { city: slug })}</Link> ·{' '}
        <Link to="/operator">{t('preview.back')}</Link>
      </p>
    </FormNotice>
  )
}

export default function OperatorApply() {
  const result = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t } = useTranslation('operator')
  const planned = result && 'plan' in result ? result : undefined
  const refused = result && 'formError' in result ? result : undefined
  // A refused field is shown at the form (its summary); a refused file or plan, with its problems, above it.
  const fieldRefusal = Object.keys(refused?.fieldErrors ?? {}).length > 0 ? refused : undefined
  const { form, errors, values, alert } = useValidatedForm({
    id: 'tenant-file',
    schema: PlanSchema,
    failure: fieldRefusal,
  })
  const fieldProps = { errors, values }
  const applied = searchParams.get('applied')
  return (
    <section>
      <h1>{t('apply.title')}</h1>
      <p>{t('apply.intro')}</p>
      {applied ? (
        <AppliedNotice
          slug={applied}
          status={searchParams.get('status') ?? 'draft'}
          invited={searchParams.get('invited')}
        />
      ) : null}
      <OperatorAlert failure={fieldRefusal ? undefined : refused} />
      <FormAlert
        {...alert}
        labels={{
          tenantFile: t('apply.file'),
          mapping: t('apply.mapping'),
          adminEmail: t('apply.adminEmail'),
        }}
      />
      <Form method="post" encType="multipart/form-data" className="stack" {...form}>
        <input type="hidden" name="intent" value="plan" />
        <FileField
          name="tenantFile"
          label={t('apply.file')}
          accept=".yaml,.yml,application/yaml,text/yaml"
          required
          {...fieldProps}
        />
        <TextField
          name="mapping"
          label={t('apply.mapping')}
          hint={t('apply.mappingHint')}
          rows={3}
          defaultValue={planned?.mapping ?? ''}
          {...fieldProps}
        />
        <TextField
          name="adminEmail"
          type="email"
          label={t('apply.adminEmail')}
          hint={t('apply.adminEmailHint')}
          autoComplete="off"
          defaultValue={planned?.adminEmail ?? ''}
          {...fieldProps}
        />
        <button type="submit" className="button">
          {t('apply.plan')}
        </button>
      </Form>
      {planned ? (
        <>
          <PlanView plan={planned.plan} />
          {planned.plan.applicable && planned.plan.kind !== 'unchanged' ? (
            <Form method="post">
              <input type="hidden" name="intent" value="apply" />
              <input type="hidden" name="source" value={planned.source} />
              <input type="hidden" name="file" value={planned.file} />
              <input type="hidden" name="mapping" value={planned.mapping} />
              <input type="hidden" name="adminEmail" value={planned.adminEmail} />
              <button type="submit" className="button button--primary">
                {t('apply.apply')}
              </button>
            </Form>
          ) : null}
        </>
      ) : null}
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
