import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {LinstorClient} from '../../src/api/client.ts'
import {createLogger} from '../../src/common/log.ts'
import {csiHandlers, normaliseEndpoint, type CsiPluginOptions} from '../../drivers/csi/csi-plugin.ts'
import {LinstorRest} from '../../drivers/csi/linstor-rest.ts'

const options = (o: Partial<CsiPluginOptions>): CsiPluginOptions => ({endpoint: 'unix:///x', controller: 'http://127.0.0.1:1', mode: 'all', node: 'n1',
  propertyNamespace: 'Aux', labelByStoragePool: true, version: '1.0.0', log: createLogger({level: 'error', format: 'text', write: () => {}}), ...o})
const rest = new LinstorRest(new LinstorClient('http://127.0.0.1:1'))
const services = (o: Partial<CsiPluginOptions>): string[] => [...new Set(Object.keys(csiHandlers(options(o), rest)).map((m) => m.split('/')[1] ?? ''))].sort()

describe('the plugin process', () => {
  test('services per mode', () => {
    assert.deepEqual(services({mode: 'all'}), ['csi.v1.Controller', 'csi.v1.Identity', 'csi.v1.Node'])
    assert.deepEqual(services({mode: 'controller', node: undefined}), ['csi.v1.Controller', 'csi.v1.Identity'])
    assert.deepEqual(services({mode: 'node'}), ['csi.v1.Identity', 'csi.v1.Node'])
    assert.throws(() => csiHandlers(options({mode: 'node', node: undefined}), rest), /--node/)
  })

  test('identity answers without the controller', async () => {
    const h = csiHandlers(options({mode: 'controller'}), rest)
    const call = {method: '', metadata: {}, signal: new AbortController().signal}
    assert.deepEqual(await h['/csi.v1.Identity/GetPluginInfo']?.({}, call), {name: 'linstor.csi.linbit.com', vendorVersion: '1.0.0'})
    const caps = await h['/csi.v1.Identity/GetPluginCapabilities']?.({}, call)
    assert.deepEqual(caps, {capabilities: [{service: {type: 1}}, {service: {type: 2}}, {volumeExpansion: {type: 1}}]})
    const nodeOnly = await csiHandlers(options({mode: 'node'}), rest)['/csi.v1.Identity/GetPluginCapabilities']?.({}, call)
    assert.deepEqual(nodeOnly, {capabilities: [{service: {type: 2}}, {volumeExpansion: {type: 1}}]})
  })

  test('endpoints as linstor-csi reads them', () => {
    assert.equal(normaliseEndpoint('unix:///csi/csi.sock'), 'unix:///csi/csi.sock')
    assert.equal(normaliseEndpoint('unix://csi/csi.sock'), 'unix:csi/csi.sock')
    assert.equal(normaliseEndpoint('tcp://127.0.0.1:10000'), 'tcp://127.0.0.1:10000')
    assert.equal(normaliseEndpoint('/run/csi.sock'), '/run/csi.sock')
  })
})
