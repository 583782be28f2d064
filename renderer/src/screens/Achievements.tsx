export function Achievements() {
  return <h1>Achievements</h1>
}
