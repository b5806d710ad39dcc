import { ConfigError, parseConfig } from './config';

describe('parseConfig', () => {
  it('has a working default for every variable of the Contract', () => {
    const c = parseConfig({}, '/srv/aster');
    expect(c).toMatchObject({
      databaseUrl: undefined,
      dataDir: '/srv/aster/.aster',
      http: { host: '127.0.0.1', port: 3000 },
      smtp: { host: '127.0.0.1', port: 2525 },
      mailDomain: 'notify.localhost',
      adminMailbox: 'domains',
      relayUrl: undefined,
      noticeFrom: 'Aster <notices@notify.localhost>',
      adminToken: undefined,
      senderVerification: 'flag',
      dnsServers: [],
      dnsTimeoutMs: 2000,
      maxMessageBytes: 26214400,
      publicUrl: 'http://127.0.0.1:3000',
      staffEmail: undefined,
      deliveryMaxAgeMs: 3 * 86_400_000,
      roles: ['api', 'smtp', 'worker'],
      workerProcesses: 1,
    });
  });

  it('has defaults for the limits of both doors that a real deployment wants', () => {
    const c = parseConfig({});
    expect(c.http).toEqual({
      host: '127.0.0.1',
      port: 3000,
      ratePerMinute: 300,
      tokenRatePerMinute: 6000,
      authFailuresPerMinute: 10,
      corsOrigins: [],
      trustProxy: undefined,
    });
    expect(c.smtp).toEqual({
      host: '127.0.0.1',
      port: 2525,
      maxConnections: 100,
      maxConnectionsPerAddress: 10,
      messagesPerMinute: 60,
      idleTimeoutMs: 60_000,
      sessionTimeoutMs: 600_000,
      greetPauseMs: 0,
      recipientErrors: { softErrors: 3, hardErrors: 10, errorDelayMs: 1000, errorsPerHour: 30 },
      tls: undefined,
    });
  });

  it('reads the limits, CORS origins, proxies and TLS files', () => {
    const c = parseConfig({
      HTTP_RATE_PER_MINUTE: '100',
      HTTP_TOKEN_RATE_PER_MINUTE: '1000',
      HTTP_AUTH_FAILURES_PER_MINUTE: '5',
      CORS_ORIGINS: 'https://admin.artsites.test, http://localhost:5173/',
      TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8',
      SMTP_MAX_CONNECTIONS: '500',
      SMTP_MAX_CONNECTIONS_PER_ADDRESS: '3',
      SMTP_RATE_PER_MINUTE: '20',
      SMTP_IDLE_TIMEOUT: '30s',
      SMTP_SESSION_TIMEOUT: '5m',
      SMTP_RCPT_SOFT_ERRORS: '5',
      SMTP_RCPT_HARD_ERRORS: '20',
      SMTP_RCPT_ERROR_DELAY_MS: '2500',
      SMTP_RCPT_ERRORS_PER_HOUR: '100',
      TLS_CERT: '/etc/aster/tls/cert.pem',
      TLS_KEY: '/etc/aster/tls/key.pem',
    });
    expect(c.http).toMatchObject({
      ratePerMinute: 100,
      tokenRatePerMinute: 1000,
      authFailuresPerMinute: 5,
      corsOrigins: ['https://admin.artsites.test', 'http://localhost:5173'],
      trustProxy: ['loopback', '10.0.0.0/8', 'fd00::/8'],
    });
    expect(c.smtp).toMatchObject({
      maxConnections: 500,
      maxConnectionsPerAddress: 3,
      messagesPerMinute: 20,
      idleTimeoutMs: 30_000,
      sessionTimeoutMs: 300_000,
      recipientErrors: { softErrors: 5, hardErrors: 20, errorDelayMs: 2500, errorsPerHour: 100 },
      tls: { certFile: '/etc/aster/tls/cert.pem', keyFile: '/etc/aster/tls/key.pem' },
    });
    expect(parseConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
  });

  it('reads every variable', () => {
    const c = parseConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/aster',
      ASTER_DATA_DIR: '/var/lib/aster',
      HTTP_HOST: '0.0.0.0',
      HTTP_PORT: '8080',
      SMTP_HOST: '::',
      SMTP_PORT: '25',
      MAIL_DOMAIN: 'Notify.ArtSites.test',
      ADMIN_MAILBOX: 'Domains',
      RELAY_URL: 'smtp://127.0.0.1:2626',
      NOTICE_FROM: 'Art Sites <notices@notify.artsites.test>',
      ADMIN_TOKEN: 'a-very-long-admin-secret',
      SENDER_VERIFICATION: 'enforce',
      DNS_SERVERS: '127.0.0.1:5353, [::1]:53',
      DNS_TIMEOUT_MS: '500',
      MAX_MESSAGE_BYTES: '1048576',
      PUBLIC_URL: 'https://domains.artsites.test/',
      STAFF_EMAIL: 'staff@artsites.test',
      ASTER_ROLES: 'smtp,worker',
      ASTER_WORKER_PROCESSES: '0',
      DELIVERY_MAX_AGE: '90m',
    });
    expect(c).toMatchObject({
      mailDomain: 'notify.artsites.test',
      adminMailbox: 'domains',
      smtp: { host: '::', port: 25 },
      dnsServers: ['127.0.0.1:5353', '[::1]:53'],
      dnsTimeoutMs: 500,
      publicUrl: 'https://domains.artsites.test',
      roles: ['smtp', 'worker'],
      workerProcesses: 0,
      senderVerification: 'enforce',
      deliveryMaxAgeMs: 90 * 60_000,
    });
  });

  it.each([
    ['HTTP_PORT', 'abc'],
    ['HTTP_PORT', '70000'],
    ['SMTP_PORT', '-1'],
    ['HTTP_HOST', 'not a host'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'nonsense'],
    ['MAIL_DOMAIN', 'localhost'],
    ['ADMIN_MAILBOX', 'a b'],
    ['RELAY_URL', 'http://relay'],
    ['NOTICE_FROM', 'not an address'],
    ['ADMIN_TOKEN', 'short'],
    ['SENDER_VERIFICATION', 'strict'],
    ['DNS_SERVERS', 'dns.example:53'],
    ['DNS_TIMEOUT_MS', '2s'],
    ['DNS_TIMEOUT_MS', '0'],
    ['DNS_TIMEOUT_MS', '60000'],
    ['MAX_MESSAGE_BYTES', '25MB'],
    ['PUBLIC_URL', 'ftp://x'],
    ['STAFF_EMAIL', 'staff'],
    ['ASTER_ROLES', 'api,mail'],
    ['ASTER_WORKER_PROCESSES', '-1'],
    ['ASTER_WORKER_PROCESSES', '17'],
    ['ASTER_WORKER_PROCESSES', 'two'],
    ['DELIVERY_MAX_AGE', '3 days'],
    ['REVISED_TRANSFER_POLICY_FROM', '2027-02-30'],
    ['HOST_NAMESERVERS', 'ns1 example'],
    ['DELIVERY_MAX_AGE', '0h'],
    ['HTTP_RATE_PER_MINUTE', '0'],
    ['HTTP_TOKEN_RATE_PER_MINUTE', 'lots'],
    ['HTTP_AUTH_FAILURES_PER_MINUTE', '-1'],
    ['CORS_ORIGINS', '*'],
    ['CORS_ORIGINS', 'https://admin.artsites.test/path'],
    ['CORS_ORIGINS', 'admin.artsites.test'],
    ['TRUST_PROXY', 'true'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['SMTP_MAX_CONNECTIONS', '0'],
    ['SMTP_MAX_CONNECTIONS_PER_ADDRESS', '1.5'],
    ['SMTP_RATE_PER_MINUTE', 'none'],
    ['SMTP_IDLE_TIMEOUT', '60'],
    ['SMTP_SESSION_TIMEOUT', '0m'],
    ['SMTP_RCPT_SOFT_ERRORS', '0'],
    ['SMTP_RCPT_HARD_ERRORS', '3'],
    ['SMTP_RCPT_ERROR_DELAY_MS', '1s'],
    ['SMTP_RCPT_ERROR_DELAY_MS', '120000'],
    ['SMTP_RCPT_ERRORS_PER_HOUR', 'many'],
    ['TLS_CERT', '/etc/aster/tls/cert.pem'],
    ['TLS_KEY', '/etc/aster/tls/key.pem'],
  ])('refuses %s=%s with one line naming the variable and the expected form', (name, value) => {
    let error: unknown;
    try {
      parseConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`^Invalid ${name}=.*: expected .+`));
    expect(message).not.toContain('\n');
    if (name === 'ADMIN_TOKEN') expect(message).not.toContain(value);
  });

  it('lists every wrong variable at once, one line each', () => {
    let error: unknown;
    try {
      parseConfig({ HTTP_PORT: '99999', STAFF_EMAIL: 'nobody', SMTP_PORT: 'x', MAIL_DOMAIN: 'localhost' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual(['HTTP_PORT', 'MAIL_DOMAIN', 'SMTP_PORT', 'STAFF_EMAIL']);
    expect((error as Error).message.split('\n')).toHaveLength(4);
  });

  it.each([
    [{}, 'http://127.0.0.1:3000'],
    [{ HTTP_PORT: '3300' }, 'http://127.0.0.1:3300'],
    [{ HTTP_HOST: '0.0.0.0', HTTP_PORT: '8080' }, 'http://127.0.0.1:8080'],
    [{ HTTP_HOST: '::1' }, 'http://[::1]:3000'],
    [{ HTTP_PORT: '3300', PUBLIC_URL: 'https://domains.artsites.test/' }, 'https://domains.artsites.test'],
  ])('PUBLIC_URL of %j is %s', (env, expected) => {
    expect(parseConfig(env).publicUrl).toBe(expected);
  });
});
