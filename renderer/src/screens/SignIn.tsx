/**
 * Sign-in by emailed code, in two steps: the address (auth.start), then the 6-digit code (auth.verify).
 * Checked with the contract's own schemas, so what the form accepts the core accepts.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { EmailStartBody, EmailVerifyBody } from '../../../electron/core/contract/inputs'
import { ApiError } from '../api/client'
import { isSignedIn, isSyncNotSetUp, useStartSignIn, useSyncStatus, useVerifyCode } from '../api/sync-hooks'
import { SessionKeptNote } from '../components/SessionKeptNote'
import { useToasts } from '../components/Toasts'
import { useOnline } from '../components/useOnline'
import './screens-c.css'

const errorText = (error: unknown, fallback: string) => (error instanceof Error && error.message ? error.message : fallback)

/** The schema's first message for a field, or null when the value is fine. */
function fieldError(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }, field: string): string | null {
  if (result.success) return null
  return result.error?.issues.find((i) => String(i.path[0]) === field)?.message ?? null
}

function emailError(email: string): string | null {
  if (email.trim() === '') return 'Enter your email address.'
  return fieldError(EmailStartBody.safeParse({ email }), 'email')
}

function codeError(code: string): string | null {
  if (code.trim() === '') return 'Enter the 6-digit code from the email.'
  // The email is checked in step 1; a placeholder keeps this about the code alone.
  return fieldError(EmailVerifyBody.safeParse({ email: 'learner@example.com', code }), 'code')
}

/** A code that can no longer work (too many tries, expired): the way on is a new one. */
const needsNewCode = (message: string) => /too many|expired|new code|new one/i.test(message)

/** Field messages from the core ("email" or "code"), if it sent any. */
const serverField = (error: unknown, field: string) => (error instanceof ApiError ? (error.fields[field]?.join(' ') ?? null) : null)

function EmailStep({ initial, notSetUp, onSent }: { initial: string; notSetUp: string | null | undefined; onSent: (email: string) => void }) {
  const start = useStartSignIn()
  const [email, setEmail] = useState(initial)
  const [error, setError] = useState<string | null>(null)
  const [formError, setFormError] = useState<string | null>(null)
  const inputRef = useRef<HTMLInputElement>(null)
  const id = useId()

  useEffect(() => {
    inputRef.current?.focus()
  }, [])

  function submit(event: FormEvent) {
    event.preventDefault()
    setFormError(null)
    const problem = emailError(email)
    setError(problem)
    if (problem) {
      inputRef.current?.focus()
      return
    }
    const parsed = EmailStartBody.parse({ email })
    start.mutate(parsed.email, {
      onSuccess: () => onSent(parsed.email),
      onError: (e) => {
        const onField = serverField(e, 'email')
        if (onField) {
          setError(onField)
          inputRef.current?.focus()
        } else setFormError(errorText(e, 'The code could not be sent. Please try again.'))
      },
    })
  }

  return (
    <form className="card signin-card stack" noValidate onSubmit={submit}>
      <h2 id={`${id}-title`}>Step 1 of 2: your email</h2>
      {formError ? (
        <div className="notice notice-error" role="alert" data-testid="signin-error">
          {formError}
        </div>
      ) : notSetUp ? (
        // Known before trying: say so up front (trying still works, and answers the same).
        <div className="notice sync-notice-info" data-testid="signin-not-set-up">
          {notSetUp}
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input
          ref={inputRef}
          id={`${id}-email`}
          name="email"
          type="email"
          inputMode="email"
          autoComplete="email"
          spellCheck={false}
          value={email}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? `${id}-email-error` : `${id}-email-hint`}
          onChange={(e) => {
            setEmail(e.target.value)
            if (error) setError(emailError(e.target.value))
          }}
          onBlur={() => {
            if (email.trim() !== '') setError(emailError(email))
          }}
        />
        {error ? (
          <p id={`${id}-email-error`} className="field-error" data-testid="error-email">
            {error}
          </p>
        ) : (
          <p id={`${id}-email-hint`} className="muted signin-hint">
            We'll email you a 6-digit code. No password needed.
          </p>
        )}
      </div>
      <div className="row">
        <button type="submit" className="button button-primary" disabled={start.isPending}>
          {start.isPending ? 'Sending…' : 'Send code'}
        </button>
      </div>
    </form>
  )
}

function CodeStep({ email, onChangeEmail }: { email: string; onChangeEmail: () => void }) {
  const verify = useVerifyCode()
  const resend = useStartSignIn()
  const toasts = useToasts()
  const navigate = useNavigate()
  const [code, setCode] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [formError, setFormError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const inputRef = useRef<HTMLInputElement>(null)
  const id = useId()

  useEffect(() => {
    inputRef.current?.focus()
  }, [])

  function submit(event: FormEvent) {
    event.preventDefault()
    setFormError(null)
    setNotice(null)
    const problem = codeError(code)
    setError(problem)
    if (problem) {
      inputRef.current?.focus()
      return
    }
    verify.mutate(
      { email, code: code.trim() },
      {
        onSuccess: (status) => {
          toasts.show({ tone: 'success', title: `Signed in as ${status.email ?? email} — syncing your progress` })
          void navigate('/account')
        },
        onError: (e) => {
          const onField = serverField(e, 'code')
          const message = onField ?? errorText(e, 'You could not be signed in. Please try again.')
          if (e instanceof ApiError && e.code === 'UNAUTHORIZED') {
            // Wrong, expired or locked code: the message belongs to the code field.
            const dead = needsNewCode(message)
            setError(dead && !/new code|new one/i.test(message) ? `${message} Choose “Send a new code” to get another one.` : message)
            if (dead) setCode('')
            inputRef.current?.focus()
            inputRef.current?.select()
          } else if (onField) {
            setError(onField)
            inputRef.current?.focus()
          } else setFormError(message)
        },
      },
    )
  }

  function sendNewCode() {
    setFormError(null)
    setNotice(null)
    resend.mutate(email, {
      onSuccess: () => {
        setCode('')
        setError(null)
        setNotice(`A new code is on its way to ${email}. Use the code or the link in the newest email.`)
        inputRef.current?.focus()
      },
      onError: (e) => setFormError(errorText(e, 'A new code could not be sent. Please try again.')),
    })
  }

  const dead = error !== null && needsNewCode(error)

  return (
    <form className="card signin-card stack" noValidate onSubmit={submit}>
      <h2 id={`${id}-title`}>Step 2 of 2: the code</h2>
      <p data-testid="signin-sent">
        We sent a 6-digit code to <strong className="signin-email">{email}</strong>. It can take a minute to arrive; check your spam folder too.
      </p>
      {formError ? (
        <div className="notice notice-error" role="alert" data-testid="signin-error">
          {formError}
        </div>
      ) : null}
      {notice ? (
        <div className="notice notice-success" role="status">
          {notice}
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-code`}>Code</label>
        <input
          ref={inputRef}
          id={`${id}-code`}
          name="code"
          className="signin-code"
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]*"
          maxLength={6}
          spellCheck={false}
          value={code}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? `${id}-code-error` : undefined}
          onChange={(e) => {
            const next = e.target.value.replace(/\D/g, '').slice(0, 6)
            setCode(next)
            // A dead code's message stays until a new code is sent; any other goes as the learner retypes.
            if (error && !dead) setError(null)
          }}
        />
        {error ? (
          <p id={`${id}-code-error`} className="field-error" role="alert" data-testid="error-code">
            {error}
          </p>
        ) : null}
      </div>
      <div className="row">
        <button type="submit" className="button button-primary" disabled={verify.isPending}>
          {verify.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </div>
      <div className="row signin-alt">
        <button type="button" className={dead ? 'button' : 'signin-link-button'} onClick={sendNewCode} disabled={resend.isPending}>
          {resend.isPending ? 'Sending a new code…' : 'Send a new code'}
        </button>
        <button type="button" className="signin-link-button" onClick={onChangeEmail}>
          Use a different email
        </button>
      </div>
    </form>
  )
}

export function SignIn() {
  const status = useSyncStatus()
  const online = useOnline()
  const [step, setStep] = useState<{ name: 'email' } | { name: 'code'; email: string }>({ name: 'email' })
  const [lastEmail, setLastEmail] = useState('')
  const signedIn = isSignedIn(status.data)

  return (
    <div className="signin">
      <header className="page-header">
        <h1>Sign in</h1>
        <p className="muted">
          Signing in is optional. Everything you learn offline is kept on this computer and synced to your account once you sign in.
        </p>
      </header>
      {signedIn && status.data ? (
        <div className="notice sync-notice-info" data-testid="signin-already">
          {status.data.state === 'awaiting-confirmation' ? (
            <>
              A sign-in link signed you in as <strong>{status.data.email}</strong>, and it waits for you to confirm the account.{' '}
              <Link to="/account">Confirm or sign out</Link>
            </>
          ) : (
            <>
              You're already signed in as <strong>{status.data.email}</strong>. <Link to="/account">Go to your account</Link>
            </>
          )}
        </div>
      ) : null}
      {!online ? (
        <div className="notice sync-notice-warn" data-testid="signin-offline">
          You're offline. Signing in needs an internet connection; everything else keeps working.
        </div>
      ) : null}
      {signedIn ? null : <SessionKeptNote status={status.data} signedIn={false} />}
      {step.name === 'email' ? (
        <EmailStep
          initial={lastEmail}
          notSetUp={isSyncNotSetUp(status.data) ? status.data?.lastError : null}
          onSent={(email) => {
            setLastEmail(email)
            setStep({ name: 'code', email })
          }}
        />
      ) : (
        <CodeStep email={step.email} onChangeEmail={() => setStep({ name: 'email' })} />
      )}
    </div>
  )
}
