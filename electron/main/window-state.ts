/**
 * Where the main window opens: the size and position the learner left it at, when that still makes
 * sense on the displays connected now. A saved state is untrusted input (a hand-edited or half-written
 * file, a monitor that was unplugged, a display that became smaller).
 *
 * This module must never import `electron`: it is unit-tested in plain Node
 * (tests/unit/shell-window-state.test.ts).
 */

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

/** What is saved in window-state.json. */
export interface SavedWindowState extends Rect {
  maximized: boolean
}

/** What the window is created with: no x/y means "let the system centre it". */
export interface WindowPlacement {
  x?: number
  y?: number
  width: number
  height: number
  maximized: boolean
}

export const DEFAULT_WINDOW_SIZE = { width: 1200, height: 800 } as const
export const MIN_WINDOW_SIZE = { width: 720, height: 520 } as const

/** Beyond any real display: such numbers come from a damaged file, not from a learner. */
const ABSURD = 100_000
/** How much of the window's top edge (its title bar) must be on a display to be reachable. */
const MIN_VISIBLE = { width: 120, height: 40 } as const

const isCoordinate = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= ABSURD
const isLength = (value: unknown): value is number => isCoordinate(value) && value >= 1

/** The saved state in `value` (parsed JSON), or null when it is not one. */
export function readSavedWindowState(value: unknown): SavedWindowState | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const { x, y, width, height, maximized } = value as Record<string, unknown>
  if (!isCoordinate(x) || !isCoordinate(y) || !isLength(width) || !isLength(height)) return null
  return { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height), maximized: maximized === true }
}

/**
 * The placement to create the window with, from `saved` (parsed JSON, anything) and the work areas
 * of the connected displays (`primary` first or alone). Without a usable state: the default size,
 * centred. A size larger than its display shrinks to fit, never below the minimum; a window whose
 * title bar would be off every display loses its position (the system centres it) but keeps its size
 * and maximized state.
 */
export function restoreWindowPlacement(saved: unknown, workAreas: readonly Rect[]): WindowPlacement {
  const state = readSavedWindowState(saved)
  const primary = workAreas[0]
  if (!state) return { ...fitSize(DEFAULT_WINDOW_SIZE, primary), maximized: false }

  const home = workAreas.find((area) => titleBarVisibleOn(state, area))
  if (!home) return { ...fitSize(state, primary), maximized: state.maximized }

  const size = fitSize(state, home)
  // A window shrunk to fit is moved, if needed, so that all of it is on its display.
  const x = clamp(state.x, home.x, home.x + home.width - size.width)
  const y = clamp(state.y, home.y, home.y + home.height - size.height)
  return { x, y, ...size, maximized: state.maximized }
}

function titleBarVisibleOn(window: Rect, area: Rect): boolean {
  const overlapWidth = Math.min(window.x + window.width, area.x + area.width) - Math.max(window.x, area.x)
  const titleBarOnArea = window.y >= area.y && window.y <= area.y + area.height - MIN_VISIBLE.height
  return overlapWidth >= MIN_VISIBLE.width && titleBarOnArea
}

function fitSize(size: { width: number; height: number }, area: Rect | undefined): { width: number; height: number } {
  const maxWidth = area ? Math.max(MIN_WINDOW_SIZE.width, area.width) : ABSURD
  const maxHeight = area ? Math.max(MIN_WINDOW_SIZE.height, area.height) : ABSURD
  return { width: clamp(size.width, MIN_WINDOW_SIZE.width, maxWidth), height: clamp(size.height, MIN_WINDOW_SIZE.height, maxHeight) }
}

/** `value` within [min, max]; when the range is empty (a display smaller than the minimum), min wins. */
function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, max))
}
