import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import type { SessionUser } from '../utils/auth.server'
import type { NewUser } from '../operations/accounts/accounts.server'
import { intents, invitationAccountSchema } from './form-schemas'
import { parseSubmission } from './form-validation.server'
import { signedInRedirect } from '../operations/accounts/sign-in.server'
import type { InvitationState } from '../operations/invitations/invitations.server'
import { refusal } from './errors.server'

/**
 * The accept page of an emailed invitation (a city's staff, an organisation's
 * members): someone signed in with the invited address accepts; someone with
 * no account creates it with the invited address and accepts in one go, and is
 * signed in.
 */

const InvitationActionSchema = intents([z.object({ intent: z.literal('accept') }), invitationAccountSchema])

/** What the page needs about the invitation: its address while it is open, else why it is not. */
export function invitationForPage<T extends { state: InvitationState; email: string }>(invitation: T | null) {
  return {
    invitation: invitation?.state === 'open' ? invitation : null,
    state: invitation?.state ?? ('unknown' as const),
  }
}

export async function invitationAction(
  { request, context }: ActionFunctionArgs,
  handlers: {
    /** Accepts for the signed-in user; returns where to go next. */
    accept: (user: SessionUser) => Promise<string>
    /** Creates the account and accepts; returns the new user and where to go next. */
    acceptWithNewAccount: (user: Omit<NewUser, 'email'>) => Promise<{ userId: string; next: string }>
  },
) {
  const formData = await request.formData()
  try {
    const form = parseSubmission(formData, InvitationActionSchema)
    if (form.intent === 'accept') {
      if (!context.user)
        throw redirect(`/sign-in?${new URLSearchParams({ redirectTo: new URL(request.url).pathname })}`)
      return redirect(await handlers.accept(context.user))
    }
    const { displayName, password, locale } = form
    const { userId, next } = await handlers.acceptWithNewAccount({ displayName, password, locale })
    return signedInRedirect(request, context, userId, next)
  } catch (error) {
    return refusal(error, { form: formData })
  }
}
