// oclif's help without its template pass where there is nothing to fill in: oclif renders every
// help string as an EJS template, compiling a function for each, which was a tenth of
// `cairn --help`. Only strings with a template tag (`<%`) still go through EJS.
import {Help, type Interfaces} from '@oclif/core'

export class CairnHelp extends Help {
  constructor(config: Interfaces.Config, opts?: Partial<Interfaces.HelpOptions>) {
    super(config, opts)
    const render = this.render
    this.render = (input) => (input.includes('<%') ? render(input) : input)
  }
}
