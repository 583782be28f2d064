/** Routes: one screen per page, inside the shell. */
import { Route, Routes } from 'react-router'
import { Shell } from './components/Shell'
import { EmptyState } from './components/States'
import { Achievements } from './screens/Achievements'
import { Activity } from './screens/Activity'
import { Catalog } from './screens/Catalog'
import { Course } from './screens/Course'
import { Dashboard } from './screens/Dashboard'
import { Lesson } from './screens/Lesson'
import { PressureRoom } from './screens/PressureRoom'
import { Profile } from './screens/Profile'

export function App() {
  return (
    <Shell>
      <Routes>
        <Route path="/" element={<Dashboard />} />
        <Route path="/courses" element={<Catalog />} />
        <Route path="/courses/:courseId" element={<Course />} />
        <Route path="/courses/:courseId/lessons/:lessonId" element={<Lesson />} />
        <Route path="/courses/:courseId/pressure-room" element={<PressureRoom />} />
        <Route path="/achievements" element={<Achievements />} />
        <Route path="/activity" element={<Activity />} />
        <Route path="/profile" element={<Profile />} />
        <Route path="*" element={<EmptyState title="Page not found">That page does not exist.</EmptyState>} />
      </Routes>
    </Shell>
  )
}
