// The rendered JSON of one object in a big list, kept while everything it was rendered from is
// the same (compared by identity: records are replaced, never changed in place, and satellite
// reports are new objects on every sync). Lists of tens of thousands of resources then cost a
// join of strings instead of building and serialising every object again.
import {omitEmpty, stringify} from '../../common/json.ts'

export class RenderCache<K extends object> {
  private readonly entries = new WeakMap<K, {inputs: readonly unknown[], text: string}>()

  render(key: K, inputs: readonly unknown[], view: () => unknown): string {
    const hit = this.entries.get(key)
    if (hit && hit.inputs.length === inputs.length && hit.inputs.every((x, i) => x === inputs[i])) return hit.text
    const text = stringify(omitEmpty(view()))
    this.entries.set(key, {inputs, text})
    return text
  }
}
