/** The app frame: navigation, the connection status line and the page. */
import type { ReactNode } from 'react'
import { NavLink } from 'react-router'
import { useOnline } from './useOnline'

const NAV = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/courses', label: 'Courses', end: false },
  { to: '/achievements', label: 'Achievements', end: false },
  { to: '/activity', label: 'Activity', end: false },
  { to: '/profile', label: 'Profile', end: false },
]

export function Shell({ children }: { children: ReactNode }) {
  const online = useOnline()
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand" aria-label="Pathwise">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{' '}
          Pathwise
        </div>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <p className={`status-line ${online ? 'is-online' : 'is-offline'}`} role="status" aria-live="polite" data-testid="connection-status">
          <span className="status-dot" aria-hidden="true" />
          {online ? 'Online' : 'Offline — everything still works'}
        </p>
      </aside>
      <main id="main" className="page" tabIndex={-1}>
        {children}
      </main>
    </div>
  )
}
