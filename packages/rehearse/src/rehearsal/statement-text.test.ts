import { describe, expect, it } from 'vitest';
import { withoutPasswords } from './statement-text.js';

describe('withoutPasswords', () => {
  it('leaves out the passwords PostgreSQL and MySQL statements give, and nothing else', () => {
    expect(withoutPasswords("CREATE USER supabase_auth_admin NOINHERIT CREATEROLE LOGIN NOREPLICATION PASSWORD 'root'")).toBe(
      "CREATE USER supabase_auth_admin NOINHERIT CREATEROLE LOGIN NOREPLICATION PASSWORD '…'",
    );
    expect(withoutPasswords("ALTER ROLE app WITH ENCRYPTED PASSWORD 'it''s secret' VALID UNTIL '2030-01-01'")).toBe("ALTER ROLE app WITH ENCRYPTED PASSWORD '…' VALID UNTIL '2030-01-01'");
    expect(withoutPasswords("CREATE USER 'app'@'%' IDENTIFIED BY 's3cret'")).toBe("CREATE USER 'app'@'%' IDENTIFIED BY '…'");
    expect(withoutPasswords("ALTER USER 'app'@'%' IDENTIFIED WITH mysql_native_password BY \"s3cret\"")).toBe("ALTER USER 'app'@'%' IDENTIFIED WITH mysql_native_password BY '…'");
    expect(withoutPasswords("SET PASSWORD FOR 'app'@'%' = PASSWORD('s3cret')")).toBe("SET PASSWORD FOR 'app'@'%' = PASSWORD('…')");
    expect(withoutPasswords("UPDATE users SET password = 'x' WHERE id = 1")).toBe("UPDATE users SET password = 'x' WHERE id = 1");
  });
});
