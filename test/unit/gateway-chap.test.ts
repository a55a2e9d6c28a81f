import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {chapCredentialsProblem} from '../../gateway/chap.ts'

describe('CHAP credentials', () => {
  const cases: [string, string, string | undefined][] = [
    ['', '', undefined],
    ['chapuser', 's3cretpass12', undefined],
    ['iqn.1993-08.org.debian:01:abc', '16-characters!!!', undefined],
    ['chapuser', '', 'CHAP needs a password when a username is set'],
    ['', 's3cretpass12', 'CHAP needs a username when a password is set'],
    ['chap user', 's3cretpass12', 'CHAP username must consist of printable ASCII characters without spaces'],
    ['chapüser', 's3cretpass12', 'CHAP username must consist of printable ASCII characters without spaces'],
    ['u'.repeat(256), 's3cretpass12', 'CHAP username must be at most 255 characters long'],
    ['chapuser', 's3cret pass12', 'CHAP password must consist of printable ASCII characters without spaces'],
    ['chapuser', 's3cret\tpass12', 'CHAP password must consist of printable ASCII characters without spaces'],
    ['chapuser', '12345678901', 'CHAP password must be 12 to 16 characters long, got 11'],
    ['chapuser', '12345678901234567', 'CHAP password must be 12 to 16 characters long, got 17'],
  ]
  for (const [user, password, problem] of cases) {
    test(`${JSON.stringify(user.slice(0, 30))} / ${JSON.stringify(password)}`, () => assert.equal(chapCredentialsProblem(user, password), problem))
  }
})
