// Prints ApiCallRc lists as the linstor client does: a class word, then the texts indented.
import {isError, isInfo, isWarning, type ApiCallRc} from '../common/api-call-rc.ts'

export function formatReplies(list: readonly ApiCallRc[], colour: boolean): string {
  const paint = (code: string, s: string): string => (colour ? `\x1b[${code}m${s}\x1b[0m` : s)
  return list.map((r) => {
    const head = isError(r.ret_code) ? paint('31', 'ERROR:') : isWarning(r.ret_code) ? paint('33', 'WARNING:')
      : isInfo(r.ret_code) ? 'INFO:' : paint('32', 'SUCCESS:')
    const section = (title: string, text?: string): string[] => (text ? [`${title}:`, ...text.split('\n').map((l) => `    ${l}`)] : [])
    const detailed = r.details || r.cause || r.correction || r.error_report_ids?.length
    return [
      head,
      ...(detailed ? section('Description', r.message) : [`    ${r.message}`]),
      ...section('Cause', r.cause), ...section('Correction', r.correction), ...section('Details', r.details),
      ...(r.error_report_ids?.length ? section('Show reports', r.error_report_ids.map((id) => `cairn error-reports show ${id}`).join('\n')) : []),
    ].join('\n')
  }).join('\n')
}
