// Tables in the linstor client's style: a rounded box with ┊ separators on a UTF-8 terminal,
// plain ASCII with --no-utf8, colour only when asked for. Cells may hold several lines (rows are
// then separated by a dotted rule, as linstor does); a column may be right-aligned. Pure: returns the text.

export type Colour = 'green' | 'red' | 'yellow' | 'none'
export interface Cell {text: string, colour?: Colour}
export type Row = (string | Cell)[]
/** A column title, or a title with right-aligned cells (linstor's sizes and states). */
export type Header = string | {name: string, right: true}

const ansi: Record<Colour, string> = {green: '\x1b[32m', red: '\x1b[31m', yellow: '\x1b[33m', none: ''}

export interface TableStyle {utf8: boolean, colour: boolean}

export function renderTable(headers: Header[], rows: Row[], style: TableStyle): string {
  const titles = headers.map((h) => (typeof h === 'string' ? h : h.name))
  const right = headers.map((h) => typeof h !== 'string')
  const cells = rows.map((r) => titles.map((_, i) => {
    const c = r[i] ?? ''
    return typeof c === 'string' ? {text: c} : c
  }))
  const linesOf = (c: Cell): string[] => c.text.split('\n')
  const widths = titles.map((h, i) => Math.max(h.length, ...cells.map((r) => Math.max(...linesOf(r[i] as Cell).map((l) => l.length)))))
  const g = style.utf8
    ? {tl: '╭', tr: '╮', bl: '╰', br: '╯', h: '─', v: '┊', sl: '╞', sr: '╡', s: '═', d: '┄'}
    : {tl: '+', tr: '+', bl: '+', br: '+', h: '-', v: '|', sl: '|', sr: '|', s: '=', d: '-'}
  const inner = widths.reduce((a, w) => a + w + 3, 1) - 2
  const line = (cols: Cell[]): string[] => {
    const height = Math.max(...cols.map((c) => linesOf(c).length))
    return Array.from({length: height}, (_, k) => `${g.v} ${cols.map((c, i) => {
      const text = linesOf(c)[k] ?? ''
      const pad = ' '.repeat((widths[i] ?? 0) - text.length)
      const colour = style.colour && c.colour && c.colour !== 'none' && text ? ansi[c.colour] : ''
      const body = colour ? `${colour}${text}\x1b[0m` : text
      return right[i] ? `${pad}${body}` : `${body}${pad}`
    }).join(` ${g.v} `)} ${g.v}`)
  }
  const multiLine = cells.some((r) => r.some((c) => c.text.includes('\n')))
  const body = cells.flatMap((r, i) => [...line(r), ...(multiLine && i < cells.length - 1 ? [`${g.sl}${g.d.repeat(inner)}${g.sr}`] : [])])
  return [
    `${g.tl}${g.h.repeat(inner)}${g.tr}`,
    ...line(titles.map((text) => ({text}))),
    `${g.sl}${g.s.repeat(inner)}${g.sr}`,
    ...body,
    `${g.bl}${g.h.repeat(inner)}${g.br}`,
  ].join('\n')
}
