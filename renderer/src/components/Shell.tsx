/** The app frame: navigation, the sync status line, the update notice and the page. */
import type { ReactNode } from 'react'
import { NavLink } from 'react-router'
import { SyncStatusLine } from './SyncStatusLine'
import { UpdateNotice } from './Updates'

const NAV = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/courses', label: 'Courses', end: false },
  { to: '/achievements', label: 'Achievements', end: false },
  { to: '/activity', label: 'Activity', end: false },
  { to: '/profile', label: 'Profile', end: false },
  { to: '/account', label: 'Account', end: false },
  { to: '/settings', label: 'Settings', end: false },
]

export function Shell({ children }: { children: ReactNode }) {
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
        <SyncStatusLine />
        <UpdateNotice />
      </aside>
      <main id="main" className="page" tabIndex={-1}>
        {children}
      </main>
    </div>
  )
}
