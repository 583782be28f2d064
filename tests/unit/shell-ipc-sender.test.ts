import { describe, expect, it } from 'vitest'
import { trustOwnWindow, type IpcSender } from '../../electron/main/ipc'
import { APP_ENTRY_URL } from '../../electron/main/policy'

const WINDOW_ID = 3
const trusted = trustOwnWindow(() => WINDOW_ID, APP_ENTRY_URL)
const from = (url: string, id = WINDOW_ID): IpcSender => ({ sender: { id }, senderFrame: { url } })

describe('IPC sender check for the app:// page', () => {
  it.each(['app://pathwise/index.html', 'app://pathwise/index.html#/courses/sql', 'app://pathwise/index.html?x=1'])('trusts our page at %s', (url) => {
    expect(trusted(from(url))).toBe(true)
  })

  it.each([
    // Every app:// URL has the same opaque origin to the URL parser: the document must be compared.
    'app://pathwise/other.html',
    'app://pathwise/assets/index.js',
    'app://evil/index.html',
    'app://user:pw@pathwise/index.html',
    'file:///opt/Pathwise/resources/app.asar/out/renderer/index.html',
    'https://pathwise/index.html',
    'about:blank',
    'data:text/html,hi',
    'not a url',
  ])('refuses a frame at %s', (url) => {
    expect(trusted(from(url))).toBe(false)
  })

  it('refuses our page in another window, and a frame that is gone', () => {
    expect(trusted(from(APP_ENTRY_URL, WINDOW_ID + 1))).toBe(false)
    expect(trusted({ sender: { id: WINDOW_ID }, senderFrame: null })).toBe(false)
  })

  it('refuses everything while there is no window', () => {
    const noWindow = trustOwnWindow(() => null, APP_ENTRY_URL)
    expect(noWindow(from(APP_ENTRY_URL))).toBe(false)
  })

  it('trusts the dev server by origin', () => {
    const dev = trustOwnWindow(() => WINDOW_ID, 'http://localhost:5173/')
    expect(dev(from('http://localhost:5173/#/profile'))).toBe(true)
    expect(dev(from('http://localhost:5174/'))).toBe(false)
    expect(dev(from(APP_ENTRY_URL))).toBe(false)
  })
})
