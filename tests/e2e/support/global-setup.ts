import { execFileSync } from 'node:child_process'

/** The loopback host serves the built renderer: build it once per run, from the current sources. */
export default function globalSetup(): void {
  execFileSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' })
}
