import { MigrationInterface, QueryRunner } from 'typeorm';

export class DeliveryAttemptsWelcomeAndGuidanceTokens1795608939328 implements MigrationInterface {
  name = 'DeliveryAttemptsWelcomeAndGuidanceTokens1795608939328';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "delivery_attempt" ("id" BIGSERIAL NOT NULL, "deliveryId" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "outcome" character varying(16) NOT NULL, "response" text NOT NULL, "durationMs" integer NOT NULL, CONSTRAINT "PK_a43b0e18756fc86d042eeef093b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_delivery_attempt_delivery" ON "delivery_attempt"  ("deliveryId", "at") `);
    await queryRunner.query(`ALTER TABLE "domain" ADD "guidanceToken" character varying(64) NOT NULL DEFAULT encode(gen_random_bytes(18), 'hex')`);
    await queryRunner.query(`ALTER TABLE "delivery" ADD "sentAt" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "delivery" DROP CONSTRAINT "FK_66d8f42b0f7debc41e9eab8c12e"`);
    await queryRunner.query(`ALTER TABLE "delivery" ALTER COLUMN "inboundMessageId" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "delivery" ALTER COLUMN "clientId" DROP NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_domain_guidance_token" ON "domain"  ("guidanceToken") `);
    await queryRunner.query(
      `ALTER TABLE "delivery" ADD CONSTRAINT "FK_66d8f42b0f7debc41e9eab8c12e" FOREIGN KEY ("inboundMessageId") REFERENCES "inbound_message"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "delivery_attempt" ADD CONSTRAINT "FK_d10aa9677673d14fbe05794dde0" FOREIGN KEY ("deliveryId") REFERENCES "delivery"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "delivery_attempt" DROP CONSTRAINT "FK_d10aa9677673d14fbe05794dde0"`);
    await queryRunner.query(`ALTER TABLE "delivery" DROP CONSTRAINT "FK_66d8f42b0f7debc41e9eab8c12e"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_domain_guidance_token"`);
    await queryRunner.query(`ALTER TABLE "delivery" ALTER COLUMN "clientId" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "delivery" ALTER COLUMN "inboundMessageId" SET NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "delivery" ADD CONSTRAINT "FK_66d8f42b0f7debc41e9eab8c12e" FOREIGN KEY ("inboundMessageId") REFERENCES "inbound_message"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "delivery" DROP COLUMN "sentAt"`);
    await queryRunner.query(`ALTER TABLE "domain" DROP COLUMN "guidanceToken"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_delivery_attempt_delivery"`);
    await queryRunner.query(`DROP TABLE "delivery_attempt"`);
  }
}
