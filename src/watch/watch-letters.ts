// What a registry-watch letter (delivery forms registry_alert, expiry_reminder) tells of: the
// watch events whose deliveryIds hold the delivery, with their domains. Read by Letters.compose.
import type { DataSource } from 'typeorm';
import type { Delivery } from '../mail/delivery/delivery.entity';
import type { WatchLetterInput } from '../mail/notices/registry-alert.letter';

/** The letter's input, or undefined when its events are gone. One query. */
export async function loadWatchLetter(db: DataSource, d: Delivery, guidanceUrl: (token: string) => string): Promise<WatchLetterInput | undefined> {
  const rows: {
    kind: string;
    before: unknown;
    after: unknown;
    detail: string | null;
    name: string;
    unicodeName: string | null;
    registeredAt: Date | null;
    expiresAt: Date | null;
    guidanceToken: string | null;
    registrar: string | null;
    clientName: string | null;
    contactName: string | null;
  }[] = await db.query(
    `SELECT e.kind, e.before, e.after, e.detail, e."domainName" AS name, dm."unicodeName", dm."registeredAt", dm."expiresAt", dm."guidanceToken",
            r.name AS registrar, c.name AS "clientName", ct.name AS "contactName"
       FROM watch_event e
       LEFT JOIN domain dm ON dm.id = e."domainId"
       LEFT JOIN registrar r ON r.id = dm."registrarId"
       LEFT JOIN client c ON c.id = $2::uuid
       LEFT JOIN contact ct ON ct.id = $3::uuid
      WHERE $1::uuid = ANY(e."deliveryIds")
      ORDER BY e."createdAt", e."domainName"`,
    [d.id, d.clientId, d.contactId],
  );
  if (rows.length === 0) return undefined;
  return {
    letterId: d.id,
    to: { name: rows[0].contactName ?? '', email: d.email },
    clientName: d.clientId ? (rows[0].clientName ?? '') : null,
    events: rows.map((r) => ({
      kind: r.kind,
      before: r.before,
      after: r.after,
      detail: r.detail,
      domain: {
        name: r.name,
        unicodeName: r.unicodeName ?? r.name,
        registrar: r.registrar,
        registeredAt: r.registeredAt,
        expiresAt: r.expiresAt,
        guidanceUrl: r.guidanceToken ? guidanceUrl(r.guidanceToken) : '',
      },
    })),
  };
}
