import { MigrationInterface, QueryRunner } from 'typeorm';

export class RegistrantChangeOptOut1795612164637 implements MigrationInterface {
  name = 'RegistrantChangeOptOut1795612164637';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "domain" ADD "registrantChangeOptOut" boolean NOT NULL DEFAULT false`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "domain" DROP COLUMN "registrantChangeOptOut"`);
  }
}
