/*
 * TEST-ONLY: SQLite and PostgreSQL databases for the store tests, as TestDatabases from
 * @backstage/backend-test-utils makes them (an in-memory SQLite; a fresh PostgreSQL database
 * per test from BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING), without loading that
 * package, which takes about 15 s: mutation testing (scripts/mutation.sh) pays it per mutant.
 */
import { randomBytes } from 'node:crypto';
import knexFactory, { Knex } from 'knex';

const PG_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

export type DatabaseId = 'SQLITE_3' | 'POSTGRES_15';

export function lightDatabases() {
  const made: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const drop of made.reverse()) await drop();
  });
  return {
    /** SQLite always; PostgreSQL when the connection string is set (as in scripts/test.sh). */
    eachSupportedId(): DatabaseId[][] {
      return process.env[PG_ENV]
        ? [['SQLITE_3'], ['POSTGRES_15']]
        : [['SQLITE_3']];
    },
    async init(id: DatabaseId): Promise<Knex> {
      if (id === 'SQLITE_3') {
        const db = knexFactory({
          client: 'better-sqlite3',
          connection: { filename: ':memory:' },
          useNullAsDefault: true,
        });
        made.push(() => db.destroy());
        return db;
      }
      const connection = process.env[PG_ENV]!;
      const name = `bedrock_test_${randomBytes(6).toString('hex')}`;
      const admin = knexFactory({ client: 'pg', connection });
      await admin.raw('CREATE DATABASE ??', [name]);
      const url = new URL(connection);
      url.pathname = `/${name}`;
      const db = knexFactory({ client: 'pg', connection: url.toString() });
      made.push(async () => {
        await db.destroy();
        await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
        await admin.destroy();
      });
      return db;
    },
  };
}
