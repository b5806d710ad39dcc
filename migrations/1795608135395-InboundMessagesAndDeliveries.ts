import { MigrationInterface, QueryRunner } from 'typeorm';

export class InboundMessagesAndDeliveries1795608135395 implements MigrationInterface {
  name = 'InboundMessagesAndDeliveries1795608135395';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "inbound_message" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "receivedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "envelopeFrom" character varying(320) NOT NULL, "envelopeTo" text array NOT NULL, "remoteAddress" character varying(64), "helo" character varying(255), "messageId" character varying(998), "size" integer NOT NULL, "duplicates" integer NOT NULL DEFAULT '0', "stage" character varying(16) NOT NULL DEFAULT 'stored', "status" character varying(16) NOT NULL DEFAULT 'received', "holdReason" character varying(32), "subject" character varying(998), "fromHeader" character varying(998), "kind" character varying(32), "decision" character varying(16), "decisionReason" text, "domains" text array NOT NULL DEFAULT '{}', "clientIds" uuid array NOT NULL DEFAULT '{}', "authResults" jsonb, "decidedAt" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_a013d32c89ba79e84f4d371bd1b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_inbound_message_dedupe" ON "inbound_message"  ("messageId", "envelopeFrom", "receivedAt") `);
    await queryRunner.query(`CREATE INDEX "IDX_inbound_message_status" ON "inbound_message"  ("status", "holdReason") `);
    await queryRunner.query(`CREATE INDEX "IDX_inbound_message_received" ON "inbound_message"  ("receivedAt") `);
    await queryRunner.query(
      `CREATE TABLE "delivery" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "inboundMessageId" uuid NOT NULL, "clientId" uuid NOT NULL, "contactId" uuid, "email" character varying(320) NOT NULL, "form" character varying(16) NOT NULL, "domains" text array NOT NULL DEFAULT '{}', "status" character varying(16) NOT NULL DEFAULT 'queued', "attempts" integer NOT NULL DEFAULT '0', "nextAttemptAt" TIMESTAMP WITH TIME ZONE DEFAULT now(), "lastResponse" text, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ffad7bf84e68716cd9af89003b0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_delivery_status_next" ON "delivery"  ("status", "nextAttemptAt") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_delivery_message_email" ON "delivery"  ("inboundMessageId", "email") `);
    await queryRunner.query(
      `CREATE TABLE "raw_message" ("messageId" uuid NOT NULL, "raw" bytea NOT NULL, CONSTRAINT "PK_de52abbb413f93ecadb698fecff" PRIMARY KEY ("messageId"))`,
    );
    // Staff filter messages by domain and by client: GIN indexes on the arrays (synchronize: false in the entity).
    await queryRunner.query(`CREATE INDEX "IDX_inbound_message_domains" ON "inbound_message" USING gin ("domains")`);
    await queryRunner.query(`CREATE INDEX "IDX_inbound_message_clients" ON "inbound_message" USING gin ("clientIds")`);
    await queryRunner.query(
      `ALTER TABLE "delivery" ADD CONSTRAINT "FK_66d8f42b0f7debc41e9eab8c12e" FOREIGN KEY ("inboundMessageId") REFERENCES "inbound_message"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "raw_message" ADD CONSTRAINT "FK_de52abbb413f93ecadb698fecff" FOREIGN KEY ("messageId") REFERENCES "inbound_message"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "raw_message" DROP CONSTRAINT "FK_de52abbb413f93ecadb698fecff"`);
    await queryRunner.query(`ALTER TABLE "delivery" DROP CONSTRAINT "FK_66d8f42b0f7debc41e9eab8c12e"`);
    await queryRunner.query(`DROP TABLE "raw_message"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_inbound_message_clients"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_inbound_message_domains"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_delivery_message_email"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_delivery_status_next"`);
    await queryRunner.query(`DROP TABLE "delivery"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_inbound_message_received"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_inbound_message_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_inbound_message_dedupe"`);
    await queryRunner.query(`DROP TABLE "inbound_message"`);
  }
}
