// Tables in the linstor client's style: a rounded box with ┊ separators on a UTF-8 terminal,
// plain ASCII with --no-utf8, colour only when asked for. Pure: returns the text.

export type Colour = 'green' | 'red' | 'yellow' | 'none'
export interface Cell {text: string, colour?: Colour}
export type Row = (string | Cell)[]

const ansi: Record<Colour, string> = {green: '\x1b[32m', red: '\x1b[31m', yellow: '\x1b[33m', none: ''}

export interface TableStyle {utf8: boolean, colour: boolean}

export function renderTable(headers: string[], rows: Row[], style: TableStyle): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'string' ? {text: c} : c)))
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.text.length ?? 0)))
  const g = style.utf8
    ? {tl: '╭', tr: '╮', bl: '╰', br: '╯', h: '─', v: '┊', sl: '╞', sr: '╡', s: '═'}
    : {tl: '+', tr: '+', bl: '+', br: '+', h: '-', v: '|', sl: '|', sr: '|', s: '='}
  const inner = widths.reduce((a, w) => a + w + 3, 1) - 2
  const line = (cols: Cell[]): string => `${g.v} ${cols.map((c, i) => {
    const pad = ' '.repeat((widths[i] ?? 0) - c.text.length)
    const colour = style.colour && c.colour && c.colour !== 'none' ? ansi[c.colour] : ''
    return colour ? `${colour}${c.text}\x1b[0m${pad}` : `${c.text}${pad}`
  }).join(` ${g.v} `)} ${g.v}`
  return [
    `${g.tl}${g.h.repeat(inner)}${g.tr}`,
    line(headers.map((text) => ({text}))),
    `${g.sl}${g.s.repeat(inner)}${g.sr}`,
    ...cells.map(line),
    `${g.bl}${g.h.repeat(inner)}${g.br}`,
  ].join('\n')
}
