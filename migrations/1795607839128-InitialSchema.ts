import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795607839128 implements MigrationInterface {
  name = 'InitialSchema1795607839128';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "contact" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clientId" uuid NOT NULL, "name" character varying(200) NOT NULL, "email" character varying(320) NOT NULL, "receivesNotices" boolean NOT NULL DEFAULT true, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2cbbe00f59ab6b3bb5b8d19f989" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_contact_client" ON "contact"  ("clientId") `);
    await queryRunner.query(
      `CREATE TABLE "client" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "notes" text, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_96da49381769303a6515a8785c7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "api_token" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200), "role" character varying(16) NOT NULL, "clientId" uuid, "tokenHash" character(64) NOT NULL, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "lastUsedAt" TIMESTAMP WITH TIME ZONE, "revokedAt" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_d862311c568d175c26f41bc6f98" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_api_token_hash" ON "api_token"  ("tokenHash") `);
    await queryRunner.query(
      `CREATE TABLE "audit_event" ("id" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "tokenId" uuid, "actor" character varying(240) NOT NULL, "action" character varying(64) NOT NULL, "entityType" character varying(64) NOT NULL, "entityId" character varying(300), "before" jsonb, "after" jsonb, "requestId" character varying(64), CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_audit_event_at" ON "audit_event"  ("at") `);
    await queryRunner.query(`CREATE INDEX "IDX_audit_event_entity" ON "audit_event"  ("entityType", "entityId") `);
    await queryRunner.query(
      `CREATE TABLE "registrar" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "ianaId" integer, "senderDomains" text array NOT NULL DEFAULT '{}', "notes" text, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2d7bb9639e37cbd75296d2183b2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "domain" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(253) NOT NULL, "unicodeName" character varying(253) NOT NULL, "clientId" uuid NOT NULL, "registrarId" uuid, "registeredAt" TIMESTAMP WITH TIME ZONE, "expiresAt" TIMESTAMP WITH TIME ZONE, "lastTransferredAt" TIMESTAMP WITH TIME ZONE, "registrantChangedAt" TIMESTAMP WITH TIME ZONE, "statuses" text array NOT NULL DEFAULT '{}', "nameservers" text array NOT NULL DEFAULT '{}', "autoRenew" boolean, "state" character varying(32) NOT NULL DEFAULT 'active', "notes" text, "lastNoticeAt" TIMESTAMP WITH TIME ZONE, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_27e3ec3ea0ae02c8c5bceab3ba9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_domain_name" ON "domain"  ("name") `);
    await queryRunner.query(`CREATE INDEX "IDX_domain_expires" ON "domain"  ("expiresAt") `);
    await queryRunner.query(`CREATE INDEX "IDX_domain_registrar" ON "domain"  ("registrarId") `);
    await queryRunner.query(`CREATE INDEX "IDX_domain_client" ON "domain"  ("clientId") `);
    // Case-insensitive uniqueness that TypeORM cannot express (entities mark these synchronize: false).
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_registrar_name" ON "registrar" (lower("name"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_contact_client_email" ON "contact" ("clientId", lower("email"))`);
    await queryRunner.query(
      `ALTER TABLE "contact" ADD CONSTRAINT "FK_e99f8e5bcbccaec7b0b7ed65526" FOREIGN KEY ("clientId") REFERENCES "client"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_token" ADD CONSTRAINT "FK_a3a77008cc75e571cd145f386e6" FOREIGN KEY ("clientId") REFERENCES "client"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "domain" ADD CONSTRAINT "FK_a85933a1e7752b5c8a2ec8370a4" FOREIGN KEY ("clientId") REFERENCES "client"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "domain" ADD CONSTRAINT "FK_6fd9ae7d8dcec43629a4cb3961d" FOREIGN KEY ("registrarId") REFERENCES "registrar"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "domain" DROP CONSTRAINT "FK_6fd9ae7d8dcec43629a4cb3961d"`);
    await queryRunner.query(`ALTER TABLE "domain" DROP CONSTRAINT "FK_a85933a1e7752b5c8a2ec8370a4"`);
    await queryRunner.query(`ALTER TABLE "api_token" DROP CONSTRAINT "FK_a3a77008cc75e571cd145f386e6"`);
    await queryRunner.query(`ALTER TABLE "contact" DROP CONSTRAINT "FK_e99f8e5bcbccaec7b0b7ed65526"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_contact_client_email"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_registrar_name"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_domain_client"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_domain_registrar"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_domain_expires"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_domain_name"`);
    await queryRunner.query(`DROP TABLE "domain"`);
    await queryRunner.query(`DROP TABLE "registrar"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_event_entity"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_event_at"`);
    await queryRunner.query(`DROP TABLE "audit_event"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_api_token_hash"`);
    await queryRunner.query(`DROP TABLE "api_token"`);
    await queryRunner.query(`DROP TABLE "client"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_contact_client"`);
    await queryRunner.query(`DROP TABLE "contact"`);
  }
}
