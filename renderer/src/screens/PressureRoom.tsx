export function PressureRoom() {
  return <h1>PressureRoom</h1>
}
