// Transfer guidance for people and programs: the general topics, and one domain's answer for one
// date computed from its record and the policy table (the pure core is eligibility.ts; its English, wording.ts).
import { Inject, Injectable } from '@nestjs/common';
import { ASTER_CONFIG } from '../config/config.module';
import type { AsterConfig } from '../config/config';
import { InvalidError, NotFoundError } from '../common/errors';
import type { Domain } from '../domains/domain.entity';
import { transferGuidance, type TransferGuidance } from './transfer-guidance';
import { policyTable, type PolicyRule } from './policy-table';
import { getTopic, listTopics, type Topic, type TopicSummary } from './topics';

@Injectable()
export class GuidanceService {
  private readonly rules: PolicyRule[];

  constructor(@Inject(ASTER_CONFIG) private readonly config: AsterConfig) {
    this.rules = policyTable({ revisedTransferPolicyFrom: config.revisedTransferPolicyFrom });
  }

  topics(): TopicSummary[] {
    return listTopics();
  }

  topic(slug: string): Topic {
    const topic = getTopic(slug);
    if (!topic) throw new NotFoundError('Guidance topic', slug);
    return topic;
  }

  /** `at` as given in a query string: a date (YYYY-MM-DD) or a date-time; absent means now. */
  parseAt(at: string | undefined): Date {
    if (at === undefined || at === '') return new Date();
    const day = /^\d{4}-\d{2}-\d{2}$/.test(at);
    const date = new Date(day ? `${at}T12:00:00Z` : at);
    const valid = !Number.isNaN(date.getTime()) && (!day || date.toISOString().slice(0, 10) === at) && /^\d{4}-\d{2}-\d{2}/.test(at);
    if (!valid) throw InvalidError.field('at', `must be an ISO 8601 date such as 2026-12-01 or 2026-12-01T09:00:00Z, got '${at}'`);
    return date;
  }

  forDomain(domain: Domain, at: Date): TransferGuidance & { unicodeName: string; registrar: string | null } {
    const guidance = transferGuidance({
      domain: {
        name: domain.name,
        registeredAt: domain.registeredAt,
        expiresAt: domain.expiresAt,
        lastTransferredAt: domain.lastTransferredAt,
        registrantChangedAt: domain.registrantChangedAt,
        statuses: domain.statuses,
        nameservers: domain.nameservers,
        autoRenew: domain.autoRenew,
        registrarName: domain.registrar?.name ?? null,
        registrarNotes: domain.registrar?.notes ?? null,
        registrantChangeOptOut: domain.registrantChangeOptOut,
      },
      at,
      rules: this.rules,
      hostNameservers: this.config.hostNameservers,
    });
    return { ...guidance, unicodeName: domain.unicodeName, registrar: domain.registrar?.name ?? null };
  }
}
