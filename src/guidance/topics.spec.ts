import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS_DIR, getTopic, listTopics } from './topics';

const EXPECTED = ['moving-a-domain', 'domain-management-caveats', 'keeping-website-and-email-working', 'moving-your-website', 'emergency-checklist'];

describe('guidance topics', () => {
  it('lists the topics in reading order, with their titles', () => {
    expect(listTopics()).toEqual([
      { slug: 'moving-a-domain', title: 'Moving your domain to another registrar' },
      { slug: 'domain-management-caveats', title: 'Your domain: who is who, what you will receive, and what to watch out for' },
      { slug: 'keeping-website-and-email-working', title: 'Keeping your website and e-mail working during a move' },
      { slug: 'moving-your-website', title: 'Moving your website to a new host' },
      { slug: 'emergency-checklist', title: 'Emergency checklist: the day your host cannot be reached' },
    ]);
  });

  it('reads one topic without its front matter', () => {
    const topic = getTopic('moving-a-domain');
    expect(topic?.title).toBe('Moving your domain to another registrar');
    expect(topic?.markdown.startsWith('# Moving your domain to another registrar\n')).toBe(true);
    expect(topic?.markdown).not.toMatch(/^---/);
  });

  it.each(['nope', '../package', 'moving-a-domain.md', 'Moving-A-Domain', '', '..', 'a/b'])('does not find %p', (slug) => {
    expect(getTopic(slug)).toBeUndefined();
  });

  describe.each(EXPECTED)('%s', (slug) => {
    const topic = getTopic(slug)!;

    it('exists', () => {
      expect(topic).toBeDefined();
    });

    it('is dated "Last reviewed: …" on or after the 2026-11-25 review', () => {
      const reviewed = /Last reviewed: (\d{4}-\d{2}-\d{2})/.exec(topic.markdown)?.[1];
      expect(reviewed! >= '2026-11-25').toBe(true);
    });

    it('cites no dead legacy Nominet address', () => {
      expect(topic.markdown).not.toContain('nominet.org.uk');
    });

    it('ends with a Sources section of links', () => {
      const sources = topic.markdown.split(/^## Sources\s*$/m);
      expect(sources).toHaveLength(2);
      const links = sources[1].match(/<https?:\/\/[^>\s]+>/g) ?? [];
      expect(links.length).toBeGreaterThanOrEqual(2);
      expect(sources[1]).not.toMatch(/^## /m); // nothing after the sources
    });

    it('has no link in its text that is missing from its sources', () => {
      const [body, sources] = topic.markdown.split(/^## Sources\s*$/m);
      const links = [...body.matchAll(/<(https?:\/\/[^>\s]+)>|\]\((https?:\/\/[^)\s]+)\)/g)].map((m) => m[1] ?? m[2]);
      for (const url of links) expect(sources).toContain(url);
    });
  });

  // Issue 17: the corrected claims, where clients read them.
  describe('claims checked against primary sources (issue 17)', () => {
    const moving = () => getTopic('moving-a-domain')!.markdown;
    const emergency = () => getTopic('emergency-checklist')!.markdown;
    const caveats = () => getTopic('domain-management-caveats')!.markdown;

    it(".de: AuthInfo2 by registered post to the holder's address, for a fee", () => {
      for (const md of [moving(), emergency()]) {
        expect(md).toMatch(/registered post to the\s+holder's postal\s+address in its database/);
        expect(md).toMatch(/wrong or\s+old address means no code/);
      }
    });

    it('.eu: the emergency code is a last resort after My .eu, via the WHOIS result and a signed form', () => {
      for (const md of [moving(), emergency()]) {
        expect(md).toMatch(/WHOIS/);
        expect(md).toMatch(/signed form/);
      }
      expect(moving()).toMatch(/Only\s+as a last resort/);
    });

    it('lists an unpaid current period (not yet expired) among the refusal reasons', () => {
      expect(moving()).toMatch(/unpaid current period while the\s+domain has not yet expired/);
    });

    it('says renewing before a move in the grace period wastes the automatic year', () => {
      expect(moving()).toMatch(/If you are moving it, do not renew it first/);
      expect(caveats()).toMatch(/a move then cancels the automatic renewal year/);
    });

    it("softens the organisation-field claim to registrars' practice", () => {
      expect(caveats()).not.toMatch(/registrars now treat that organisation as\s+the registrant/);
      expect(caveats()).toMatch(/registrars' practice, not a rule we found in ICANN's own texts/);
    });
  });

  it('reads the title from front matter, or from the first heading, or falls back to the slug', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aster-topics-'));
    writeFileSync(join(dir, 'b-topic.md'), '---\ntitle: "From front matter"\norder: 2\n---\n# Heading\n');
    writeFileSync(join(dir, 'a-topic.md'), 'Intro\n\n# From the heading #\n\ntext\n');
    writeFileSync(join(dir, 'c-topic.md'), 'no heading at all\n');
    writeFileSync(join(dir, 'Not A Slug.md'), '# ignored\n');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    expect(listTopics(dir)).toEqual([
      { slug: 'b-topic', title: 'From front matter' },
      { slug: 'c-topic', title: 'c-topic' },
      { slug: 'a-topic', title: 'From the heading' },
    ]);
    expect(getTopic('b-topic', dir)).toEqual({ slug: 'b-topic', title: 'From front matter', markdown: '# Heading\n' });
  });

  it('looks for the topics next to the code, where the build copies them', () => {
    expect(TOPICS_DIR).toMatch(/[\\/]guidance[\\/]topics$/);
  });
});
