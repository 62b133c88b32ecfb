import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { recordSignOut } from '~/operations/accounts/accounts.server'

/** Sign-out is a POST (no state change on GET): the session ends on the server and the cookie is cleared. */
export async function action({ context }: ActionFunctionArgs) {
  if (!context.session) return redirect('/')
  await recordSignOut(context.db, { userId: context.session.userId, everywhere: false, ip: context.clientIp })
  const cookie = await context.auth.endSession(context.session.id)
  return redirect('/', { headers: { 'Set-Cookie': cookie } })
}

export async function loader() {
  return redirect('/')
}
