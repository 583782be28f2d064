/**
 * The events Electron's preload pushes to the page as `window.pathwiseEvents`. The loopback host (a
 * plain browser) has none, so the hooks that use them also read or poll their channel.
 *
 * An interface of its own so that each feature declares its event here or beside itself by
 * declaration merging (`interface PathwiseEvents { onX(...) }`) without redeclaring the Window property.
 */
import type { SyncStatusView, UpdateStatusView } from '../../../electron/core/contract/types'

declare global {
  interface PathwiseEvents {
    onSyncStatus(listener: (status: SyncStatusView) => void): () => void
    /** Optional: a preload from before updates existed does not have it. */
    onUpdateStatus?(listener: (status: UpdateStatusView) => void): () => void
  }
  interface Window {
    pathwiseEvents?: PathwiseEvents
  }
}

export {}
