// The signed bounce address of each delivery (the envelope sender of its letter), and the check of
// one that mail arrives for. The key is the database's `bounce_address` secret (a migration makes it
// once), read on first use and kept for the life of the process.
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ASTER_CONFIG } from '../../config/config.module';
import type { AsterConfig } from '../../config/config';
import { readBounce, readBounceAddress, signedBounceAddress, type BounceReport } from '../intake/bounce';
import { noticeMessageId } from '../notices/compose';

export interface BounceRecipient {
  deliveryId: string;
  /** Whether the address carries the right tag. */
  signed: boolean;
}

@Injectable()
export class BounceAddresses {
  private key: Promise<Buffer> | undefined;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ASTER_CONFIG) private readonly config: AsterConfig,
  ) {}

  /** `bounces+<id>.<tag>@MAIL_DOMAIN`. */
  async address(deliveryId: string): Promise<string> {
    return signedBounceAddress(deliveryId, this.config.mailDomain, await this.signingKey());
  }

  /**
   * A bounce address as mail arrives for it: its delivery id and whether it carries the right tag;
   * undefined when it is no bounce address. Refusing or holding the unsigned is the caller's part.
   */
  async read(address: string): Promise<BounceRecipient | undefined> {
    if (!/^bounces\+/i.test(address)) return undefined;
    return readBounceAddress(address, this.config.mailDomain, await this.signingKey());
  }

  /** The bounce address among a stored message's recipients (a signed one first), or undefined. */
  async find(recipients: string[]): Promise<BounceRecipient | undefined> {
    const found = (await Promise.all(recipients.map((r) => this.read(r)))).filter((b) => b !== undefined);
    return found.find((b) => b.signed) ?? found[0];
  }

  /**
   * What a message that came to a bounce address says about that delivery's letter, whose
   * Message-ID is `<delivery id@MAIL_DOMAIN>` (notices/letter.ts). Mail to an unsigned address
   * (stored before addresses were signed) proves nothing.
   */
  async report(bounce: BounceRecipient, raw: Buffer): Promise<BounceReport> {
    if (!bounce.signed) return { dsn: false, problem: 'unsigned_address' };
    return readBounce(raw, noticeMessageId(bounce.deliveryId, this.config.mailDomain));
  }

  private signingKey(): Promise<Buffer> {
    this.key ??= this.loadKey().catch((err: unknown) => {
      this.key = undefined; // the database was away: try again next time
      throw err;
    });
    return this.key;
  }

  private async loadKey(): Promise<Buffer> {
    const rows = await this.db.query<{ value: Buffer }[]>(`SELECT value FROM secret WHERE name = 'bounce_address'`);
    if (!rows[0] || rows[0].value.length < 32) throw new Error('the bounce_address secret is missing from the database (migration BounceAddressSecret)');
    return rows[0].value;
  }
}
