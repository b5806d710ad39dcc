import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13, the registry watch: each domain keeps the registry's view from its last RDAP check
 * (`registry`, null before the first), when it was last checked and last checked successfully; and
 * `watch_event` records what the watch saw and did (reminders, alerts, errors) and who was told.
 * `dedupeKey` makes a reminder or an alert happen once (per domain, threshold and expiry date),
 * however many cycles or instances see it.
 */
export class RegistryWatch1795750000000 implements MigrationInterface {
  name = 'RegistryWatch1795750000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "domain" ADD "registry" jsonb`);
    await queryRunner.query(`ALTER TABLE "domain" ADD "registryCheckedAt" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "domain" ADD "registryOkAt" TIMESTAMP WITH TIME ZONE`);
    // The schedule's question: which domains are due (never checked first).
    await queryRunner.query(`CREATE INDEX "IDX_domain_registry_checked" ON "domain" ("registryCheckedAt" NULLS FIRST)`);
    await queryRunner.query(`CREATE TABLE "watch_event" (
            "id" uuid NOT NULL DEFAULT gen_random_uuid(),
            "domainId" uuid,
            "domainName" character varying(253) NOT NULL,
            "clientId" uuid,
            "kind" character varying(32) NOT NULL,
            "before" jsonb,
            "after" jsonb,
            "detail" text,
            "dedupeKey" character varying(400),
            "told" jsonb NOT NULL DEFAULT '[]',
            "deliveryIds" uuid array NOT NULL DEFAULT '{}',
            "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
            CONSTRAINT "PK_watch_event" PRIMARY KEY ("id"),
            CONSTRAINT "FK_watch_event_domain" FOREIGN KEY ("domainId") REFERENCES "domain"("id") ON DELETE SET NULL
        )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_watch_event_dedupe" ON "watch_event" ("dedupeKey")`);
    await queryRunner.query(`CREATE INDEX "IDX_watch_event_domain" ON "watch_event" ("domainName", "createdAt")`);
    await queryRunner.query(`CREATE INDEX "IDX_watch_event_kind" ON "watch_event" ("kind", "createdAt")`);
    await queryRunner.query(`CREATE INDEX "IDX_watch_event_client" ON "watch_event" ("clientId", "createdAt")`);
    // A letter reads the events it tells of (Letters.compose for registry_alert and expiry_reminder).
    await queryRunner.query(`CREATE INDEX "IDX_watch_event_deliveries" ON "watch_event" USING gin ("deliveryIds")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "watch_event"`);
    await queryRunner.query(`DROP INDEX "IDX_domain_registry_checked"`);
    await queryRunner.query(`ALTER TABLE "domain" DROP COLUMN "registryOkAt"`);
    await queryRunner.query(`ALTER TABLE "domain" DROP COLUMN "registryCheckedAt"`);
    await queryRunner.query(`ALTER TABLE "domain" DROP COLUMN "registry"`);
  }
}
