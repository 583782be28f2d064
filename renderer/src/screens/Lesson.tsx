export function Lesson() {
  return <h1>Lesson</h1>
}
