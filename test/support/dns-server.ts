// A real DNS server on loopback for sender-verification tests: answers TXT and A queries from a
// zone the test fills (SPF, DKIM and DMARC records), over UDP and TCP on one port, like an
// authoritative server would. `silent` turns it into a dead server: it reads queries and answers none.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';

type RecordType = 'TXT' | 'A';

const NXDOMAIN = 3;
/** Without EDNS a UDP answer may be at most 512 bytes (RFC 1035 §4.2.1); larger ones are truncated to TCP. */
const PLAIN_UDP_LIMIT = 512;

export interface DnsQuery {
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
}

export class DnsServer {
  /** Lowercase owner name → records by type. A name with no record of the asked type answers NODATA. */
  private readonly zone = new Map<string, Partial<Record<RecordType, string[]>>>();
  /** Every query received, answered or not. */
  readonly queries: DnsQuery[] = [];
  /** A dead server: queries are read (and counted) but never answered. */
  silent = false;
  port = 0;
  private udp: UdpSocket | undefined;
  private tcp: Server | undefined;
  private readonly connections = new Set<Socket>();

  /** `127.0.0.1:<port>`, the form DNS_SERVERS takes. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Adds a TXT record (long strings are split into 255-byte character-strings when answered). */
  txt(name: string, value: string): this {
    return this.add(name, 'TXT', value);
  }

  a(name: string, address: string): this {
    return this.add(name, 'A', address);
  }

  /** Removes every record of `name` (it then answers NXDOMAIN). */
  remove(name: string): this {
    this.zone.delete(name.toLowerCase());
    return this;
  }

  async start(): Promise<this> {
    // UDP first on a free port, then TCP on the same one; another process may hold that TCP port, so retry.
    for (let attempt = 0; ; attempt++) {
      const udp = createSocket('udp4');
      await new Promise<void>((resolve, reject) => udp.once('error', reject).bind(0, '127.0.0.1', () => resolve()));
      const port = udp.address().port;
      const tcp = createServer((socket) => this.serveTcp(socket));
      const listening = await new Promise<boolean>((resolve) => {
        tcp.once('error', () => resolve(false));
        tcp.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (!listening) {
        udp.close();
        if (attempt < 10) continue;
        throw new Error('no free port for the test DNS server');
      }
      udp.on('message', (message, remote) => {
        const answer = this.answer(message, 'udp');
        if (answer) udp.send(answer, remote.port, remote.address);
      });
      this.udp = udp;
      this.tcp = tcp;
      this.port = port;
      return this;
    }
  }

  async stop(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = undefined;
    this.tcp = undefined;
    if (udp) await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (tcp) await new Promise<void>((resolve) => tcp.close(() => resolve()));
  }

  private add(name: string, type: RecordType, value: string): this {
    const key = name.toLowerCase().replace(/\.$/, '');
    const records = this.zone.get(key) ?? {};
    records[type] = [...(records[type] ?? []), value];
    this.zone.set(key, records);
    return this;
  }

  private serveTcp(socket: Socket): void {
    this.connections.add(socket);
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      // RFC 1035 §4.2.2: each message is preceded by its two-byte length.
      while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
        const length = buffer.readUInt16BE(0);
        const message = buffer.subarray(2, 2 + length);
        buffer = buffer.subarray(2 + length);
        const answer = this.answer(message, 'tcp');
        if (answer) {
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(answer.length);
          socket.write(Buffer.concat([prefix, answer]));
        }
      }
    });
  }

  private answer(message: Buffer, transport: 'udp' | 'tcp'): Buffer | undefined {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return undefined;
    }
    const question = query.questions?.[0];
    if (!question) return undefined;
    this.queries.push({ name: question.name.toLowerCase(), type: question.type, transport });
    if (this.silent) return undefined;

    const records = this.zone.get(question.name.toLowerCase());
    const values = records?.[question.type as RecordType] ?? [];
    const answers: dnsPacket.Answer[] = values.map((value) =>
      question.type === 'TXT'
        ? { type: 'TXT', name: question.name, ttl: 60, class: 'IN', data: characterStrings(value) }
        : { type: 'A', name: question.name, ttl: 60, class: 'IN', data: value },
    );
    const flags = dnsPacket.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | (records ? 0 : NXDOMAIN);
    const response = dnsPacket.encode({ type: 'response', id: query.id, flags, questions: [question], answers });
    if (transport === 'udp') {
      const opt = query.additionals?.find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
      const limit = opt?.udpPayloadSize ?? PLAIN_UDP_LIMIT;
      if (response.length > limit) {
        return dnsPacket.encode({ type: 'response', id: query.id, flags: flags | dnsPacket.TRUNCATED_RESPONSE, questions: [question], answers: [] });
      }
    }
    return response;
  }
}

/** A TXT record's text as the 255-byte character-strings DNS carries (RFC 1035 §3.3.14). */
function characterStrings(value: string): string[] {
  const parts: string[] = [];
  for (let i = 0; i < value.length; i += 255) parts.push(value.slice(i, i + 255));
  return parts.length ? parts : [''];
}
