// The emulator's own CA and serving certificate. The serving certificate carries an IP SAN for
// 127.0.0.1 because client-node and kubectl verify the server against the kubeconfig's CA.
// Generated once and cached in the state directory: RSA generation is the slowest part of startup.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

export interface ServingCertificates {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const FILES = { caPem: 'ca.crt', certPem: 'apiserver.crt', keyPem: 'apiserver.key' } as const;

export function loadOrCreateCertificates(stateDir: string): ServingCertificates {
  mkdirSync(stateDir, { recursive: true });
  const cached = readCached(stateDir);
  if (cached) return cached;
  const created = createCertificates();
  for (const [field, file] of Object.entries(FILES)) {
    writeFileSync(join(stateDir, file), created[field as keyof ServingCertificates], { mode: 0o600 });
  }
  return created;
}

function readCached(stateDir: string): ServingCertificates | undefined {
  const paths = Object.values(FILES).map((f) => join(stateDir, f));
  if (!paths.every((p) => existsSync(p))) return undefined;
  const [caPem, certPem, keyPem] = paths.map((p) => readFileSync(p, 'utf8'));
  if (!caPem || !certPem || !keyPem) return undefined;
  // An expired cached cert would make every client fail with an obscure TLS error; regenerate instead.
  const notAfter = forge.pki.certificateFromPem(certPem).validity.notAfter;
  if (notAfter.getTime() < Date.now() + 24 * 3600 * 1000) return undefined;
  return { caPem, certPem, keyPem };
}

function serial(): string {
  // Positive serial: a leading byte below 0x80 keeps the DER integer non-negative.
  return '01' + forge.util.bytesToHex(forge.random.getBytesSync(15));
}

function createCertificates(): ServingCertificates {
  const caKeys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = serial();
  ca.validity.notBefore = new Date(Date.now() - 3600 * 1000);
  ca.validity.notAfter = new Date(Date.now() + 5 * 365 * 24 * 3600 * 1000);
  const caName = [{ name: 'commonName', value: 'metallb-wizard-lab-ca' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + 2 * 365 * 24 * 3600 * 1000);
  cert.setSubject([{ name: 'commonName', value: 'kube-apiserver' }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
        { type: 2, value: 'kubernetes.default.svc' },
      ],
    },
  ]);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());

  return {
    caPem: forge.pki.certificateToPem(ca),
    certPem: forge.pki.certificateToPem(cert),
    keyPem: forge.pki.privateKeyToPem(keys.privateKey),
  };
}
