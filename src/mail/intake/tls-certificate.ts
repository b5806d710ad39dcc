// The listener's STARTTLS certificate: the PEM files TLS_CERT and TLS_KEY name, read and checked
// once at start, so a wrong path or a key of another certificate stops Aster with one clear line.
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { SmtpSettings } from '../../config/config';

export interface TlsCertificate {
  cert: Buffer;
  key: Buffer;
}

const reason = (err: unknown) => (err as { message?: string } | undefined)?.message ?? String(err);

export function loadTlsCertificate(files: NonNullable<SmtpSettings['tls']>): TlsCertificate {
  const read = (variable: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new Error(`${variable}=${path} cannot be read: ${reason(err)}`, { cause: err });
    }
  };
  const cert = read('TLS_CERT', files.certFile);
  const key = read('TLS_KEY', files.keyFile);
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new Error(`TLS_CERT and TLS_KEY are not a usable certificate and key: ${reason(err)}`, { cause: err });
  }
  return { cert, key };
}
