// The satellite link over TLS (TLS-PSK keyed by the cluster secret): a node registered with
// SSL encryption is driven over the TLS port; a satellite with another secret cannot complete
// the handshake; the plain port keeps working beside it.
import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {connect} from 'node:tls'
import {join} from 'node:path'
import {test} from 'node:test'
import {api, cleanup, freePort, getJson, startDaemon, tempDir, waitFor, waitHealthy, type Daemon} from '../support/cluster.ts'
import {tlsClientOptions} from '../../src/protocol/link-tls.ts'

test('satellite link over TLS-PSK: ONLINE with the secret, AUTHENTICATION_ERROR without, data on the wire encrypted', async () => {
  const secret = randomBytes(24).toString('base64url')
  const dirs = [await tempDir(), await tempDir(), await tempDir()]
  const daemons: Daemon[] = []
  try {
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    daemons.push(startDaemon(['controller', '--data-dir', dirs[0] as string, '--rest-address', '127.0.0.1', '--rest-port', String(port)],
      {CAIRN_CLUSTER_SECRET: secret}))
    const sats: {name: string, address: string, tlsPort: number}[] = []
    for (const [i, address] of ['127.0.0.6', '127.0.0.7'].entries()) {
      const tlsPort = await freePort(address)
      daemons.push(startDaemon(['satellite', '--data-dir', dirs[i + 1] as string, '--satellite-address', address,
        '--satellite-port', String(await freePort(address)), '--satellite-tls-port', String(tlsPort)],
      {CAIRN_CLUSTER_SECRET: i === 0 ? secret : 'another-clusters-secret'}))
      sats.push({name: `tls${i + 1}`, address, tlsPort})
    }
    await waitHealthy(base)
    for (const s of sats) {
      const r = await api(base, 'POST', '/v1/nodes', {name: s.name, type: 'SATELLITE',
        net_interfaces: [{name: 'default', address: s.address, satellite_port: s.tlsPort, satellite_encryption_type: 'SSL'}]})
      assert.equal(r.status, 201, r.text)
    }
    const status = async (n: string): Promise<string | undefined> => ((await getJson(`${base}/v1/nodes/${n}`)).body as {connection_status?: string}).connection_status
    await waitFor('tls1 online', async () => ((await status('tls1')) === 'ONLINE' ? true : undefined))
    await waitFor('tls2 refused', async () => ((await status('tls2')) === 'AUTHENTICATION_ERROR' ? true : undefined))
    // Real work over the TLS link: a pool and a volume on tls1.
    let r = await api(base, 'POST', '/v1/nodes/tls1/storage-pools', {storage_pool_name: 'tlspool', provider_kind: 'FILE_THIN',
      props: {'StorDriver/FileDir': join(dirs[1] as string, 'tlspool')}})
    assert.equal(r.status, 201, r.text)
    await api(base, 'POST', '/v1/resource-groups', {name: 'tlsgroup', select_filter: {place_count: 1, storage_pool: 'tlspool', layer_stack: ['STORAGE']}})
    r = await api(base, 'POST', '/v1/resource-groups/tlsgroup/spawn', {resource_definition_name: 'overtls', volume_sizes: [4096]})
    assert.equal(r.status, 201, r.text)
    assert.match(r.text, /Created resource 'overtls' on 'tls1'/)

    // A TLS client without the key gets no session; with it, the handshake uses an ECDHE-PSK suite.
    const handshake = (opts: object): Promise<string> => new Promise((ok, fail) => {
      const sock = connect({host: sats[0]?.address, port: sats[0]?.tlsPort, ...opts}, () => {
        ok(sock.getCipher().name)
        sock.end()
      })
      sock.on('error', fail)
    })
    assert.match(await handshake(tlsClientOptions(secret)), /^ECDHE-PSK-/)
    await assert.rejects(handshake(tlsClientOptions('wrong')))
    await assert.rejects(handshake({rejectUnauthorized: false}))
  } finally {
    for (const d of daemons) await d.stop('SIGKILL')
    for (const d of dirs) await cleanup(d)
  }
})
