// The general guidance topics: Markdown files in guidance/topics/, one per topic, reviewed like
// code. The slug is the file name; the title comes from front matter (`title:`) or the first
// `# Heading`. The build copies the files next to the compiled code (nest-cli.json assets).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TopicSummary {
  slug: string;
  title: string;
}

export interface Topic extends TopicSummary {
  /** The Markdown body, front matter removed. */
  markdown: string;
}

/** Where the topics live: next to this file, in the source tree and in dist/ alike. */
export const TOPICS_DIR = join(__dirname, 'topics');

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

interface LoadedTopic extends Topic {
  order: number;
}

function parse(slug: string, text: string): LoadedTopic {
  const fields: Record<string, string> = {};
  const front = FRONT_MATTER.exec(text);
  if (front) {
    for (const line of front[1].split(/\r?\n/)) {
      const field = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(line.trim());
      if (field) fields[field[1]] = field[2].replace(/^(['"])(.*)\1$/, '$2').trim();
    }
  }
  const markdown = front ? text.slice(front[0].length) : text;
  const heading = /^#\s+(.+?)\s*#*\s*$/m.exec(markdown);
  const title = fields.title || heading?.[1] || slug;
  const order = fields.order !== undefined && /^\d+$/.test(fields.order) ? Number(fields.order) : Number.MAX_SAFE_INTEGER;
  return { slug, title, markdown: markdown.replace(/^\s*\n/, ''), order };
}

// Topics change only with a deployment, so each directory is read once.
const cache = new Map<string, LoadedTopic[]>();

function load(dir: string): LoadedTopic[] {
  let topics = cache.get(dir);
  if (!topics) {
    topics = readdirSync(dir)
      .filter((file) => file.endsWith('.md') && SLUG.test(file.slice(0, -3)))
      .map((file) => parse(file.slice(0, -3), readFileSync(join(dir, file), 'utf8')))
      .sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
    cache.set(dir, topics);
  }
  return topics;
}

/** Every topic, in reading order (front matter `order`, then title). */
export function listTopics(dir: string = TOPICS_DIR): TopicSummary[] {
  return load(dir).map(({ slug, title }) => ({ slug, title }));
}

/** One topic by slug, or undefined; anything that is not a plain slug is simply not found. */
export function getTopic(slug: string, dir: string = TOPICS_DIR): Topic | undefined {
  if (!SLUG.test(slug)) return undefined;
  const topic = load(dir).find((t) => t.slug === slug);
  return topic && { slug: topic.slug, title: topic.title, markdown: topic.markdown };
}
