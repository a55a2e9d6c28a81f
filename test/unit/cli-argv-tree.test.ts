// The linstor client's spellings of the command tree, resolved against the binary's real command
// ids: every group alias and every verb abbreviation the linstor client accepts for a command
// Cairn has, the same words after `help`, and linstor's optional-value --diskless-on-remaining.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {resolveArgv} from '../../src/cli/argv.ts'
import {COMMANDS} from '../../src/cli/commands.ts'

const ids = Object.keys(COMMANDS)

const cases: [string, string][] = [
  ['n c n1 10.0.0.1', 'node create n1 10.0.0.1'],
  ['n d n1', 'node delete n1'],
  ['n lo n1', 'node lost n1'],
  ['n rc n1 n2', 'node reconnect n1 n2'],
  ['n m -t combined n1', 'node modify -t combined n1'],
  ['n sp n1 Aux/k v', 'node set-property n1 Aux/k v'],
  ['n lp n1', 'node list-properties n1'],
  ['n dsc', 'node describe'],
  ['n info', 'node info'],
  ['n i c n1 eth1 10.0.0.2', 'node interface create n1 eth1 10.0.0.2'],
  ['n i l n1', 'node interface list n1'],
  ['n i m n1 eth1 --active', 'node interface modify n1 eth1 --active'],
  ['n i d n1 eth1', 'node interface delete n1 eth1'],
  ['sp c lvmthin n1 p vg/lv', 'storage-pool create lvmthin n1 p vg/lv'],
  ['sp c filethin n1 p /d', 'storage-pool create filethin n1 p /d'],
  ['sp c zfs n1 p tank', 'storage-pool create zfs n1 p tank'],
  ['sp d n1 p', 'storage-pool delete n1 p'],
  ['sp sp n1 p k v', 'storage-pool set-property n1 p k v'],
  ['sp lp n1 p', 'storage-pool list-properties n1 p'],
  ['rg c g', 'resource-group create g'],
  ['rg m g --place-count 2', 'resource-group modify g --place-count 2'],
  ['rg d g', 'resource-group delete g'],
  ['rg sp g k v', 'resource-group set-property g k v'],
  ['rg lp g', 'resource-group list-properties g'],
  ['rg spawn g r 1G', 'resource-group spawn-resources g r 1G'],
  ['rg spawn-resources g r 1G', 'resource-group spawn-resources g r 1G'],
  ['rg qsi g', 'resource-group query-size-info g'],
  ['vg c g', 'volume-group create g'],
  ['vg l g', 'volume-group list g'],
  ['vg sp g 0 k v', 'volume-group set-property g 0 k v'],
  ['rd c r', 'resource-definition create r'],
  ['rd ap r', 'resource-definition auto-place r'],
  ['rd cln r r2', 'resource-definition clone r r2'],
  ['rd m r --resource-group g', 'resource-definition modify r --resource-group g'],
  ['vd c r 1G', 'volume-definition create r 1G'],
  ['vd size r 0 2G', 'volume-definition set-size r 0 2G'],
  ['vd lp r 0', 'volume-definition list-properties r 0'],
  ['r c n1 r', 'resource create n1 r'],
  ['r mkavail n1 r', 'resource make-available n1 r'],
  ['r lv', 'resource list-volumes'],
  ['r lp n1 r', 'resource list-properties n1 r'],
  ['v l', 'volume list'],
  ['v lp n1 r 0', 'volume list-properties n1 r 0'],
  ['s c r snap', 'snapshot create r snap'],
  ['s cm snap -r a b', 'snapshot create-multiple snap -r a b'],
  ['s l', 'snapshot list'],
  ['s r rst --fr a --fs s --tr b', 'snapshot resource restore --fr a --fs s --tr b'],
  ['s vd rst --fr a --fs s --tr b', 'snapshot volume-definition restore --fr a --fs s --tr b'],
  ['c lp', 'controller list-properties'],
  ['c sp k v', 'controller set-property k v'],
  ['c v', 'controller version'],
  ['kv l', 'key-value-store list'],
  ['kv s inst', 'key-value-store show inst'],
  ['kv m inst k v', 'key-value-store modify inst k v'],
  ['nc l', 'node-connection list'],
  ['nc sp a b k v', 'node-connection set-property a b k v'],
  ['nc p c a b p1 if1 if2', 'node-connection path create a b p1 if1 if2'],
  ['rc l r', 'resource-connection list r'],
  ['rc lp a b r', 'resource-connection list-properties a b r'],
  ['rc p l a b r', 'resource-connection path list a b r'],
  ['rc drbd-options a b r --protocol A', 'resource-connection drbd-peer-options a b r --protocol A'],
  ['remote l', 'remote list'],
  ['rem l', 'remote list'],
  ['b l bak', 'backup list bak'],
  ['b c bak r --full', 'backup create bak r --full'],
  ['b i bak -r r', 'backup info bak -r r'],
  ['b rst bak n1 t --id r_back_1', 'backup restore bak n1 t --id r_back_1'],
  ['b a bak r', 'backup abort bak r'],
  ['b d id bak r_back_1', 'backup delete id bak r_back_1'],
  ['b d f bak -r r', 'backup delete filter bak -r r'],
  ['b d a bak', 'backup delete all bak'],
  ['b d s3 bak key', 'backup delete s3key bak key'],
  ['b s bak r t', 'backup ship bak r t'],
  ['controller --data-dir /x', 'controller --data-dir /x'],
  ['rg c g --diskless-on-remaining true', 'resource-group create g --diskless-on-remaining'],
  ['rg c g --diskless-on-remaining false', 'resource-group create g --no-diskless-on-remaining'],
  ['rg c g --diskless-on-remaining', 'resource-group create g --diskless-on-remaining'],
  ['help r', 'help resource'],
  ['help r l', 'help resource list'],
  ['help rg spawn', 'help resource-group spawn-resources'],
  ['help s r rst', 'help snapshot resource restore'],
  ['help n i c', 'help node interface create'],
  ['--no-color help n', 'help node'],
  ['--controllers x help r l -m', 'help resource list'],
  ['help spd sp', 'help storage-pool-definition set-property'],
]

for (const [input, expected] of cases) {
  test(`'${input}' → '${expected}'`, () => {
    const out = resolveArgv(input.split(' '), ids)
    assert.deepEqual(out, expected.split(' '))
    // Every resolved command word sequence names a command the binary has.
    const words = out.filter((w, i) => !w.startsWith('-') && out.slice(0, i).every((x) => !x.startsWith('-')))
    assert.ok(words.some((_, i) => ids.includes(words.slice(0, i + 1).join(':'))), `no command in ${out.join(' ')}`)
  })
}
