export function App() {
  return (
    <main className="welcome">
      <h1>Pathwise</h1>
      <p>Learn at your own pace, online or off. Your courses and progress live on this computer.</p>
    </main>
  )
}
