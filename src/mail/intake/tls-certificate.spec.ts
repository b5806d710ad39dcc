import { selfSignedCertificate } from '../../../test/support/tls';
import { loadTlsCertificate } from './tls-certificate';

describe('loadTlsCertificate', () => {
  const certificate = selfSignedCertificate();

  it('reads a certificate and its key', () => {
    const loaded = loadTlsCertificate({ certFile: certificate.certFile, keyFile: certificate.keyFile });
    expect(loaded.cert.equals(certificate.cert)).toBe(true);
    expect(loaded.key.toString()).toMatch(/PRIVATE KEY/);
  });

  it('names the variable and the path of a file it cannot read', () => {
    expect(() => loadTlsCertificate({ certFile: '/nonexistent/cert.pem', keyFile: certificate.keyFile })).toThrow(
      /^TLS_CERT=\/nonexistent\/cert\.pem cannot be read: ENOENT/,
    );
    expect(() => loadTlsCertificate({ certFile: certificate.certFile, keyFile: '/nonexistent/key.pem' })).toThrow(
      /^TLS_KEY=\/nonexistent\/key\.pem cannot be read/,
    );
  });

  it('refuses a key of another certificate, and files that are not PEM', () => {
    const other = selfSignedCertificate();
    expect(() => loadTlsCertificate({ certFile: certificate.certFile, keyFile: other.keyFile })).toThrow(
      /^TLS_CERT and TLS_KEY are not a usable certificate and key/,
    );
    expect(() => loadTlsCertificate({ certFile: certificate.keyFile, keyFile: certificate.keyFile })).toThrow(/not a usable certificate and key/);
  });
});
