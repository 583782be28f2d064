/**
 * Routes: one screen per page, inside the shell. The dashboard (the start page) is in the main bundle;
 * every other screen loads on first visit, so start-up parses little (Markdown and highlighting only
 * come with the lesson page, zod with the profile form).
 */
import { lazy, Suspense } from 'react'
import { Route, Routes } from 'react-router'
import { Shell } from './components/Shell'
import { DeepLinkListener } from './components/DeepLinkListener'
import { EmptyState, Loading } from './components/States'
import { Dashboard } from './screens/Dashboard'

const Catalog = lazy(() => import('./screens/Catalog').then((m) => ({ default: m.Catalog })))
const Course = lazy(() => import('./screens/Course').then((m) => ({ default: m.Course })))
const Lesson = lazy(() => import('./screens/Lesson').then((m) => ({ default: m.Lesson })))
const PressureRoom = lazy(() => import('./screens/PressureRoom').then((m) => ({ default: m.PressureRoom })))
const Achievements = lazy(() => import('./screens/Achievements').then((m) => ({ default: m.Achievements })))
const Activity = lazy(() => import('./screens/Activity').then((m) => ({ default: m.Activity })))
const Profile = lazy(() => import('./screens/Profile').then((m) => ({ default: m.Profile })))
const SignIn = lazy(() => import('./screens/SignIn').then((m) => ({ default: m.SignIn })))
const Account = lazy(() => import('./screens/Account').then((m) => ({ default: m.Account })))
const Settings = lazy(() => import('./screens/Settings').then((m) => ({ default: m.Settings })))

export function App() {
  return (
    <Shell>
      <DeepLinkListener />
      <Suspense fallback={<Loading what="the page" />}>
        <Routes>
          <Route path="/" element={<Dashboard />} />
          <Route path="/courses" element={<Catalog />} />
          <Route path="/courses/:courseId" element={<Course />} />
          <Route path="/courses/:courseId/lessons/:lessonId" element={<Lesson />} />
          <Route path="/courses/:courseId/pressure-room" element={<PressureRoom />} />
          <Route path="/achievements" element={<Achievements />} />
          <Route path="/activity" element={<Activity />} />
          <Route path="/profile" element={<Profile />} />
          <Route path="/sign-in" element={<SignIn />} />
          <Route path="/account" element={<Account />} />
          <Route path="/settings" element={<Settings />} />
          <Route path="*" element={<EmptyState title="Page not found">That page does not exist.</EmptyState>} />
        </Routes>
      </Suspense>
    </Shell>
  )
}
