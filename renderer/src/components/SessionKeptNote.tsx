/**
 * The plain word for a computer with no keyring: the core keeps the session only in memory there
 * (electron/main/token-protection.ts), so the learner signs in again at every start. Said before they
 * sign in too, so it is no surprise. The loopback host ('file') and a real keychain need no note.
 */
import type { SyncStatusView } from '../../../electron/core/contract/types'

const KEPT_WHILE_OPEN = 'to lock your sign-in away, so Pathwise keeps it only while it is open rather than save it where other programs could read it.'

export function SessionKeptNote({ status, signedIn }: { status: Pick<SyncStatusView, 'tokenKept'> | undefined; signedIn: boolean }) {
  if (status?.tokenKept !== 'memory') return null
  return (
    <div className="notice sync-notice-info sync-session-note" data-testid="session-memory-note">
      <p>
        <strong>{signedIn ? "You'll sign in again next time you open Pathwise." : 'Signing in on this computer lasts only until you close Pathwise.'}</strong>
      </p>
      {signedIn ? (
        <p>This computer has no keyring (such as GNOME Keyring or KWallet) {KEPT_WHILE_OPEN} Your progress stays on this computer as usual.</p>
      ) : (
        <p>
          It has no keyring (such as GNOME Keyring or KWallet) {KEPT_WHILE_OPEN} You'll sign in with a new emailed code each time you start it; your
          progress stays on this computer either way.
        </p>
      )}
    </div>
  )
}
