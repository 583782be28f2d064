/**
 * The learner's profile. Checked with the same schema the core uses, so what the form accepts the core
 * accepts; the core's own field errors (if any) show in the same place.
 */
import { useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { ProfilePatch } from '../../../electron/core/mutations/args'
import type { Profile as ProfileData } from '../../../electron/core/contract/types'
import { ApiError } from '../api/client'
import { useProfile, useUpdateProfile } from '../api/hooks'
import { ErrorNotice, Loading } from '../components/States'
import { useToasts } from '../components/Toasts'
import './screens-a.css'

const FIELDS = ['name', 'bio', 'location', 'website', 'timezone'] as const
type Field = (typeof FIELDS)[number]
type Values = Record<Field, string>
type Errors = Partial<Record<Field, string[]>>

const LABELS: Record<Field, string> = { name: 'Name', bio: 'Bio', location: 'Location', website: 'Website', timezone: 'Timezone' }
const BIO_MAX = 500

const toValues = (p: ProfileData): Values => ({ name: p.name, bio: p.bio, location: p.location, website: p.website, timezone: p.timezone })
const isField = (key: string): key is Field => (FIELDS as readonly string[]).includes(key)

/** Some schema messages are sentence endings ("is not a known IANA timezone"); they read better after the label. */
const readable = (field: Field, message: string) => (/^[a-z]/.test(message) ? `${LABELS[field]} ${message}` : message)

function validate(values: Partial<Values>): Errors {
  const result = ProfilePatch.safeParse(values)
  if (result.success) return {}
  const errors: Errors = {}
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? '')
    if (isField(key)) (errors[key] ??= []).push(readable(key, issue.message))
  }
  return errors
}

/** The core's field keys are paths ("name", or "patch.name" from deeper schemas); the last part names the field. */
function serverFieldErrors(error: ApiError): { fields: Errors; other: string[] } {
  const fields: Errors = {}
  const other: string[] = []
  for (const [path, messages] of Object.entries(error.fields)) {
    const key = path.split('.').pop() ?? ''
    if (isField(key)) (fields[key] ??= []).push(...messages.map((m) => readable(key, m)))
    else other.push(...messages)
  }
  return { fields, other }
}

/** Every IANA zone the runtime knows, plus the saved one if this runtime does not list it (e.g. "UTC"). */
function useTimezones(current: string): string[] {
  return useMemo(() => {
    const zones = Intl.supportedValuesOf('timeZone')
    return current && !zones.includes(current) ? [current, ...zones] : zones
  }, [current])
}

interface FieldProps {
  field: Field
  id: string
  errors: string[] | undefined
  hint?: ReactNode
  children: (aria: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode
}

function FormField({ field, id, errors, hint, children }: FieldProps) {
  const errorId = `${id}-error`
  const hintId = `${id}-hint`
  const describedBy = [hint ? hintId : null, errors?.length ? errorId : null].filter(Boolean).join(' ') || undefined
  return (
    <div className="field">
      <label htmlFor={id}>{LABELS[field]}</label>
      {children({ id, 'aria-invalid': Boolean(errors?.length), 'aria-describedby': describedBy })}
      {hint ? (
        <p id={hintId} className="muted profile-hint">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={errorId} className="field-error" data-testid={`error-${field}`}>
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
  )
}

function ProfileForm({ profile }: { profile: ProfileData }) {
  const update = useUpdateProfile()
  const toasts = useToasts()
  const [saved, setSaved] = useState<Values>(() => toValues(profile))
  const [values, setValues] = useState<Values>(saved)
  const [errors, setErrors] = useState<Errors>({})
  const [serverErrors, setServerErrors] = useState<Errors>({})
  const [formError, setFormError] = useState<string | null>(null)
  const timezones = useTimezones(values.timezone)
  const formRef = useRef<HTMLFormElement>(null)
  const base = useId()
  const idOf = (field: Field) => `${base}-${field}`

  const shown = (field: Field) => errors[field] ?? serverErrors[field]

  function change(field: Field, value: string) {
    setValues((v) => ({ ...v, [field]: value }))
    setServerErrors((e) => ({ ...e, [field]: undefined }))
    // Once a field shows an error, recheck as the learner types so the message goes away when fixed.
    if (errors[field]) setErrors((e) => ({ ...e, [field]: validate({ [field]: value })[field] }))
  }

  function blur(field: Field) {
    setErrors((e) => ({ ...e, [field]: validate({ [field]: values[field] })[field] }))
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    setFormError(null)
    const found = validate(values)
    setErrors(found)
    const firstInvalid = FIELDS.find((f) => found[f])
    if (firstInvalid) {
      formRef.current?.querySelector<HTMLElement>(`#${CSS.escape(idOf(firstInvalid))}`)?.focus()
      return
    }
    // Only changed fields are sent: profile fields merge per field across devices, so resending an
    // unchanged one would overwrite an edit made elsewhere.
    const patch = Object.fromEntries(FIELDS.filter((f) => values[f] !== saved[f]).map((f) => [f, values[f]])) as Partial<Values>
    if (Object.keys(patch).length === 0) {
      toasts.show({ tone: 'success', title: 'Profile saved' })
      return
    }
    update.mutate(patch, {
      onSuccess: (result) => {
        const next = toValues(result)
        setSaved(next)
        setValues(next)
        setServerErrors({})
        toasts.show({ tone: 'success', title: 'Profile saved' })
      },
      onError: (error) => {
        if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
          const { fields, other } = serverFieldErrors(error)
          setServerErrors(fields)
          setFormError(other.length > 0 ? other.join(' ') : null)
          const first = FIELDS.find((f) => fields[f])
          if (first) formRef.current?.querySelector<HTMLElement>(`#${CSS.escape(idOf(first))}`)?.focus()
        } else {
          setFormError(error instanceof Error ? error.message : 'Your profile could not be saved. Please try again.')
        }
      },
    })
  }

  return (
    <form ref={formRef} className="card profile-form stack" noValidate onSubmit={submit} aria-labelledby="profile-form-title">
      <h2 id="profile-form-title">About you</h2>
      {formError ? (
        <div className="notice notice-error" role="alert">
          {formError}
        </div>
      ) : null}
      <FormField field="name" id={idOf('name')} errors={shown('name')}>
        {(aria) => (
          <input {...aria} name="name" type="text" autoComplete="name" value={values.name} onChange={(e) => change('name', e.target.value)} onBlur={() => blur('name')} />
        )}
      </FormField>
      <FormField field="bio" id={idOf('bio')} errors={shown('bio')} hint={`${values.bio.length} / ${BIO_MAX} characters`}>
        {(aria) => <textarea {...aria} name="bio" rows={4} value={values.bio} onChange={(e) => change('bio', e.target.value)} onBlur={() => blur('bio')} />}
      </FormField>
      <div className="profile-pair">
        <FormField field="location" id={idOf('location')} errors={shown('location')}>
          {(aria) => (
            <input
              {...aria}
              name="location"
              type="text"
              autoComplete="address-level2"
              value={values.location}
              onChange={(e) => change('location', e.target.value)}
              onBlur={() => blur('location')}
            />
          )}
        </FormField>
        <FormField field="website" id={idOf('website')} errors={shown('website')}>
          {(aria) => (
            <input
              {...aria}
              name="website"
              type="url"
              inputMode="url"
              autoComplete="url"
              placeholder="https://"
              value={values.website}
              onChange={(e) => change('website', e.target.value)}
              onBlur={() => blur('website')}
            />
          )}
        </FormField>
      </div>
      <FormField field="timezone" id={idOf('timezone')} errors={shown('timezone')} hint="Streaks count calendar days in this timezone.">
        {(aria) => (
          <select {...aria} name="timezone" value={values.timezone} onChange={(e) => change('timezone', e.target.value)} onBlur={() => blur('timezone')}>
            {values.timezone === '' ? <option value="">Choose your timezone</option> : null}
            {timezones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <div className="row">
        <button type="submit" className="button button-primary" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  )
}

function Account({ email }: { email: string | null }) {
  return (
    <section className="card profile-account" aria-labelledby="profile-account-title">
      <h2 id="profile-account-title">Account</h2>
      {email ? (
        <p data-testid="profile-email">
          Signed in as <strong>{email}</strong>
        </p>
      ) : (
        <p className="muted" data-testid="profile-email">
          Not signed in — your progress stays on this computer.
        </p>
      )}
    </section>
  )
}

export function Profile() {
  const profile = useProfile()
  return (
    <div className="profile">
      <header className="page-header">
        <h1>Profile</h1>
        <p className="muted">A little about you. It's kept on this computer, and synced when you're signed in.</p>
      </header>
      {profile.isPending ? (
        <Loading what="your profile" />
      ) : profile.isError ? (
        <ErrorNotice error={profile.error} retry={() => void profile.refetch()} />
      ) : (
        <div className="profile-layout">
          <ProfileForm profile={profile.data} />
          <Account email={profile.data.email} />
        </div>
      )}
    </div>
  )
}
