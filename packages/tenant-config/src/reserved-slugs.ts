/**
 * A city's slug is the first segment of its pages' URLs (/<slug>/…), so it
 * must not be a segment the platform's own pages or files use (/themes,
 * /cases, /account, /operator, /build…): the city's portal would hide the
 * platform's page, or the other way round.
 *
 * The list is a constant because it is needed where the routes folder is not
 * (a built server applying a file from the operator console);
 * reserved-slugs.test.ts derives the segments from app/routes and public/
 * with `topLevelRouteSegment` and fails when one is missing here.
 */
export const RESERVED_SLUGS: readonly string[] = [
  // app/routes: the top-level segments of every route file that is not under /$city
  'account',
  'alerts',
  'cases',
  'dev',
  'favicon',
  'forgot-password',
  'healthz',
  'locale',
  'operator',
  'organisations',
  'proposals',
  'readyz',
  'reset-password',
  'sign-in',
  'sign-out',
  'sign-up',
  'themes',
  // app/server/main.ts: the client build (/build); public/ has files only (a slug has no dot)
  'build',
]

/**
 * The first URL segment a Remix flat-route file name declares (`sign-in.tsx`
 * → sign-in, `cases[.]csv.ts` → cases.csv, `account._index.tsx` → account),
 * or null when it has none of its own: the index, a parameter (`$city.tsx`),
 * a pathless layout (`_auth.tsx`).
 */
export function topLevelRouteSegment(fileName: string): string | null {
  const name = fileName.replace(/\.(tsx?|jsx?|mdx?)$/, '')
  // Up to the first dot outside [ ] (a bracketed dot is part of the segment).
  let segment = ''
  let escaped = false
  for (const char of name) {
    if (char === '[') escaped = true
    else if (char === ']') escaped = false
    else if (char === '.' && !escaped) break
    else segment += char
  }
  if (segment === '' || segment.startsWith('$') || segment.startsWith('_')) return null
  // `foo_` opts out of its parent's layout but keeps the segment `foo`.
  return segment.replace(/_$/, '')
}

/** Whether a slug is one of the platform's own URL segments (see RESERVED_SLUGS). */
export function isReservedSlug(slug: string): boolean {
  return RESERVED_SLUGS.includes(slug)
}
