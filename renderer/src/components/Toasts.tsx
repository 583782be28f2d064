/** Toasts: short announcements (level-up, new achievements, saved, errors), read out by screen readers. */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import type { WriteOutcome } from '../../../electron/core/contract/types'

export interface Toast {
  id: number
  title: string
  body?: string
  tone: 'success' | 'info' | 'error'
}

interface ToastApi {
  show(toast: Omit<Toast, 'id'>): void
  /** Announces what a write earned: a level-up and each new achievement. */
  celebrate(outcome: WriteOutcome): void
}

const ToastContext = createContext<ToastApi | null>(null)
const VISIBLE_MS = 6000

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([])
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), [])
  const show = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      const id = Date.now() + Math.random()
      setToasts((all) => [...all.slice(-4), { ...toast, id }])
      window.setTimeout(() => dismiss(id), VISIBLE_MS)
    },
    [dismiss],
  )
  const api = useMemo<ToastApi>(
    () => ({
      show,
      celebrate(outcome) {
        if (outcome.leveledUp) show({ tone: 'success', title: `Level ${outcome.level}!`, body: `You reached level ${outcome.level}. Keep going.` })
        for (const a of outcome.newAchievements) show({ tone: 'success', title: `Achievement unlocked: ${a.title}`, body: a.description })
      },
    }),
    [show],
  )
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`}>
            <div className="toast-text">
              <strong>{t.title}</strong>
              {t.body ? <span>{t.body}</span> : null}
            </div>
            <button type="button" className="icon-button" aria-label={`Dismiss: ${t.title}`} onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  )
}

export function useToasts(): ToastApi {
  const api = useContext(ToastContext)
  if (!api) throw new Error('useToasts must be used inside <ToastProvider>')
  return api
}
