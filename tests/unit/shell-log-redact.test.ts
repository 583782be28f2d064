import { describe, expect, it } from 'vitest'
import { redactLogValue, redactSecrets } from '../../electron/main/log-redact'

describe('log redaction', () => {
  it.each([
    ['a sign-in link', 'opening pathwise://auth/verify?email=a%40b.co&code=123456 now', 'opening pathwise://[link removed] now'],
    ['a link in quotes', 'url="PATHWISE://auth/verify?email=x&code=1"', 'url="pathwise://[link removed]"'],
    ['a code parameter', 'POST /verify code=123456', 'POST /verify code=[removed]'],
    ['a code in JSON', '{"email":"a@b.co","code":"654321"}', '{"email":"a@b.co","code":"[removed]"}'],
    ['a bearer token', 'Authorization: Bearer abc.DEF-123_xyz', 'Authorization: Bearer [removed]'],
    ['a token in JSON', '{"token":"0123456789abcdef0123"}', '{"token":"[removed]"}'],
    ['a session token', 'sessionToken: 0123456789abcdef', 'sessionToken: [removed]'],
  ])('%s is removed', (_what, input, expected) => {
    expect(redactSecrets(input)).toBe(expected)
  })

  it.each(['[pathwise] starting 0.1.0', 'lesson sql-basics completed in 120 s', 'sync failed: HTTP 503', 'error code UNAVAILABLE', 'errno 2'])(
    'ordinary lines stay as they are: %s',
    (line) => {
      expect(redactSecrets(line)).toBe(line)
    },
  )

  it('errors keep their type and lose the secret in message and stack', () => {
    const error = new TypeError('verify failed for pathwise://auth/verify?email=a%40b.co&code=123456')
    const redacted = redactLogValue(error)
    expect(redacted).toBeInstanceOf(Error)
    expect((redacted as Error).name).toBe('TypeError')
    expect((redacted as Error).message).toBe('verify failed for pathwise://[link removed]')
    expect((redacted as Error).stack).not.toContain('123456')
  })

  it('an error without a secret is passed as it is', () => {
    const error = new Error('disk full')
    expect(redactLogValue(error)).toBe(error)
  })

  it('an object that would print a secret is printed redacted; others pass as they are', () => {
    const printed = redactLogValue({ request: { headers: { authorization: 'Bearer s3cr3t-token' } } })
    expect(typeof printed).toBe('string')
    expect(printed).not.toContain('s3cr3t')
    const plain = { lesson: 'sql-basics', seconds: 120 }
    expect(redactLogValue(plain)).toBe(plain)
    expect(redactLogValue(42)).toBe(42)
    expect(redactLogValue(null)).toBe(null)
  })
})
