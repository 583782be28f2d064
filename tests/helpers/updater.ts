/** A fake UpdaterPort (standing in for electron-updater) and timers that only move when a test says so. */
import type { UpdaterEvent, UpdaterPort } from '../../electron/core/updates/port'
import type { Timers } from '../../electron/core/updates/controller'

export function fakeUpdater(options: { online?: boolean; version?: string } = {}) {
  const listeners = new Set<(event: UpdaterEvent) => void>()
  const calls = { check: 0, download: 0, cancel: 0, install: 0 }
  const state = { online: options.online ?? true, checkError: null as Error | null }
  const port: UpdaterPort = {
    currentVersion: options.version ?? '1.0.0',
    async checkForUpdates() {
      calls.check++
      if (state.checkError) throw state.checkError
    },
    async downloadUpdate() {
      calls.download++
    },
    cancelDownload() {
      calls.cancel++
    },
    quitAndInstall() {
      calls.install++
    },
    isOnline: () => state.online,
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
  return {
    port,
    calls,
    state,
    emit(event: UpdaterEvent) {
      for (const listener of listeners) listener(event)
    },
  }
}

/** Lets pending promise callbacks run (the controller awaits the port). */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve))

export function fakeTimers(startMs = Date.parse('2026-06-10T09:00:00Z')) {
  let now = startMs
  let seq = 0
  const pending = new Map<number, { at: number; fn: () => void }>()
  const timers: Timers = {
    setTimeout(fn, ms) {
      const id = ++seq
      pending.set(id, { at: now + ms, fn })
      return id
    },
    clearTimeout(handle) {
      pending.delete(handle as number)
    },
  }
  return {
    timers,
    clock: { now: () => now },
    /** Moves time forward, running each timer that falls due, in order. */
    async advance(ms: number) {
      const end = now + ms
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0]
        if (!due) break
        pending.delete(due[0])
        now = due[1].at
        due[1].fn()
        await settle()
      }
      now = end
      await settle()
    },
    /** Milliseconds until the next timer, or null when none is pending. */
    nextIn(): number | null {
      const times = [...pending.values()].map((t) => t.at - now)
      return times.length === 0 ? null : Math.min(...times)
    },
  }
}
