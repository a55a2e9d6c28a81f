import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {attachArgs, detachArgs, listArgs, parseLoopList, resizeArgs} from '../../src/satellite/losetup.ts'
import {type ActualRef, planVolumes} from '../../src/satellite/reconcile.ts'
import type {DesiredVolume} from '../../src/protocol/messages.ts'

const want = (rsc: string, vlmNr: number, present = true, pool = 'pool1'): DesiredVolume => ({rsc, vlmNr, sizeKib: 1024, pool, present})
const have = (rsc: string, vlmNr: number, devicePath?: string, pool = 'pool1'): ActualRef => ({rsc, vlmNr, pool, devicePath})
const ids = (vs: DesiredVolume[]): string[] => vs.map((v) => `${v.pool}/${v.rsc}/${v.vlmNr}`)

describe('planVolumes', () => {
  // [name, desired, actual, create, remove, keep]
  const cases: [string, DesiredVolume[], ActualRef[], string[], string[], string[]][] = [
    ['nothing wanted, nothing there', [], [], [], [], []],
    ['wanted and missing → create', [want('r1', 0)], [], ['pool1/r1/0'], [], []],
    ['wanted and there with a device → keep', [want('r1', 0)], [have('r1', 0, '/dev/loop3')], [], [], ['pool1/r1/0']],
    ['wanted, there but without a device → create completes it', [want('r1', 0)], [have('r1', 0)], ['pool1/r1/0'], [], []],
    ['absent and there → remove', [want('r1', 0, false)], [have('r1', 0, '/dev/loop3')], [], ['pool1/r1/0'], []],
    ['absent and half-made → remove', [want('r1', 0, false)], [have('r1', 0)], [], ['pool1/r1/0'], []],
    ['absent and already gone → nothing', [want('r1', 0, false)], [], [], [], []],
    ['matching ignores case of pool and resource', [want('R1', 0, true, 'Pool1')], [have('r1', 0, '/dev/loop1', 'POOL1')], [], [], ['Pool1/R1/0']],
    ['volume number must match', [want('r1', 1)], [have('r1', 0, '/dev/loop1')], ['pool1/r1/1'], [], []],
    ['pool must match', [want('r1', 0, true, 'pool2')], [have('r1', 0, '/dev/loop1', 'pool1')], ['pool2/r1/0'], [], []],
    ['actual volumes nobody mentions are left alone', [], [have('stray', 0, '/dev/loop9')], [], [], []],
    ['a mix, in desired order',
      [want('a', 0), want('b', 0, false), want('c', 0), want('d', 0)],
      [have('b', 0, '/dev/loop1'), have('c', 0, '/dev/loop2'), have('d', 0)],
      ['pool1/a/0', 'pool1/d/0'], ['pool1/b/0'], ['pool1/c/0']],
  ]
  for (const [name, desired, actual, create, remove, keep] of cases) {
    test(name, () => {
      const plan = planVolumes(desired, actual)
      assert.deepEqual({create: ids(plan.create), remove: ids(plan.remove), keep: ids(plan.keep)}, {create, remove, keep})
    })
  }

  test('the plan carries the desired records themselves', () => {
    const d = want('r1', 0)
    assert.equal(planVolumes([d], []).create[0], d)
  })
})

describe('parseLoopList', () => {
  // What `losetup --list --json --output NAME,BACK-FILE` prints (util-linux 2.39).
  const sample = `{
   "loopdevices": [
      {
         "name": "/dev/loop1",
         "back-file": "/var/lib/cairn/pools/default/r1_00000.img"
      },{
         "name": "/dev/loop0",
         "back-file": "/var/lib/snapd/snaps/core22_1380.snap"
      },{
         "name": "/dev/loop2",
         "back-file": "/var/lib/cairn/pools/default/r2_00000.img (deleted)"
      },{
         "name": "/dev/loop7",
         "back-file": null
      },{
         "name": "/dev/loop8",
         "back-file": "/srv/with space (deleted)/x.img"
      }
   ]
}
`

  test('maps each backing file to its device; stale "(deleted)" devices and null back-files skipped', () => {
    assert.deepEqual([...parseLoopList(sample)], [
      ['/var/lib/cairn/pools/default/r1_00000.img', '/dev/loop1'],
      ['/var/lib/snapd/snaps/core22_1380.snap', '/dev/loop0'],
      ['/srv/with space (deleted)/x.img', '/dev/loop8'],
    ])
  })

  const cases: [string, string, [string, string][]][] = [
    ['empty output (no loop devices)', '', []],
    ['whitespace only', '  \n', []],
    ['no loopdevices key', '{}', []],
    ['empty list', '{"loopdevices": []}', []],
    ['entry without a name', '{"loopdevices": [{"back-file": "/x.img"}]}', []],
    ['entry with an empty back-file', '{"loopdevices": [{"name": "/dev/loop0", "back-file": ""}]}', []],
  ]
  for (const [name, json, expected] of cases) {
    test(name, () => assert.deepEqual([...parseLoopList(json)], expected))
  }

  test('malformed JSON throws', () => {
    assert.throws(() => parseLoopList('{"loopdevices": ['), SyntaxError)
  })
})

test('losetup argument builders', () => {
  assert.deepEqual(attachArgs('/p/r1.img'), ['--find', '--show', '--direct-io=on', '/p/r1.img'])
  assert.deepEqual(detachArgs('/dev/loop1'), ['--detach', '/dev/loop1'])
  assert.deepEqual(listArgs(), ['--list', '--json', '--output', 'NAME,BACK-FILE'])
  assert.deepEqual(resizeArgs('/dev/loop1'), ['--set-capacity', '/dev/loop1'])
})
