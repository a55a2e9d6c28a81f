// Refuses request fields the contract does not know, as LINSTOR's JSON mapper does: a typo in a
// field name must not be silently ignored (and reported as "modified").
import {Rc} from '../../common/api-call-rc.ts'
import {wireFields} from '../../api/wire-fields.ts'
import {ApiFailure} from '../model/api-failure.ts'

/** Objects nested in request bodies, checked against their own schemas. */
const nested: Record<string, string> = {
  resource_definition: 'ResourceDefinition', volume_definition: 'VolumeDefinition', resource: 'Resource',
  select_filter: 'AutoSelectFilter', net_interfaces: 'NetInterface',
}

/** Fields Cairn accepts beyond the contract, each a deliberate addition. */
const cairnFields: Record<string, readonly string[]> = {
  // Read-only tokens: credentials for monitoring and dashboards that cannot change anything.
  CreateAuthToken: ['read_only'],
}

/** `schema` names a contract schema; a trailing `[]` means a list of them. */
export function checkBody(body: unknown, schema: string, path = ''): void {
  if (schema.endsWith('[]')) {
    if (body === undefined) return
    if (!Array.isArray(body)) throw parseError(`${path || 'the body'} must be a JSON list`)
    body.forEach((item, i) => checkBody(item, schema.slice(0, -2), `${path}[${i}]`))
    return
  }
  if (body === undefined) return
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw parseError(`${path || 'the body'} must be a JSON object`)
  const known = [...wireFields[schema] ?? [], ...cairnFields[schema] ?? []]
  for (const [k, v] of Object.entries(body)) {
    if (!known.includes(k)) {
      throw parseError(`Unknown field '${path ? `${path}.` : ''}${k}' in ${schema}`, `Known fields: ${known.join(', ')}`)
    }
    const inner = nested[k]
    if (inner && v !== null && v !== undefined) checkBody(v, Array.isArray(v) ? `${inner}[]` : inner, path ? `${path}.${k}` : k)
  }
}

function parseError(details: string, more?: string): ApiFailure {
  return new ApiFailure(Rc.API_CALL_PARSE_ERROR, {message: 'Unable to parse input json.', details: more ? `${details}. ${more}` : details,
    cause: 'The request does not match the LINSTOR REST API contract.', correction: 'Fix the field names and types and send it again.'})
}
