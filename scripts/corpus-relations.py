"""Every order / NULL-pattern / agreement relation that holds in 100% of a PostgreSQL database's rows (public schema),
and its share in copies (docs/fidelity.md, "Relations between columns"). usage: python3 corpus-relations.py SRC_DB COPY_DB [COPY_DB...]
Databases on postgres://postgres@127.0.0.1:5432/ (edit BASE). Prints JSON: kind, relation, production rows, [holds, rows] per copy."""
import subprocess, sys, json
BASE = 'postgres://postgres@127.0.0.1:5432/'
def q(db, sql):
    out = subprocess.run(['psql', BASE + db, '-AtF', '\t', '-c', sql], capture_output=True, text=True, check=True).stdout
    return [l.split('\t') for l in out.splitlines() if l]
def ident(x): return '"' + x.replace('"', '""') + '"'
src, copies = sys.argv[1], sys.argv[2:]
cols = q(src, "select table_name, column_name, data_type, is_nullable from information_schema.columns where table_schema='public' order by table_name, ordinal_position")
tables = {}
for t, c, ty, nl in cols: tables.setdefault(t, []).append((c, ty, nl == 'YES'))
fks = q(src, """select c.conname, cl.relname, pl.relname, a.attname, b.attname from pg_constraint c
 join pg_class cl on cl.oid = c.conrelid join pg_class pl on pl.oid = c.confrelid
 join lateral unnest(c.conkey, c.confkey) with ordinality as k(ck, pk, i) on true
 join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.ck join pg_attribute b on b.attrelid = c.confrelid and b.attnum = k.pk
 where c.contype = 'f' and cl.relnamespace = 'public'::regnamespace order by c.conname, k.i""")
TIME = ('date', 'timestamp without time zone', 'timestamp with time zone')
rels = []  # (kind, label, table, count_sql_from, holds_expr, domain_expr)
for t, cs in tables.items():
    times = [c for c, ty, _ in cs if ty in TIME]
    for i in range(len(times)):
        for j in range(i + 1, len(times)):
            a, b = ident(times[i]), ident(times[j])
            rels.append(('order', f'{t}.{times[i]} ≤ {t}.{times[j]}', f'from {ident(t)}', f'{a} <= {b}', f'{a} is not null and {b} is not null'))
            rels.append(('order', f'{t}.{times[j]} ≤ {t}.{times[i]}', f'from {ident(t)}', f'{b} <= {a}', f'{a} is not null and {b} is not null'))
    nullable = [c for c, _, nl in cs if nl]
    if len(nullable) >= 2:
        counts = q(src, f"select count(*), {', '.join(f'sum(case when {ident(c)} is null then 1 else 0 end)' for c in nullable)} from {ident(t)}")[0]
        rows = int(counts[0]); z = [int(x or 0) for x in counts[1:]]
        for i in range(len(nullable)):
            for j in range(i + 1, len(nullable)):
                if z[i] == z[j] and 0 < z[i] < rows:
                    a, b = ident(nullable[i]), ident(nullable[j])
                    rels.append(('nulls', f'({t}.{nullable[i]} IS NULL) = ({t}.{nullable[j]} IS NULL)', f'from {ident(t)}', f'({a} is null) = ({b} is null)', 'true'))
byfk = {}
for name, child, parent, cc, pc in fks: byfk.setdefault((name, child, parent), []).append((cc, pc))
for (name, child, parent), pairs in byfk.items():
    join = f'from {ident(child)} c join {ident(parent)} p on ' + ' and '.join(f'c.{ident(a)} = p.{ident(b)}' for a, b in pairs)
    ct = [c for c, ty, _ in tables[child] if ty in TIME]; pt = [c for c, ty, _ in tables[parent] if ty in TIME]
    for a in ct:
        for b in pt:
            rels.append(('order', f'{child}.{a} ≥ {parent}.{b} (across FK)', join, f'c.{ident(a)} >= p.{ident(b)}', f'c.{ident(a)} is not null and p.{ident(b)} is not null'))
    fkcols = {a for a, _ in pairs}
    pnames = {c: ty for c, ty, _ in tables[parent]}
    for c, ty, _ in tables[child]:
        if c in fkcols or pnames.get(c) != ty: continue
        rels.append(('agree', f'{child}.{c} = {parent}.{c} (across FK)', join, f'c.{ident(c)} = p.{ident(c)}', f'c.{ident(c)} is not null and p.{ident(c)} is not null'))
out = []
for kind, label, frm, holds, dom in rels:
    n, h = q(src, f'select count(*), sum(case when {holds} then 1 else 0 end) {frm} where {dom}')[0]
    n, h = int(n), int(h or 0)
    if n < 10 or h != n: continue
    row = {'kind': kind, 'relation': label, 'production': n, 'copies': []}
    for db in copies:
        cn, ch = q(db, f'select count(*), sum(case when {holds} then 1 else 0 end) {frm} where {dom}')[0]
        row['copies'].append([int(ch or 0), int(cn)])
    out.append(row)
print(json.dumps(out, indent=1))
