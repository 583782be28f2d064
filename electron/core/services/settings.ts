/**
 * settings.get / settings.update: this computer's preferences, in the settings table. They are not
 * synced: whether a computer updates itself is that computer's business.
 */
import type { AppSettings } from '../contract/types'
import { SettingsPatch } from '../contract/inputs'
import type { Db, Q } from '../db/database'
import { getSetting, setSetting } from '../repositories/settings'
import { parseInput } from './validate'

const AUTO_UPDATE_KEY = 'auto_update'

export const DEFAULT_SETTINGS: AppSettings = { autoUpdate: true }

export async function readAppSettings(q: Q): Promise<AppSettings> {
  const autoUpdate = await getSetting(q, AUTO_UPDATE_KEY)
  // Only an explicit "off" turns updates off: a missing or unreadable value keeps the safe default.
  return { autoUpdate: autoUpdate === null ? DEFAULT_SETTINGS.autoUpdate : autoUpdate !== 'false' }
}

export interface SettingsServiceDeps {
  db: Db
  /** Told after every saved change (the update controller starts or stops its checks). */
  onChange?: (settings: AppSettings) => void
}

export function createSettingsService(deps: SettingsServiceDeps) {
  return {
    get: (): Promise<AppSettings> => deps.db.read(readAppSettings),

    async update(input: unknown): Promise<AppSettings> {
      const patch = parseInput(SettingsPatch, input, 'settings')
      const next = await deps.db.write(async (tx) => {
        if (patch.autoUpdate !== undefined) await setSetting(tx, AUTO_UPDATE_KEY, String(patch.autoUpdate))
        return readAppSettings(tx)
      })
      deps.onChange?.(next)
      return next
    },
  }
}

export type SettingsService = ReturnType<typeof createSettingsService>
