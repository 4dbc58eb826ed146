import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TestCerts {
  readonly dir: string
  /** CA that signed the server and client certificates. */
  readonly ca: string
  /** A CA that signed nothing here: trusting only it must fail. */
  readonly otherCa: string
  /** Server certificate for 127.0.0.1 and localhost. */
  readonly serverCert: string
  readonly serverKey: string
  readonly clientCert: string
  readonly clientKey: string
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
}

/** A throwaway PKI made with the openssl CLI (EC P-256 keys: quick to generate). */
export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'logship-certs-'))
  const key = (name: string) => openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`])
  const ca = (name: string, cn: string) => {
    key(name)
    openssl(dir, [
      'req',
      '-x509',
      '-new',
      '-key',
      `${name}.key`,
      '-subj',
      `/CN=${cn}`,
      '-days',
      '2',
      '-out',
      `${name}.crt`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ])
  }
  const leaf = (name: string, cn: string, ext: string) => {
    key(name)
    openssl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`])
    writeFileSync(join(dir, `${name}.ext`), ext)
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`])
  }
  ca('ca', 'logship test CA')
  ca('other-ca', 'some other CA')
  leaf('server', 'logstash.test', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n')
  leaf('client', 'logship client', 'extendedKeyUsage=clientAuth\n')
  const read = (f: string) => readFileSync(join(dir, f), 'utf8')
  return {
    dir,
    ca: read('ca.crt'),
    otherCa: read('other-ca.crt'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
  }
}

/**
 * Another server certificate, signed by `certs`' CA with the server key: valid for `days`
 * from now (a negative number gives one that expired), with `ext` as its extensions.
 */
export function signServerCert(certs: TestCerts, name: string, days: number, ext: string): string {
  const dir = certs.dir
  writeFileSync(join(dir, `${name}.ext`), ext)
  openssl(dir, ['req', '-new', '-key', 'server.key', '-subj', `/CN=${name}`, '-out', `${name}.csr`])
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    String(days),
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.crt`,
  ])
  return readFileSync(join(dir, `${name}.crt`), 'utf8')
}
