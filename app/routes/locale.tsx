import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { supportedLocales } from '~/i18n'
import { refusal } from '~/http/errors.server'
import { hidden } from '~/http/form-schemas'
import { parseSubmission } from '~/http/form-validation.server'
import { safeRedirectPath } from '~/http/guards.server'
import { localeCookie } from '~/utils/locale.server'
import { rootMeta } from '~/utils/page-meta'

/**
 * The language switch in every page's header: a post of the language its
 * button offers and the page to go back to. Both are the page's own values,
 * so a post with another language is an out-of-date or forged page: the
 * refusal is the 400 error page, in the reader's language (the cookie is
 * left as it was).
 */
const LocaleChoiceSchema = z.object({
  locale: hidden.choice(supportedLocales),
  // Only a path on this site: anything else (another origin, `//host`, a backslash) goes home.
  redirectTo: z
    .string()
    .optional()
    .transform((path) => safeRedirectPath(path, '/')),
})

export async function action({ request }: ActionFunctionArgs) {
  try {
    const choice = parseSubmission(await request.formData(), LocaleChoiceSchema)
    return redirect(choice.redirectTo, {
      headers: { 'Set-Cookie': await localeCookie.serialize(choice.locale) },
    })
  } catch (error) {
    throw refusal(error)
  }
}

export async function loader() {
  return redirect('/')
}

export const meta = rootMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
