/**
 * Settings, the app's own updates and "Export my data": TanStack Query over settings.*, updates.* and
 * data.saveExport (data.export where the host has no save dialog). In Electron, main pushes every update status (window.pathwiseEvents.onUpdateStatus); the
 * loopback host has no events and no updater, so there the status is read when a screen shows it.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { Input } from '../../../electron/core/contract/channels'
import { exportFileText } from '../../../electron/core/contract/export-file'
import type { SavedExport, UpdateStatusView } from '../../../electron/core/contract/types'
import { saveJsonFile } from '../components/saveFile'
import { ApiError, call } from './client'

export const settingsKey = ['settings'] as const
export const updatesKey = ['updates'] as const

/** While an update waits for a restart, whether a Pressure Room blocks it can change at any moment. */
export const READY_POLL_MS = 5_000
/** Without pushed events, a check or download in progress is followed by polling. */
export const BUSY_POLL_MS = 2_000

export const useSettings = () => useQuery({ queryKey: settingsKey, queryFn: () => call('settings.get') })

export function useUpdateSettings() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (patch: Input<'settings.update'>) => call('settings.update', patch),
    onSuccess: (settings) => {
      client.setQueryData(settingsKey, settings)
      // Turning automatic updates on or off changes the update status too.
      void client.invalidateQueries({ queryKey: updatesKey })
    },
  })
}

function pollInterval(status: UpdateStatusView | undefined): number | false {
  if (status?.state === 'ready') return READY_POLL_MS
  const pushed = Boolean(window.pathwiseEvents?.onUpdateStatus)
  if (!pushed && (status?.state === 'checking' || status?.state === 'downloading')) return BUSY_POLL_MS
  return false
}

export function useUpdateStatus() {
  const client = useQueryClient()
  useEffect(() => window.pathwiseEvents?.onUpdateStatus?.((status) => client.setQueryData(updatesKey, status)), [client])
  return useQuery({
    queryKey: updatesKey,
    queryFn: () => call('updates.status'),
    refetchInterval: (query) => pollInterval(query.state.data),
    staleTime: 0,
  })
}

/** "Check for updates". */
export function useCheckForUpdates() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => call('updates.check'),
    onSuccess: (status) => client.setQueryData(updatesKey, status),
  })
}

/** "Restart to update": refused (CONFLICT) while a Pressure Room attempt is open. */
export function useRestartToUpdate() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => call('updates.restart'),
    onSettled: () => client.invalidateQueries({ queryKey: updatesKey }),
  })
}

/**
 * "Export my data". In Electron, main asks where and writes the file itself: a blob: download may be
 * stopped by the window's navigation guard (electron/electron#44375). A host without a save dialog (the
 * loopback host) answers UNSUPPORTED, and there the browser downloads the same document instead.
 */
export async function exportData(): Promise<SavedExport> {
  try {
    return await call('data.saveExport')
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 'UNSUPPORTED')) throw error
  }
  const { fileName, data } = await call('data.export')
  saveJsonFile(fileName, exportFileText(data))
  return { saved: true, fileName }
}

export const useExportData = () => useMutation({ mutationFn: exportData })
