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
  // Each cell split into its lines once: tables of thousands of rows are rendered in a cold process.
  interface Split {lines: string[], colour?: Colour}
  const split = (c: string | Cell): Split => (typeof c === 'string' ? {lines: c.split('\n')} : {lines: c.text.split('\n'), colour: c.colour})
  const cells = rows.map((r) => titles.map((_, i) => split(r[i] ?? '')))
  const widths = titles.map((h) => h.length)
  let multiLine = false
  for (const r of cells) {
    r.forEach((c, i) => {
      if (c.lines.length > 1) multiLine = true
      for (const l of c.lines) if (l.length > (widths[i] as number)) widths[i] = l.length
    })
  }
  const g = style.utf8
    ? {tl: '╭', tr: '╮', bl: '╰', br: '╯', h: '─', v: '┊', sl: '╞', sr: '╡', s: '═', d: '┄'}
    : {tl: '+', tr: '+', bl: '+', br: '+', h: '-', v: '|', sl: '|', sr: '|', s: '=', d: '-'}
  const inner = widths.reduce((a, w) => a + w + 3, 1) - 2
  const sep = ` ${g.v} `
  const line = (cols: Split[]): string[] => {
    const height = cols.reduce((h, c) => Math.max(h, c.lines.length), 1)
    const out: string[] = []
    for (let k = 0; k < height; k++) {
      out.push(`${g.v} ${cols.map((c, i) => {
        const text = c.lines[k] ?? ''
        const width = widths[i] as number
        if (!(style.colour && c.colour && c.colour !== 'none' && text)) return right[i] ? text.padStart(width) : text.padEnd(width)
        const pad = ' '.repeat(width - text.length)
        const body = `${ansi[c.colour]}${text}\x1b[0m`
        return right[i] ? `${pad}${body}` : `${body}${pad}`
      }).join(sep)} ${g.v}`)
    }
    return out
  }
  const rule = `${g.sl}${g.d.repeat(inner)}${g.sr}`
  const out = [`${g.tl}${g.h.repeat(inner)}${g.tr}`, ...line(titles.map((t) => ({lines: [t]}))), `${g.sl}${g.s.repeat(inner)}${g.sr}`]
  cells.forEach((r, i) => {
    out.push(...line(r))
    if (multiLine && i < cells.length - 1) out.push(rule)
  })
  out.push(`${g.bl}${g.h.repeat(inner)}${g.br}`)
  return out.join('\n')
}
