import { describe, expect, it } from 'vitest';
import { postgresServerStatement } from './postgres-server-statements.js';

describe('postgresServerStatement', () => {
  it('finds the statements that act on the whole server, with what they do', () => {
    const cases: Array<[string, string, string?]> = [
      ['DROP DATABASE IF EXISTS other_db', 'drops database other_db'],
      ['create database "Reporting" template template0', 'creates database Reporting'],
      ["ALTER DATABASE shop SET timezone TO 'UTC'", 'alters database shop'],
      ["/* setup */ CREATE ROLE app LOGIN PASSWORD 'x'", 'creates role app', 'app'],
      ['CREATE USER "Reader"', 'creates role Reader', 'Reader'],
      ['CREATE GROUP staff', 'creates role staff', 'staff'],
      ['ALTER ROLE app SET search_path = app', 'alters role app'],
      ['DROP USER IF EXISTS app', 'drops role app'],
      ["CREATE TABLESPACE fast LOCATION '/ssd'", 'creates tablespace fast'],
      ["ALTER SYSTEM SET work_mem = '64MB'", "changes the server's configuration (ALTER SYSTEM)"],
      ['GRANT readers TO app', 'grants membership in a role'],
      ['REVOKE ADMIN OPTION FOR readers FROM app', 'revokes membership in a role'],
      ['GRANT CONNECT ON DATABASE shop TO app', 'grants privileges on database shop'],
      ['GRANT SET ON PARAMETER work_mem TO app', 'grants privileges on parameter work_mem'],
      ['REASSIGN OWNED BY old TO new', 'reassigns what roles own, databases and tablespaces included'],
      ['DROP OWNED BY old', 'drops what roles own, databases and tablespaces included'],
      ["COMMENT ON DATABASE shop IS 'x'", 'comments on database shop'],
      ["COMMENT ON ROLE app IS 'x'", 'comments on role app'],
      ["CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p", 'creates subscription s (replication from another server)'],
    ];
    for (const [sql, effect, creates] of cases) {
      expect(postgresServerStatement(sql), sql).toEqual({ effect, ...(creates ? { creates } : {}) });
    }
  });

  it('leaves the statements that stay in the database', () => {
    for (const sql of [
      'GRANT SELECT ON orders TO app',
      'GRANT SELECT (id, email) ON users TO app',
      'REVOKE GRANT OPTION FOR UPDATE ON ALL TABLES IN SCHEMA public FROM app',
      'GRANT USAGE ON SCHEMA api TO anon',
      'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO app',
      'CREATE USER MAPPING FOR app SERVER remote',
      'DROP USER MAPPING IF EXISTS FOR app SERVER remote',
      'CREATE TABLE roles (id int)',
      'ALTER TABLE database ADD COLUMN x int',
      "COMMENT ON TABLE users IS 'DROP DATABASE x'",
      "SELECT 'DROP DATABASE x'",
      'CREATE EXTENSION citext',
      'SET ROLE app',
    ]) {
      expect(postgresServerStatement(sql), sql).toBeUndefined();
    }
  });
});
