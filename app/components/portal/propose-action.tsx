import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

/**
 * "Propose to this city": the way in to the proposal form with this city
 * chosen. A visitor who is not signed in passes through sign-in or sign-up and
 * comes back to the form. Shown only while the city takes proposals (live).
 */
export function ProposeAction({
  slug,
  cityName,
  proposable,
  secondary,
}: {
  slug: string
  cityName: string
  proposable: boolean
  secondary?: boolean
}) {
  const { t } = useTranslation('portal')
  if (!proposable) return null
  return (
    <Link className={secondary ? 'button' : 'button button--primary'} to={`/${slug}/propose`}>
      {t('propose.action', { city: cityName })}
    </Link>
  )
}
