import { describe, expect, it } from 'vitest'
import { DEFAULT_WINDOW_SIZE, MIN_WINDOW_SIZE, readSavedWindowState, restoreWindowPlacement, type Rect } from '../../electron/main/window-state'

// A laptop screen (primary, with a top bar) and an external monitor to its right.
const laptop: Rect = { x: 0, y: 25, width: 1440, height: 875 }
const monitor: Rect = { x: 1440, y: 0, width: 2560, height: 1440 }
const displays = [laptop, monitor]

const defaults = { width: DEFAULT_WINDOW_SIZE.width, height: DEFAULT_WINDOW_SIZE.height, maximized: false }

describe('window placement', () => {
  it('a saved state on a connected display is restored as it was', () => {
    expect(restoreWindowPlacement({ x: 100, y: 80, width: 1000, height: 700, maximized: false }, displays)).toEqual({
      x: 100,
      y: 80,
      width: 1000,
      height: 700,
      maximized: false,
    })
    expect(restoreWindowPlacement({ x: 2000, y: 200, width: 1600, height: 1000, maximized: true }, displays)).toEqual({
      x: 2000,
      y: 200,
      width: 1600,
      height: 1000,
      maximized: true,
    })
  })

  it.each([null, undefined, 'garbage', 42, [], {}, { x: 1, y: 2 }, { x: '100', y: 80, width: 1000, height: 700 }])(
    'without a usable state (%j) the window opens at the default size, centred',
    (saved) => {
      expect(restoreWindowPlacement(saved, displays)).toEqual(defaults)
    },
  )

  it.each([
    ['NaN', { x: Number.NaN, y: 0, width: 1000, height: 700 }],
    ['Infinity', { x: 0, y: 0, width: Number.POSITIVE_INFINITY, height: 700 }],
    ['absurdly far away', { x: 5_000_000, y: 0, width: 1000, height: 700 }],
    ['absurdly large', { x: 0, y: 0, width: 1000, height: 9_999_999 }],
    ['zero width', { x: 0, y: 0, width: 0, height: 700 }],
    ['negative height', { x: 0, y: 0, width: 1000, height: -700 }],
  ])('a damaged state (%s) is ignored', (_what, saved) => {
    expect(restoreWindowPlacement(saved, displays)).toEqual(defaults)
  })

  it('a window left on a monitor that is now unplugged keeps its size but is centred', () => {
    expect(restoreWindowPlacement({ x: 2000, y: 200, width: 1000, height: 700, maximized: false }, [laptop])).toEqual({ width: 1000, height: 700, maximized: false })
  })

  it.each([
    ['far to the left', { x: -3000, y: 100, width: 1000, height: 700 }],
    ['below every display', { x: 100, y: 2000, width: 1000, height: 700 }],
    ['title bar above the screen', { x: 100, y: -300, width: 1000, height: 700 }],
    ['only a sliver on screen', { x: -950, y: 100, width: 1000, height: 700 }],
  ])('a window whose title bar would be off-screen (%s) is centred', (_what, saved) => {
    const placement = restoreWindowPlacement({ ...saved, maximized: false }, displays)
    expect(placement).toEqual({ width: 1000, height: 700, maximized: false })
  })

  it('a window larger than its display shrinks to fit and moves fully onto it', () => {
    expect(restoreWindowPlacement({ x: 200, y: 100, width: 3000, height: 2000, maximized: false }, [laptop])).toEqual({
      x: 0,
      y: 25,
      width: 1440,
      height: 875,
      maximized: false,
    })
  })

  it('a window partly off the right edge is kept where it is when it fits', () => {
    expect(restoreWindowPlacement({ x: 900, y: 100, width: 1000, height: 700, maximized: false }, [laptop])).toEqual({
      x: 440,
      y: 100,
      width: 1000,
      height: 700,
      maximized: false,
    })
  })

  it('never smaller than the minimum size', () => {
    expect(restoreWindowPlacement({ x: 100, y: 100, width: 200, height: 100, maximized: false }, displays)).toMatchObject({
      width: MIN_WINDOW_SIZE.width,
      height: MIN_WINDOW_SIZE.height,
    })
  })

  it('the default size is fitted to a small display, but never below the minimum', () => {
    expect(restoreWindowPlacement(null, [{ x: 0, y: 0, width: 1024, height: 600 }])).toEqual({ width: 1024, height: 600, maximized: false })
    expect(restoreWindowPlacement(null, [{ x: 0, y: 0, width: 640, height: 480 }])).toEqual({
      width: MIN_WINDOW_SIZE.width,
      height: MIN_WINDOW_SIZE.height,
      maximized: false,
    })
  })

  it('without any display information the saved size is still checked', () => {
    expect(restoreWindowPlacement({ x: 100, y: 100, width: 1000, height: 700, maximized: true }, [])).toEqual({ width: 1000, height: 700, maximized: true })
  })

  it('maximized is only ever true for a literal true', () => {
    expect(readSavedWindowState({ x: 0, y: 0, width: 800, height: 600, maximized: 'yes' })?.maximized).toBe(false)
    expect(readSavedWindowState({ x: 0, y: 0, width: 800, height: 600 })?.maximized).toBe(false)
  })

  it('fractional values are rounded', () => {
    expect(readSavedWindowState({ x: 10.4, y: 20.6, width: 800.5, height: 600.2, maximized: false })).toEqual({ x: 10, y: 21, width: 801, height: 600, maximized: false })
  })
})
