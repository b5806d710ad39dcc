// Refreshes the RDAP bootstrap Aster ships (src/watch/iana-rdap-dns.json) from IANA's registry,
// where the internet is reachable. Run: npx ts-node --transpile-only scripts/refresh-rdap-bootstrap.ts
// [URL] — then review the diff and commit it like code (the file is dated by its `publication`).
// Refuses to write anything that RdapBootstrap would not read, or that lost .com on the way.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RdapBootstrap } from '../src/watch/rdap-bootstrap';

const SOURCE = process.argv[2] ?? 'https://data.iana.org/rdap/dns.json';
const TARGET = join(__dirname, '..', 'src', 'watch', 'iana-rdap-dns.json');

async function main(): Promise<void> {
  const res = await fetch(SOURCE, { signal: AbortSignal.timeout(30_000), headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`${SOURCE} answered ${res.status}`);
  const file = (await res.json()) as { description?: string; publication?: string; services: unknown[]; version?: string };
  const bootstrap = RdapBootstrap.from(file);
  if (!bootstrap.serverFor('example.com')) throw new Error(`${SOURCE} has no server for .com: not writing it`);
  const out = {
    description: `${file.description ?? 'RDAP bootstrap file for Domain Name System registrations'} (copied from ${SOURCE} on ${new Date().toISOString().slice(0, 10)} by scripts/refresh-rdap-bootstrap.ts)`,
    publication: file.publication,
    services: file.services,
    version: file.version ?? '1.0',
  };
  writeFileSync(TARGET, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`wrote ${TARGET}: ${file.services.length} services, ${bootstrap.size} TLDs, published ${file.publication ?? 'unknown'}`);
}

main().catch((err: unknown) => {
  console.error(`refresh-rdap-bootstrap: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
