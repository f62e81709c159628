/**
 * Contact generators: e-mail addresses on the reserved example domains
 * (example.com/.net/.org: never a real mailbox), built from the locale's names.
 *
 * @example
 * ```ts
 * email.create({}, env)(rnd.at(0), 0); // 'maria.okafor@example.org'
 * ```
 */
import { z } from 'zod';
import { defineGenerator } from './generator-types.js';
import { wordPool } from './word-pool.js';

/** Lower-case ASCII letters and digits only (accents folded). */
function mailbox(name: string): string {
  const ascii = /^[A-Za-z]+$/.test(name) ? name : name.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return ascii.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export const email = defineGenerator({
  name: 'email',
  summary: 'first.last@example.(com|net|org), from the locale’s names',
  params: z.object({ domains: z.array(z.string()).min(1).optional() }),
  create(p, env) {
    const pool = wordPool(env.faker.faker);
    const first = pool.firstNames.map(mailbox);
    const last = pool.lastNames.map(mailbox);
    const domains = p.domains ?? pool.emailDomains;
    return (rnd) => {
      const f = first[rnd.index(first.length)] || 'user';
      const l = last[rnd.index(last.length)] || 'mail';
      const style = rnd.int(0, 9);
      const local = style < 5 ? `${f}.${l}` : style < 7 ? `${f}${l}` : style < 9 ? `${f.charAt(0)}${l}` : `${f}.${l}${rnd.int(1, 99)}`;
      return `${local}@${domains[rnd.index(domains.length)]!}`;
    };
  },
});

export const username = defineGenerator({
  name: 'username',
  summary: 'a handle from the locale’s names: ada_lovelace, alovelace42, ada.l',
  params: z.object({}),
  create(_p, env) {
    const pool = wordPool(env.faker.faker);
    const first = pool.firstNames.map(mailbox);
    const last = pool.lastNames.map(mailbox);
    return (rnd) => {
      const f = first[rnd.index(first.length)] || 'user';
      const l = last[rnd.index(last.length)] || 'name';
      switch (rnd.int(0, 4)) {
        case 0:
          return `${f}_${l}`;
        case 1:
          return `${f.charAt(0)}${l}${rnd.int(1, 99)}`;
        case 2:
          return `${f}.${l.charAt(0)}`;
        case 3:
          return `${f}${rnd.int(1, 999)}`;
        default:
          return `${l}${f.charAt(0)}`;
      }
    };
  },
});

export const city = defineGenerator({
  name: 'city',
  summary: 'a city name of the locale (its list of real cities, else faker’s city patterns)',
  params: z.object({}),
  create(_p, env) {
    const cities = wordPool(env.faker.faker).cities;
    if (cities.length > 0) return (rnd) => cities[rnd.index(cities.length)]!;
    return (rnd) => env.faker.use(rnd).location.city();
  },
});
