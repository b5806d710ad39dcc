import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A random key, made once per database, for the signature of bounce addresses
 * (`bounces+<delivery id>.<tag>@MAIL_DOMAIN`, src/mail/intake/bounce.ts). It lives in the database,
 * not in the environment, so a newcomer's `npm start` needs no new setting and every instance of
 * one deployment signs and checks with the same key.
 */
export class BounceAddressSecret1795731000000 implements MigrationInterface {
  name = 'BounceAddressSecret1795731000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "secret" ("name" character varying(64) NOT NULL, "value" bytea NOT NULL, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_secret_name" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(`INSERT INTO "secret" ("name", "value") VALUES ('bounce_address', gen_random_bytes(32))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "secret"`);
  }
}
