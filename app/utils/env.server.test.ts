import { describe, expect, it } from 'vitest'
import { parseEnv, EnvError } from './env.server'

describe('parseEnv', () => {
  it('applies defaults for a bare environment', () => {
    const env = parseEnv({})
    expect(env.PORT).toBe(3000)
    expect(env.DATABASE_URL).toBeUndefined()
    expect(env.SEED_DEMO).toBe(true)
  })

  it('names the variable and what is expected in one line', () => {
    expect(() => parseEnv({ DATABASE_URL: 'mysql://x' })).toThrowError(EnvError)
    try {
      parseEnv({ DATABASE_URL: 'mysql://x', PORT: 'abc' })
    } catch (error) {
      const message = (error as Error).message
      expect(message).not.toContain('\n')
      expect(message).toContain('DATABASE_URL: got "mysql://x", expected a postgres:// or postgresql:// URL')
      expect(message).toContain('PORT: got "abc"')
    }
  })

  it('treats an empty DATABASE_URL as unset (embedded database)', () => {
    expect(parseEnv({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined()
  })

  it('requires APP_ORIGIN in production, in one line naming it', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrowError(
      /^invalid environment: APP_ORIGIN: got null, expected an origin such as https:\/\/desk\.example\.jp \(required in production[^\n]*$/,
    )
    expect(parseEnv({ NODE_ENV: 'production', APP_ORIGIN: 'https://desk.example.jp/' }).APP_ORIGIN).toBe(
      'https://desk.example.jp',
    )
    expect(() => parseEnv({ NODE_ENV: 'production', APP_ORIGIN: 'ftp://desk.example.jp' })).toThrowError(
      /APP_ORIGIN: got "ftp:\/\/desk\.example\.jp"/,
    )
  })

  it('defaults APP_ORIGIN to http://localhost:PORT outside production', () => {
    expect(parseEnv({ PORT: '4105' }).APP_ORIGIN).toBe('http://localhost:4105')
    expect(parseEnv({ NODE_ENV: 'test' }).APP_ORIGIN).toBe('http://localhost:3000')
  })
})
