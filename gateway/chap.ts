// CHAP credentials of an iSCSI target (incoming authentication). Upstream passes them through
// unchecked, so a bad secret only shows up as a failing resource agent after failover.

/**
 * RFC 3720 §8.2.1: CHAP secrets shorter than 96 bits (12 bytes) must not be used unless IPsec
 * protects the link, and implementations must support secrets of up to 128 bits (16 bytes). The
 * Microsoft initiator accepts exactly 12–16 characters, so a secret in this range works everywhere.
 */
export const CHAP_SECRET_MIN = 12
export const CHAP_SECRET_MAX = 16
/** LIO stores the user name in a 255-byte configfs attribute. */
export const CHAP_USERNAME_MAX = 255

// Printable ASCII without the space: the iSCSITarget agent expands the values unquoted into
// targetcli/scstadmin commands, so whitespace would split them and non-ASCII is not portable.
const PRINTABLE = /^[\x21-\x7e]*$/

/** Why the CHAP user name and password cannot be used, or undefined; both empty means no CHAP. */
export function chapCredentialsProblem(username: string, password: string): string | undefined {
  if (username === '' && password === '') return undefined
  if (username === '') return 'CHAP needs a username when a password is set'
  if (password === '') return 'CHAP needs a password when a username is set'
  if (!PRINTABLE.test(username)) return 'CHAP username must consist of printable ASCII characters without spaces'
  if (username.length > CHAP_USERNAME_MAX) return `CHAP username must be at most ${CHAP_USERNAME_MAX} characters long`
  if (!PRINTABLE.test(password)) return 'CHAP password must consist of printable ASCII characters without spaces'
  if (password.length < CHAP_SECRET_MIN || password.length > CHAP_SECRET_MAX) {
    return `CHAP password must be ${CHAP_SECRET_MIN} to ${CHAP_SECRET_MAX} characters long, got ${password.length}`
  }
  return undefined
}
