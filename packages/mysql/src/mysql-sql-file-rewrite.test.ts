import { describe, expect, it } from 'vitest';
import { planStatement, renameDatabaseToken, rewriteReferences, tokenize, writtenDatabases } from './mysql-sql-file-rewrite.js';
import { parseMysqlUrl } from './mysql-url.js';

const map = (names: Record<string, string>) => (db: string) => names[db];

describe('planStatement', () => {
  it('recognises database statements, also inside versioned comments', () => {
    expect(planStatement('DROP SCHEMA IF EXISTS sakila').kind).toBe('drop-database');
    expect(planStatement('CREATE SCHEMA sakila').kind).toBe('create-database');
    expect(planStatement('USE sakila').kind).toBe('use');
    const dump = planStatement("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `employees` /*!40100 DEFAULT CHARACTER SET latin1 */ /*!80016 DEFAULT ENCRYPTION='N' */");
    expect(dump.kind).toBe('create-database');
    if (dump.kind !== 'create-database') return;
    expect(dump.name.value).toBe('employees');
    expect(renameDatabaseToken(dump, 'understudy_tmp_x_1')).toBe(
      "CREATE DATABASE /*!32312 IF NOT EXISTS*/ `understudy_tmp_x_1` /*!40100 DEFAULT CHARACTER SET latin1 */ /*!80016 DEFAULT ENCRYPTION='N' */",
    );
    expect(planStatement('/*!40000 DROP DATABASE IF EXISTS `x`*/').kind).toBe('drop-database');
    expect(planStatement('ALTER DATABASE shop CHARACTER SET utf8mb4').kind).toBe('alter-database');
    expect(planStatement('ALTER DATABASE CHARACTER SET utf8mb4').kind).toBe('other');
  });

  it('skips statements that change the server rather than a database', () => {
    for (const statement of [
      "CREATE USER 'a'@'%' IDENTIFIED BY 'x'",
      "GRANT ALL ON *.* TO 'a'@'%'",
      'FLUSH PRIVILEGES',
      'SET GLOBAL max_connections = 10',
      "SET @@GLOBAL.GTID_PURGED='abc'",
      'SET @@SESSION.SQL_LOG_BIN = 0',
      'SET SQL_LOG_BIN = 0',
    ]) {
      expect(planStatement(statement).kind, statement).toBe('skip');
    }
    for (const statement of ['SET NAMES utf8mb4', "SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='TRADITIONAL'", '/*!40101 SET NAMES utf8 */']) {
      expect(planStatement(statement).kind, statement).toBe('other');
    }
  });
});

describe('rewriteReferences', () => {
  it('redirects db-qualified names and leaves strings, comments and columns alone', () => {
    const plan = planStatement("CREATE VIEW v AS SELECT a.x, 'sakila.film' AS s /* sakila.y */ FROM sakila.film a JOIN `sakila`.`actor` b ON b.film = a.x");
    if (plan.kind !== 'other') throw new Error('expected other');
    expect(rewriteReferences(plan, map({ sakila: 'tmp_1' }))).toBe("CREATE VIEW v AS SELECT a.x, 'sakila.film' AS s /* sakila.y */ FROM `tmp_1`.film a JOIN `tmp_1`.`actor` b ON b.film = a.x");
  });

  it('does not take a three-part name apart, and reads numbers as numbers', () => {
    const plan = planStatement('SELECT sakila.film.id, 1.5, t1.x FROM sakila.film');
    if (plan.kind !== 'other') throw new Error('expected other');
    expect(rewriteReferences(plan, map({ sakila: 'tmp', film: 'wrong', '1': 'wrong' }))).toBe('SELECT `tmp`.film.id, 1.5, t1.x FROM `tmp`.film');
  });

  it('removes DEFINER clauses in every spelling', () => {
    for (const definer of ['DEFINER=`root`@`localhost`', "DEFINER = 'app'@'%'", 'DEFINER=CURRENT_USER', 'DEFINER=CURRENT_USER()', 'DEFINER=root@localhost']) {
      const plan = planStatement(`CREATE ${definer} SQL SECURITY INVOKER VIEW v AS SELECT 1`);
      if (plan.kind !== 'other') throw new Error('expected other');
      expect(rewriteReferences(plan, map({})), definer).toBe('CREATE  SQL SECURITY INVOKER VIEW v AS SELECT 1');
    }
    const versioned = planStatement('/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */');
    if (versioned.kind !== 'other') throw new Error('expected other');
    expect(rewriteReferences(versioned, map({}))).toBe('/*!50013  SQL SECURITY DEFINER */');
  });
});

describe('writtenDatabases', () => {
  const written = (statement: string): string[] => {
    const plan = planStatement(statement);
    return plan.kind === 'other' ? writtenDatabases(plan) : [];
  };

  it('finds the databases a statement creates or writes objects in', () => {
    expect(written('CREATE TABLE shop.t (id int, x int REFERENCES crm.c (id))')).toEqual(['shop', 'crm']);
    expect(written('INSERT INTO shop.t SELECT a.x FROM other.a')).toEqual(['shop']);
    expect(written('DROP TABLE IF EXISTS a.x, b.y')).toEqual(['a', 'b']);
    expect(written('CREATE INDEX i ON shop.t (x)')).toEqual(['shop']);
    expect(written('CREATE TRIGGER tr AFTER INSERT ON shop.t FOR EACH ROW INSERT INTO audit.log VALUES (1)')).toEqual(['shop']);
    expect(written('UPDATE t1 JOIN t2 ON t1.id = t2.id SET t1.x = 1')).toEqual([]);
    expect(written('CREATE VIEW v AS SELECT a.id FROM a JOIN b ON a.id = b.id')).toEqual([]);
    expect(written('SELECT * FROM other.t')).toEqual([]);
  });
});

describe('tokenize', () => {
  it('reads strings with escapes and doubled quotes as one token', () => {
    expect(tokenize("SELECT 'a\\'b''c', `we``ird`").map((t) => [t.kind, t.value])).toEqual([
      ['word', 'SELECT'],
      ['string', "a\\'b''c"],
      ['punct', ','],
      ['quoted-id', 'we`ird'],
    ]);
  });
});

describe('parseMysqlUrl', () => {
  it('reads user, password, host, port, database and parameters', () => {
    expect(parseMysqlUrl('mysql://app:s%40cret@db.internal:3307/shop?ssl=true')).toMatchObject({
      host: 'db.internal',
      port: 3307,
      user: 'app',
      password: 's@cret',
      database: 'shop',
      ssl: true,
      address: 'db.internal:3307',
      description: 'mysql://app:***@db.internal:3307/shop?ssl=true',
    });
    expect(parseMysqlUrl('mariadb://localhost')).toMatchObject({ port: 3306, database: undefined, ssl: false });
  });

  it('refuses other schemes and unknown parameters', () => {
    expect(() => parseMysqlUrl('postgres://x@y/z')).toThrow('is not a mysql:// or mariadb:// URL');
    expect(() => parseMysqlUrl('mysql://x:pw@y/z?sslmode=require')).toThrow('unknown parameter "sslmode" in mysql://x:***@y/z');
  });
});
