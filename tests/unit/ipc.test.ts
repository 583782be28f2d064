import { describe, expect, it } from 'vitest'
import type { Dispatch } from '../../electron/core/api/dispatch'
import { CHANNELS, type Result } from '../../electron/core/contract/channels'
import { CHANNEL_LIST_MESSAGE } from '../../electron/core/contract/messages'
import { registerIpc, trustOwnWindow, type IpcRegistry, type IpcSender } from '../../electron/main/ipc'

/** An ipcMain-shaped registry that keeps the listeners so the test can call them like Electron would. */
function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcSender, payload: unknown) => Promise<Result<unknown>>>()
  const listeners = new Map<string, (event: IpcSender & { returnValue: unknown }) => void>()
  const registry: IpcRegistry = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      handlers.set(channel, listener)
    },
    on: (channel, listener) => listeners.set(channel, listener),
  }
  return { registry, handlers, listeners }
}

const APP_URL = 'file:///opt/Pathwise/resources/app.asar/out/renderer/index.html'
const WINDOW_ID = 7
const own: IpcSender = { sender: { id: WINDOW_ID }, senderFrame: { url: `${APP_URL}#/courses` } }

function setup() {
  const ipc = fakeIpcMain()
  const seen: [string, unknown][] = []
  const dispatch: Dispatch = async (channel, payload) => {
    seen.push([channel, payload])
    return { ok: true, value: channel }
  }
  registerIpc(ipc.registry, dispatch, trustOwnWindow(() => WINDOW_ID, APP_URL))
  return { ...ipc, seen }
}

describe('IPC registration', () => {
  it('registers exactly one handler per contract channel', () => {
    const { handlers } = setup()
    expect([...handlers.keys()].sort()).toEqual([...CHANNELS].sort())
  })

  it('passes calls from our window to dispatch', async () => {
    const { handlers, seen } = setup()
    expect(await handlers.get('stats.get')?.(own, null)).toEqual({ ok: true, value: 'stats.get' })
    expect(seen).toEqual([['stats.get', null]])
  })

  it.each<[string, IpcSender]>([
    ['another window', { sender: { id: 8 }, senderFrame: own.senderFrame }],
    ['a remote page in our window', { sender: { id: WINDOW_ID }, senderFrame: { url: 'https://evil.example/' } }],
    ['another local file', { sender: { id: WINDOW_ID }, senderFrame: { url: 'file:///tmp/evil.html' } }],
    ['a frame that is gone', { sender: { id: WINDOW_ID }, senderFrame: null }],
    ['a malformed frame URL', { sender: { id: WINDOW_ID }, senderFrame: { url: 'not a url' } }],
  ])('refuses calls from %s without reaching dispatch', async (_what, event) => {
    const { handlers, seen } = setup()
    const result = await handlers.get('profile.get')?.(event, null)
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
    expect(seen).toEqual([])
  })

  it('tells our preload the channel names, and a foreign frame nothing', () => {
    const { listeners } = setup()
    const ours = { ...own, returnValue: undefined as unknown }
    listeners.get(CHANNEL_LIST_MESSAGE)?.(ours)
    expect(ours.returnValue).toEqual(CHANNELS)
    const foreign = { sender: { id: 99 }, senderFrame: own.senderFrame, returnValue: undefined as unknown }
    listeners.get(CHANNEL_LIST_MESSAGE)?.(foreign)
    expect(foreign.returnValue).toEqual([])
  })

  it('in development trusts the dev server origin only', () => {
    const trusted = trustOwnWindow(() => 1, 'http://localhost:5173/')
    expect(trusted({ sender: { id: 1 }, senderFrame: { url: 'http://localhost:5173/#/profile' } })).toBe(true)
    expect(trusted({ sender: { id: 1 }, senderFrame: { url: 'http://localhost:5174/' } })).toBe(false)
  })
})
