import { Link } from 'react-router'

/** "Courses / <course> / <here>": every crumb but the last is a link. */
export function Breadcrumb({ trail, here }: { trail: { to: string; label: string }[]; here: string }) {
  return (
    <nav aria-label="Breadcrumb" className="learn-breadcrumb">
      <ol>
        {trail.map((crumb) => (
          <li key={crumb.to}>
            <Link to={crumb.to}>{crumb.label}</Link>
          </li>
        ))}
        <li aria-current="page">{here}</li>
      </ol>
    </nav>
  )
}
