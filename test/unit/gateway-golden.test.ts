import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {parse} from 'smol-toml'
import type {DeploymentFacts, TargetDefinition} from '../../gateway/deployment-facts.ts'
import {gatewayFileContent, gatewayResource, promoterFromToml, readGatewayFile} from '../../gateway/gateway-file.ts'
import type {IscsiResourceConfig} from '../../gateway/iscsi-target.ts'
import {iscsiDefaults, iscsiFromPromoter, iscsiPromoter, validateIscsiConfig} from '../../gateway/iscsi-target.ts'
import type {NfsResourceConfig} from '../../gateway/nfs-export.ts'
import {nfsDefaults, nfsFromPromoter, nfsPromoter, validateNfsConfig} from '../../gateway/nfs-export.ts'
import type {NvmeOfResourceConfig} from '../../gateway/nvme-target.ts'
import {nvmeDefaults, nvmeFromPromoter, nvmePromoter, nvmetPortIdOf, validateNvmeConfig} from '../../gateway/nvme-target.ts'
import {parseOcfAgent} from '../../gateway/ocf-agent.ts'
import type {PromoterConfig} from '../../gateway/reactor-options.ts'
import {promoterConfigProblems, promoterOptionProblems} from '../../gateway/reactor-options.ts'
import {parseToml} from '../../src/common/toml.ts'

const GENERATED_AT = new Date('2026-06-20T10:00:00.123Z')
const GIB = 1024 * 1024
const noOwner = {User: '', Group: ''}
const nobody = {User: 'nobody', Group: 'nobody'}

// Example LINSTOR UUIDs: the resource definition's and one per volume definition.
function facts(volumes: number): DeploymentFacts {
  return {
    resourceUuid: '6c3e1f0a-8d2b-4f5e-9a7c-1b2d3e4f5a6b',
    volumes: Array.from({length: volumes}, (_, i) => ({number: i, uuid: `0f1e2d3c-4b5a-4968-8776-${String(i).padStart(12, '0')}`})),
  }
}

interface DefinedConfig {resource_group: string, gross_size: boolean, volumes: TargetDefinition['volumes']}

const definitionOf = (c: DefinedConfig): TargetDefinition =>
  ({resource_group: c.resource_group, gross_size: c.gross_size, volumes: c.volumes.map(({number, size_kib, file_system, file_system_root_owner}) =>
    (file_system === undefined ? {number, size_kib, file_system_root_owner} : {number, size_kib, file_system, file_system_root_owner}))})

interface Example<C extends DefinedConfig> {
  file: string
  kind: 'iscsi' | 'nfs' | 'nvmeof'
  resource: string
  targetAs: string
  config: C
  promoter: (c: C) => PromoterConfig
  validate: (c: C) => string | undefined
  fromPromoter: (p: PromoterConfig, d: TargetDefinition) => C
}

// The five examples of the reference (§1.5), produced by the same inputs as upstream's CLI.
const iscsiExamples: Example<IscsiResourceConfig>[] = [
  {
    // A: iscsi create iqn.2019-08.com.linbit:example 192.168.122.181/24 1G 1G
    file: 'iscsi-lio.toml', kind: 'iscsi', resource: 'example', targetAs: 'Requires',
    config: iscsiDefaults({
      iqn: 'iqn.2019-08.com.linbit:example', service_ips: ['192.168.122.181/24'],
      volumes: [{number: 1, size_kib: GIB, file_system_root_owner: noOwner}, {number: 2, size_kib: GIB, file_system_root_owner: noOwner}],
    }),
    promoter: (c) => iscsiPromoter(c, facts(3)), validate: validateIscsiConfig, fromPromoter: iscsiFromPromoter,
  },
  {
    // B: SCST, CHAP, two service IPs, allowed initiators.
    file: 'iscsi-scst-chap.toml', kind: 'iscsi', resource: 'scst1', targetAs: 'Requires',
    config: iscsiDefaults({
      iqn: 'iqn.2019-08.com.linbit:scst1', service_ips: ['10.0.0.50/24', '10.0.1.50/24'],
      username: 'chapuser', password: 's3cretpass12', implementation: 'scst', resource_group: 'iscsi_group',
      allowed_initiators: ['iqn.2024-01.com.example:host1', 'iqn.2024-01.com.example:host2'],
      volumes: [{number: 1, size_kib: GIB, file_system_root_owner: noOwner}],
    }),
    promoter: (c) => iscsiPromoter(c, facts(2)), validate: validateIscsiConfig, fromPromoter: iscsiFromPromoter,
  },
]

const nfsExamples: Example<NfsResourceConfig>[] = [
  {
    // C: nfs create nfs1 192.168.211.122/24 2G (CLI default --allowed-ips 0.0.0.0/0)
    file: 'nfs-kernel.toml', kind: 'nfs', resource: 'nfs1', targetAs: 'BindsTo',
    config: nfsDefaults({
      name: 'nfs1', service_ip: '192.168.211.122/24', allowed_ips: ['0.0.0.0/0'],
      volumes: [{number: 1, size_kib: 2 * GIB, export_path: '/', file_system: 'ext4', file_system_root_owner: nobody}],
    }),
    promoter: (c) => nfsPromoter(c, facts(2)), validate: validateNfsConfig, fromPromoter: nfsFromPromoter,
  },
  {
    // C2: --implementation=ganesha --allowed-ips 10.20.0.0/16, two volumes with generated paths.
    file: 'nfs-ganesha.toml', kind: 'nfs', resource: 'share2', targetAs: 'BindsTo',
    config: nfsDefaults({
      name: 'share2', service_ip: '192.168.211.123/24', implementation: 'ganesha', allowed_ips: ['10.20.0.0/16'], gross_size: true,
      volumes: [
        {number: 1, size_kib: GIB, export_path: '/vol1', file_system: 'ext4', file_system_root_owner: nobody},
        {number: 2, size_kib: GIB, export_path: '/vol2', file_system: 'ext4', file_system_root_owner: nobody},
      ],
    }),
    promoter: (c) => nfsPromoter(c, facts(3)), validate: validateNfsConfig, fromPromoter: nfsFromPromoter,
  },
]

const nvmeExamples: Example<NvmeOfResourceConfig>[] = [
  {
    // D: nvme create linbit:nvme:example 192.168.122.190/24 1G, with Cairn's port_id and addr_fam.
    file: 'nvmeof.toml', kind: 'nvmeof', resource: 'example', targetAs: 'Requires',
    config: nvmeDefaults({
      nqn: 'linbit:nvme:example', service_ip: '192.168.122.190/24',
      volumes: [{number: 1, size_kib: GIB, file_system_root_owner: noOwner}],
    }),
    promoter: (c) => nvmePromoter(c, {...facts(2), portId: 1}), validate: validateNvmeConfig, fromPromoter: nvmeFromPromoter,
  },
]

const golden = (file: string): string => readFileSync(new URL(`../fixtures/gateway/${file}`, import.meta.url), 'utf8')

function checkExample<C extends DefinedConfig>(ex: Example<C>): void {
  describe(ex.file, () => {
    test('the example config is valid', () => assert.equal(ex.validate(ex.config), undefined))

    test('generates the golden file byte for byte', () => {
      assert.equal(gatewayFileContent(ex.promoter(ex.config), GENERATED_AT), golden(ex.file))
    })

    test('smol-toml reads the structure the reactor expects, and every option is valid', () => {
      const doc = parse(golden(ex.file)) as Record<string, unknown>
      assert.deepEqual(Object.keys(doc), ['promoter'])
      const list = doc['promoter'] as Record<string, unknown>[]
      assert.equal(list.length, 1)
      const entry = list[0] as Record<string, unknown>
      assert.deepEqual({...entry['metadata'] as object}, {'linstor-gateway-schema-version': 1})
      const resources = entry['resources'] as Record<string, Record<string, unknown>>
      assert.deepEqual(Object.keys(resources), [ex.resource])
      const options = resources[ex.resource] as Record<string, unknown>
      assert.deepEqual(Object.keys(options).sort(), ['on-drbd-demote-failure', 'runner', 'start', 'stop-services-on-exit', 'target-as'])
      assert.equal(options['runner'], 'systemd')
      assert.equal(options['on-drbd-demote-failure'], 'reboot-immediate')
      assert.equal(options['stop-services-on-exit'], true)
      assert.equal(options['target-as'], ex.targetAs)
      assert.deepEqual(promoterOptionProblems(options), [])
      assert.deepEqual(promoterConfigProblems(entry), [])
      for (const s of options['start'] as string[]) {
        const agent = parseOcfAgent(s)
        assert.equal(agent.vendor, 'heartbeat')
        assert.ok(Object.keys(agent.params).length > 0, s)
      }
    })

    test("Cairn's own TOML reader gives what smol-toml gives", () => {
      // smol-toml's tables have no prototype; compare the data only.
      assert.deepEqual(parseToml(golden(ex.file)), JSON.parse(JSON.stringify(parse(golden(ex.file)))))
    })

    test('reading the file back gives the original config', () => {
      const definition = definitionOf(ex.config)
      assert.deepEqual(ex.fromPromoter(readGatewayFile(golden(ex.file)), definition), ex.config)
      assert.deepEqual(ex.fromPromoter(promoterFromToml(parse(golden(ex.file))), definition), ex.config)
      assert.deepEqual(ex.fromPromoter(ex.promoter(ex.config), definition), ex.config)
    })

    test("a file with upstream's header reads the same", () => {
      const upstream = golden(ex.file).replace(/^# Generated by Cairn Gateway at .*$/m,
        '# Generated by LINSTOR Gateway at 2026-06-20 10:00:00.123456789 +0000 UTC m=+12.345678901')
      assert.notEqual(upstream, golden(ex.file))
      assert.deepEqual(readGatewayFile(upstream), readGatewayFile(golden(ex.file)))
    })

    test('the promoter read back regenerates the same file', () => {
      const promoter = readGatewayFile(golden(ex.file))
      assert.equal(gatewayResource(promoter).name, ex.resource)
      assert.equal(gatewayFileContent(promoter, GENERATED_AT), golden(ex.file))
    })
  })
}

for (const ex of iscsiExamples) checkExample(ex)
for (const ex of nfsExamples) checkExample(ex)
for (const ex of nvmeExamples) checkExample(ex)

describe('golden details', () => {
  test('the NVMe golden carries a port id and the address family, unlike upstream', () => {
    const promoter = readGatewayFile(golden('nvmeof.toml'))
    assert.equal(nvmetPortIdOf(promoter), 1)
    assert.match(golden('nvmeof.toml'), /nvmet-port port addr=192\.168\.122\.190 addr_fam=ipv4 nqns=linbit:nvme:example port_id=1 type=tcp/)
  })

  test('the hashes match the reference values', () => {
    assert.match(golden('iscsi-lio.toml'), /lu1 lun=1 .* product_id=270c0a83 scsi_sn=270c0a83/)
    assert.match(golden('iscsi-lio.toml'), /lu2 lun=2 .* product_id=cec559bd scsi_sn=cec559bd/)
    assert.match(golden('iscsi-scst-chap.toml'), /product_id=b1b04b01 scsi_sn=b1b04b01/)
    assert.match(golden('nvmeof.toml'), /serial=b407226372444776/)
  })

  test('fsid and namespace UUIDs follow the v5 chain (values cross-checked with Python uuid5)', () => {
    assert.match(golden('nfs-kernel.toml'), /fsid=08c3374f-f995-5354-b70a-a56b7a9c7a87/)
    assert.match(golden('nvmeof.toml'), /nguid=461f270d-5a3a-5d2f-858e-8f8bd699b89f .* uuid=461f270d-5a3a-5d2f-858e-8f8bd699b89f/)
  })

  test('without a definition the volumes come from the agents, with size 0', () => {
    const iscsi = iscsiFromPromoter(readGatewayFile(golden('iscsi-lio.toml')))
    assert.deepEqual(iscsi.volumes.map((v) => [v.number, v.size_kib]), [[0, 64 * 1024], [1, 0], [2, 0]])
    assert.equal(iscsi.resource_group, '')
    const nfs = nfsFromPromoter(readGatewayFile(golden('nfs-ganesha.toml')))
    assert.deepEqual(nfs.volumes.map((v) => [v.number, v.export_path, v.file_system]), [[0, '', 'ext4'], [1, '/vol1', 'ext4'], [2, '/vol2', 'ext4']])
    const nvme = nvmeFromPromoter(readGatewayFile(golden('nvmeof.toml')))
    assert.deepEqual(nvme.volumes.map((v) => v.number), [0, 1])
  })
})
