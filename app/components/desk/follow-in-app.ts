import { useCallback, type MouseEvent } from 'react'
import { useNavigate } from '@remix-run/react'

/**
 * The click handler of a plain `<a href>` that navigates in the app, as Remix's `<Link>` does: an
 * unmodified primary click loads only the next page's data; any other (new tab, new window,
 * download) is left to the browser. For long lists: each `<Link>` resolves its path and sets up its
 * hooks on every server render (the inbox's 50 rows were ~5 % of its server time); the list's
 * links share this one handler instead. `href` must be the absolute path.
 */
export function useFollowInApp() {
  const navigate = useNavigate()
  return useCallback(
    (event: MouseEvent<HTMLAnchorElement>) => {
      const modified = event.metaKey || event.altKey || event.ctrlKey || event.shiftKey
      if (event.defaultPrevented || event.button !== 0 || modified) return
      const target = event.currentTarget
      if (target.target && target.target !== '_self') return
      event.preventDefault()
      navigate(target.getAttribute('href')!)
    },
    [navigate],
  )
}
