import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loader } from './favicon[.]ico'

describe('/favicon.ico', () => {
  it('sends the browser to the site’s icon, for good', () => {
    const response = loader()
    expect(response.status).toBe(301)
    expect(response.headers.get('Location')).toBe('/favicon.svg')
    expect(existsSync('public/favicon.svg')).toBe(true)
  })
})
