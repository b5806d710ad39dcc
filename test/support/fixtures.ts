// Records for end-to-end tests, created through the API like staff would.
import { waitFor } from './smtp';
import type { TestApp } from './test-app';

export interface ClientSeed {
  name: string;
  contacts: { name: string; email: string; receivesNotices?: boolean }[];
  domains: string[];
}

export interface SeededClient {
  id: string;
  contactIds: string[];
  domains: string[];
}

export async function seedClient(t: TestApp, seed: ClientSeed): Promise<SeededClient> {
  const client = await t.http().post('/api/clients').set('Authorization', t.adminAuth).send({ name: seed.name, contacts: seed.contacts });
  if (client.status !== 201) throw new Error(`seeding client ${seed.name}: ${client.status} ${JSON.stringify(client.body)}`);
  const domains: string[] = [];
  for (const name of seed.domains) {
    const res = await t.http().post('/api/domains').set('Authorization', t.adminAuth).send({ name, clientId: client.body.id });
    if (res.status !== 201) throw new Error(`seeding domain ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    domains.push(res.body.name);
  }
  return { id: client.body.id, contactIds: client.body.contacts.map((c: { id: string }) => c.id), domains };
}

/** A token of the given role, made by the admin. */
export async function tokenFor(t: TestApp, role: 'admin' | 'staff' | 'client', clientId?: string): Promise<string> {
  const res = await t
    .http()
    .post('/api/tokens')
    .set('Authorization', t.adminAuth)
    .send({ role, clientId, name: `${role} test token` });
  if (res.status !== 201) throw new Error(`token: ${res.status} ${JSON.stringify(res.body)}`);
  return `Bearer ${res.body.token}`;
}

/** GET /api/messages/:id/raw as staff, the body kept as the bytes it is. */
export async function fetchRaw(t: TestApp, id: string): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const res = await t
    .http()
    .get(`/api/messages/${id}/raw`)
    .set('Authorization', t.adminAuth)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  return { status: res.status, headers: res.headers, body: res.body as Buffer };
}

/**
 * GET /api/messages/:id as staff once the message is decided and none of its deliveries is still
 * queued (the shape the API answers, untyped as supertest gives it).
 */
export async function decidedMessage(t: TestApp, id: string, timeoutMs = 20_000): Promise<any> {
  return waitFor(
    async () => {
      const m = (await t.http().get(`/api/messages/${id}`).set('Authorization', t.adminAuth).expect(200)).body;
      return m.stage === 'decided' && m.deliveries.every((d: { status: string }) => d.status !== 'queued') ? m : undefined;
    },
    `message ${id} decided and its deliveries sent`,
    timeoutMs,
  );
}
