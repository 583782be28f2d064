/**
 * Regenerates every app icon from resources/icons/icon.svg: `npm run icons`.
 *
 * The outputs are committed, so packaging (electron-builder.yml) never runs this script and never
 * needs resvg's native module. Run it again after editing the SVG.
 *
 *   resources/icons/png/NxN.png  Linux icon set (hicolor sizes, plus 1024 for the AppImage)
 *   resources/icons/icon.ico     Windows: 16–256, small sizes as bitmaps for older shell views
 *   resources/icons/icon.icns    macOS, drawn on Apple's icon grid
 */
import { Resvg } from '@resvg/resvg-js'
import { BICUBIC2, createICNS, createICO } from 'png2icons'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'

const root = join(import.meta.dirname, '..')
const iconsDir = join(root, 'resources', 'icons')

const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const

/** Apple's grid puts the tile in the central 824 of 1024 pixels, leaving room for its shadow. */
const MAC_TILE = { offset: 100, size: 824 } as const
/** The tile of icon.svg (its rounded square), which the macOS variant maps onto Apple's grid. */
const SOURCE_TILE = { offset: 32, size: 960 } as const

function renderPng(svg: string, size: number): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng()
}

/**
 * The same artwork, scaled onto Apple's grid with the soft drop shadow macOS icons carry. A Windows
 * or Linux icon that size would look small next to its neighbours, hence a separate variant.
 */
function macVariant(svg: string): string {
  const open = /^[\s\S]*?<svg\b[^>]*>/.exec(svg)
  const close = svg.lastIndexOf('</svg>')
  if (!open || close < 0) throw new Error('icon.svg is not an <svg> document')
  const inner = svg.slice(open[0].length, close)
  const view = `${SOURCE_TILE.offset} ${SOURCE_TILE.offset} ${SOURCE_TILE.size} ${SOURCE_TILE.size}`
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024" viewBox="0 0 1024 1024">',
    '<defs><filter id="mac-shadow" x="-10%" y="-10%" width="120%" height="125%">',
    '<feDropShadow dx="0" dy="12" stdDeviation="14" flood-color="#000000" flood-opacity="0.3"/>',
    '</filter></defs>',
    `<g filter="url(#mac-shadow)"><svg x="${MAC_TILE.offset}" y="${MAC_TILE.offset}" width="${MAC_TILE.size}" height="${MAC_TILE.size}" viewBox="${view}">`,
    inner,
    '</svg></g></svg>',
  ].join('\n')
}

function required(buffer: Buffer | null, what: string): Buffer {
  if (!buffer) throw new Error(`png2icons could not create ${what}`)
  return buffer
}

async function main(): Promise<void> {
  const svg = await readFile(join(iconsDir, 'icon.svg'), 'utf8')
  const written: string[] = []
  const write = async (file: string, data: Buffer): Promise<void> => {
    await writeFile(file, data)
    written.push(`${relative(root, file)} (${data.length} bytes)`)
  }

  await mkdir(join(iconsDir, 'png'), { recursive: true })
  for (const size of LINUX_SIZES) {
    await write(join(iconsDir, 'png', `${size}x${size}.png`), renderPng(svg, size))
  }

  // png2icons scales one PNG down to every entry; 256 is the largest ICO entry, so start there
  // rather than from 1024 (fewer resampling steps, crisper 16 and 32). forWinExe keeps the entries
  // under 64 as bitmaps, which Explorer's properties dialog and NSIS's installer icon expect.
  await write(join(iconsDir, 'icon.ico'), required(createICO(renderPng(svg, 256), BICUBIC2, 0, false, true), 'icon.ico'))
  await write(join(iconsDir, 'icon.icns'), required(createICNS(renderPng(macVariant(svg), 1024), BICUBIC2, 0), 'icon.icns'))

  console.log(written.join('\n'))
}

await main()
