export function Course() {
  return <h1>Course</h1>
}
