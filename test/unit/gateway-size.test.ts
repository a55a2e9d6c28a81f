import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {parseGatewaySizeKib} from '../../gateway/gateway-size.ts'

describe('gateway sizes (rck/unit units plus IEC names), in KiB', () => {
  const ok: [string, number][] = [
    ['1G', 1024 * 1024], ['1K', 1], ['2048', 2], ['1B', 0], ['1023', 0], ['1M', 1024], ['1T', 1024 ** 3], ['1P', 1024 ** 4],
    ['1E', 1024 ** 5], ['1kB', 0], ['2KB', 1], ['1MB', 976], ['1GB', 976562], ['1TB', 976562500], ['+1G', 1024 * 1024],
    ['2GiB', 2 * 1024 * 1024], ['1KiB', 1], ['3MiB', 3 * 1024], ['1TiB', 1024 ** 3], ['1PiB', 1024 ** 4], ['1EiB', 1024 ** 5],
    ['0', 0],
  ]
  for (const [text, kib] of ok) test(text, () => assert.equal(parseGatewaySizeKib(text), kib))

  const bad: [string, string][] = [
    ['', 'invalid size ""'],
    ['1g', 'unit "g" is not valid'],
    ['1gb', 'unit "gb" is not valid'],
    ['1Gi', 'unit "Gi" is not valid'],
    ['1 G', 'could not convert "1 G" to size: "1 " is not a whole number'],
    ['1.5G', 'could not convert "1.5G" to size: "1.5" is not a whole number'],
    ['G', 'could not convert "G" to size: "" is not a whole number'],
    ['x', 'could not convert "x" to size: "" is not a whole number'],
    ['-1G', 'could not convert "-1G" to size: a size cannot be negative'],
    ['9999999E', 'could not convert "9999999E" to size: too large'],
  ]
  for (const [text, message] of bad) test(`refuses ${JSON.stringify(text)}`, () => assert.throws(() => parseGatewaySizeKib(text), {message}))
})
